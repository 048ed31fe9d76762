// Filing what git's hooks spooled while bragd was away (spool/spool.h): run
// by bragd as it starts and before each hook request, and by brag before it
// works on the journal itself.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/result.h"
#include "journal/journal.h"
#include "spool/spool.h"

namespace brag {

// Files the spool of the journal at `journal_path` into `journal`, in order,
// through the same methods bragd serves to the hooks. A record the methods
// refuse goes to the rejected file; a journal failure leaves the rest for
// the next drain.
Result<spool::DrainReport> DrainHookSpool(Journal& journal,
                                          const std::filesystem::path& journal_path,
                                          int64_t now);

}  // namespace brag
