// The hook spool (DESIGN §2 "nothing the user typed is ever lost"): when a
// git hook cannot reach bragd, it appends its request here, beside the
// journal, and returns to git at once. Whoever next writes the journal
// (bragd at start or on the next hook call, or brag with bragd down) drains
// the spool into it, in order. A record is one line of JSON:
//   {"method": "commit.record", "params": {...}, "spooled_at": UNIX}
// Appends and drains hold an flock(2) on the file, so concurrent hooks and a
// drain never interleave.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace brag::spool {

// The spool of the journal at `journal`: "<journal>.spool".
std::filesystem::path SpoolPath(const std::filesystem::path& journal);

// Where records that could not be applied go, with the reason, so that
// nothing is dropped silently: "<journal>.spool.rejected".
std::filesystem::path RejectedPath(const std::filesystem::path& journal);

// Appends one record, and fsyncs it when `sync`. Creates the folder (0700)
// and the file (0600) when missing. Error code "io" naming the file.
Status Append(const std::filesystem::path& spool, const std::string& method,
              const nlohmann::json& params, int64_t now, bool sync = true);

// Makes what was appended durable (fsync), when the file exists.
Status Sync(const std::filesystem::path& spool);

// Whether the spool holds anything (a stat, for callers on hot paths). A
// path that is no regular file (a folder left there) holds nothing.
bool HasRecords(const std::filesystem::path& spool);

// What applying one record did.
enum class Applied {
  kDone,      // filed; the record leaves the spool
  kRejected,  // can never be filed (a bad record): moved to the rejected file
  kRetry,     // not now (the journal failed): it and what follows stay
};
using ApplyFn = std::function<Applied(const std::string& method, const nlohmann::json& params,
                                      std::string* why)>;

struct DrainReport {
  int done = 0;
  int rejected = 0;
  int left = 0;  // kept for a later drain
};

// Applies the records in order and removes those done or rejected. Records
// that are not JSON of the shape above are rejected. A missing spool drains
// nothing.
Result<DrainReport> Drain(const std::filesystem::path& spool,
                          const std::filesystem::path& rejected, const ApplyFn& apply);

}  // namespace brag::spool
