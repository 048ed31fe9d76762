// The HEAD reflog read as a file (logs/HEAD): what the user did in a repo,
// branch by branch, even where the branches are gone (a deleted branch's own
// reflog goes with it; HEAD's stays). Read from an offset, so that a caller
// that keeps the offset reads only what was appended since.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace brag::git {

struct ReflogEntry {
  std::string old_oid;
  std::string new_oid;
  int64_t time = 0;     // unix seconds
  std::string message;  // "commit: Fix x", "checkout: moving from main to hotfix/a"
};

struct ReflogChunk {
  std::vector<ReflogEntry> entries;  // oldest first
  uint64_t end = 0;                  // the offset after the last whole line read
};

// The whole lines of `file` from byte `offset` on (a line still being
// written is left for the next read). A missing file reads as empty; a file
// shorter than `offset` (expired, rewritten) is read from its start.
// Malformed lines are skipped.
Result<ReflogChunk> ReadReflog(const std::filesystem::path& file, uint64_t offset);

}  // namespace brag::git
