// The protocol methods the git hooks call (docs/protocol.md): recording a
// commit and its Impact: note (post-commit), and moving notes after a
// rewrite (post-rewrite). Journal-only, so they run the same in bragd and,
// with the daemon down, in `brag hook` on the journal directly.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "journal/journal.h"

namespace brag {

// "commit.record" {repo, oid, branch?, subject?, author?, time?, diffstat?,
// paths?, impact?} -> {"commit": oid, "note": note or null}.
Result<nlohmann::json> RecordCommitMethod(Journal& journal, const nlohmann::json& params,
                                          int64_t now);

// "commit.rewrite" {repo, moves: [[old, new], ...]} -> {"moved": notes moved}.
Result<nlohmann::json> RewriteCommitsMethod(Journal& journal, const nlohmann::json& params,
                                            int64_t now);

}  // namespace brag
