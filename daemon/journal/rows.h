// How the journal's records map to columns: the SELECT lists and the readers
// that consume them, in the same order, from a sql::Row. Lists (authors,
// paths, tags) are stored as newline-joined text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/records.h"
#include "journal/sqlite.h"

namespace brag::rows {

// Aliases: r = repos, e = events, p = prompts, n = notes.
inline constexpr std::string_view kRepoColumns =
    "r.id, r.path, r.name, r.source, r.state, r.error, r.added";
inline constexpr int kEventColumnCount = 19;
inline constexpr std::string_view kEventColumns =
    "e.id, e.kind, e.repo_id, e.key, e.commit_oid, e.forge, e.pr, e.title, "
    "e.branch, e.authors, e.commit_time, e.files, e.insertions, e.deletions, "
    "e.paths, e.created, e.opened, e.commit_count, e.merged";
// The prompt's own columns, without its repo and event.
inline constexpr int kPromptOwnColumnCount = 6;
inline constexpr std::string_view kPromptOwnColumns =
    "p.id, p.state, p.created, p.snoozed_until, p.answered, p.note_id";
inline constexpr int kNoteColumnCount = 10;
inline constexpr std::string_view kNoteColumns =
    "n.id, n.text, n.created, n.source, n.repo, n.commit_oid, n.tags, "
    "n.prompt_id, n.event_id, n.edited";

// SELECT of a whole prompt (own columns, r.path, r.name, event columns);
// append WHERE/ORDER BY.
std::string PromptSelect();

RepoRecord ReadRepo(sql::Row& row);
Event ReadEvent(sql::Row& row);
// Own columns only; the caller fills repo, repo_name and event.
Prompt ReadPromptOwn(sql::Row& row);
// The columns of PromptSelect().
Prompt ReadPrompt(sql::Row& row);
Note ReadNote(sql::Row& row);

// A repo's default name: the last component of its path ("/a/api/" -> "api").
std::string RepoNameFromPath(const std::string& path);

// The first `max_items` non-empty items, one a line.
std::string JoinLines(const std::vector<std::string>& items,
                      size_t max_items = static_cast<size_t>(-1));
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace brag::rows
