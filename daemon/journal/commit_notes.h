// How the trailer notes of commits meet the PR that lands them, for the
// journal's own .cc files (defined in journal_commits.cc). Both run inside a
// caller's transaction, or read.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "journal/sqlite.h"
#include "model/records.h"

namespace brag {

// Links the trailer notes of the commits that made `event` (its member
// commits, its source branch, or subjects it lists) to the event, so its
// prompt can offer them.
Status LinkCommitNotes(const sql::Database& db, int64_t repo_id, int64_t event_id,
                       const Event& event);
// The commit notes linked to the prompt's event and not yet taken: fills
// prompt->commit_notes.
Status FillCommitNotes(const sql::Database& db, Prompt* prompt);

}  // namespace brag
