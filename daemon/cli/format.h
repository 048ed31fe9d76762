// How brag shows protocol results to a person (docs/protocol.md objects in,
// text out). Pure functions of the JSON and of `now`, so the daemon and the
// journal paths print the same thing and tests need no terminal. Every text
// taken from a result is made inert (core/text.h): a title cannot move the
// cursor, clear the screen or retitle the terminal. A member of another type
// than expected reads as absent: no function here throws.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace brag::cli {

enum class Tone { kPlain, kDim, kBold, kGreen, kYellow, kRed, kCyan };

// Whether to colour, decided once per run: only on a terminal, never with
// NO_COLOR set.
struct Style {
  bool color = false;

  // `text` wrapped in the ANSI codes of `tone` when colouring, else as is.
  std::string Paint(std::string_view text, Tone tone) const;
};

// Style for stdout: colour when it is a terminal and NO_COLOR is unset.
Style StyleForStdout();

// The member `key` of `obj`; null when `obj` is not an object or lacks it.
const nlohmann::json& Field(const nlohmann::json& obj, const char* key);
// The string member `key` made inert, else "".
std::string Text(const nlohmann::json& obj, const char* key);
// The integer member `key`, else 0.
int64_t Int(const nlohmann::json& obj, const char* key);
// The boolean member `key`, else false.
bool Flag(const nlohmann::json& obj, const char* key);

// "just now", "5m ago", "3h ago", "2d ago", "3w ago".
std::string FormatAge(int64_t seconds);
// "42s", "6m 1s", "2h 3m", "3d 4h".
std::string FormatUptime(int64_t seconds);
// "3 files, +42 -7" from a diffstat object.
std::string FormatDiffstat(const nlohmann::json& diffstat);
// Unix seconds of an ISO 8601 UTC string ("2026-11-29T10:02:11Z"); 0 when
// it is null or unreadable.
int64_t ParseIsoTime(const nlohmann::json& iso);
// The local date ("2026-11-29") or date and time ("2026-11-29 11:02") of an
// ISO string; "" when null, the text itself when unreadable.
std::string LocalDate(const nlohmann::json& iso);
std::string LocalDateTime(const nlohmann::json& iso);

// What an event or entry is: "PR #481", "merge" (a local merge), "incident",
// "note".
std::string KindMarker(const nlohmann::json& item);
// The title, else the branch (incidents have only a branch).
std::string Subject(const nlohmann::json& item);

// "1 prompt", "3 prompts": `n` with the word for one or for many.
std::string Plural(int64_t n, const char* one, const char* many);
// "merged after 3h 12m, 4 commits" for an incident object (docs/protocol.md).
std::string IncidentSummary(const nlohmann::json& incident);
// What a prompt asks: the impact of a PR; what broke, what changed and the
// impact of an incident; then the keys. `after_pull`: the question asked
// right after a pull, where "s" skips all (no snooze) and "q" is not offered.
std::string PromptQuestion(const nlohmann::json& prompt, bool after_pull = false);
// The card `brag prompt` shows before asking: repo, marker, title, then
// branch and diffstat (for an incident: how it closed, how long, commits).
std::string PromptCard(const nlohmann::json& prompt, const Style& style);
// The Impact: notes of the PR's commits a prompt offers, one per line, or "".
std::string CommitNotesBlock(const nlohmann::json& prompt, const Style& style);
// The listings as aligned tables under a header (cli/table.h), one row per
// element of the array given: `brag pending` (ID, REPO, WHAT, TITLE, MERGED, SNOOZED UNTIL),
// `brag log` (DATE, REPO, WHAT, TITLE, NOTE: a free note has no title, an
// event without a note says why) and `brag repos list` (NAME, STATE,
// WATCHING, PATH, ERROR).
std::string PendingTable(const nlohmann::json& prompts, int64_t now,
                         const Style& style);
std::string LogTable(const nlohmann::json& entries, const Style& style);
// Each line of a table starts with `indent` (`brag status` lists the repos
// under its "repos:" line).
std::string RepoTable(const nlohmann::json& repos, const Style& style,
                      const std::string& indent = "");
// `brag status` for a person: daemon, paths, identities, pending, repos.
std::string StatusText(const nlohmann::json& status, const Style& style);

// One compact JSON object and '\n' (a JSON Lines record). Controls are
// escaped, DEL and C1 controls too (nlohmann leaves those raw), so printing
// it on a terminal is as inert as the text forms.
std::string JsonLine(const nlohmann::json& value);

}  // namespace brag::cli
