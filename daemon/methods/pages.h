// Paging of the listings ("pending", "log"): a reply holds at most
// kPageEntries entries and, when more follow, "next", an opaque cursor the
// client sends back as "after" (docs/protocol.md).
#pragma once

#include <optional>

#include "journal/journal.h"
#include "methods/params.h"

namespace brag {

inline constexpr int kPageEntries = 500;

// How many rows to read for a page when the caller asked for `limit` (0:
// all): one more than a page when more may follow, to know whether they do.
int RowsToRead(int64_t limit);

// "limit": an integer >= 0, 0 when not given.
Result<int64_t> ReadLimit(const ParamReader& p);

Result<std::optional<PromptCursor>> ReadPromptCursor(const ParamReader& p);
Result<std::optional<LogCursor>> ReadLogCursor(const ParamReader& p);

}  // namespace brag
