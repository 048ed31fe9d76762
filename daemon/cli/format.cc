#include "cli/format.h"

#include <time.h>
#include <unistd.h>

#include <cstdlib>

#include "cli/table.h"
#include "core/text.h"
#include "core/timeutil.h"

namespace brag::cli {
namespace {

using nlohmann::json;


std::string StrftimeLocal(int64_t t, const char* format) {
  time_t tt = static_cast<time_t>(t);
  tm local{};
  localtime_r(&tt, &local);
  char buf[64];
  size_t n = strftime(buf, sizeof buf, format, &local);
  return std::string(buf, n);
}

std::string FormatLocal(const json& iso, const char* format) {
  if (!iso.is_string()) return std::string();
  int64_t t = ParseIsoTime(iso);
  return t > 0 ? StrftimeLocal(t, format)
               : InertText(iso.get_ref<const std::string&>());
}

// The repo's short name; notes without a repo show "-".
std::string RepoName(const json& item) {
  std::string name = Text(item, "repo_name");
  return name.empty() ? "-" : name;
}

Tone MarkerTone(const json& item) {
  std::string kind = Text(item, "kind");
  if (kind == "incident_closed") return Tone::kRed;
  if (kind == "note") return Tone::kYellow;
  return Tone::kCyan;
}

std::string Tags(const json& note) {
  std::string out;
  const json& tags = Field(note, "tags");
  if (!tags.is_array()) return out;
  for (const json& t : tags) {
    if (t.is_string()) out += " #" + InertText(t.get_ref<const std::string&>());
  }
  return out;
}

std::string Join(const json& strings, const char* sep) {
  std::string out;
  if (!strings.is_array()) return out;
  for (const json& s : strings) {
    if (!s.is_string()) continue;
    if (!out.empty()) out += sep;
    out += InertText(s.get_ref<const std::string&>());
  }
  return out;
}

std::string DaemonLine(const json& status, const Style& style) {
  if (!Flag(status, "running")) {
    std::string hint = Text(status, "start_hint");
    return "bragd:      " + style.Paint("not running", Tone::kYellow) +
           " (read from the journal)\n" +
           (hint.empty() ? "" : "            start it: " + hint + "\n");
  }
  return "bragd:      " + style.Paint("running", Tone::kGreen) + " (pid " +
         std::to_string(Int(status, "pid")) + ", version " + Text(status, "version") +
         ", up " + FormatUptime(Int(status, "uptime_s")) + ")\n";
}

std::string ReposBlock(const json& repos, const Style& style) {
  if (!repos.is_array() || repos.empty()) {
    return "repos:      none (add one with `brag repos add PATH`)\n";
  }
  std::string out =
      "repos:      " + std::to_string(repos.size()) + "\n" + RepoTable(repos, style, "  ");
  // Once per repo: merges by git's user.email there that brag did not count.
  for (const json& r : repos) {
    const json& unclaimed = Field(r, "unclaimed");
    if (!unclaimed.is_object()) continue;
    std::string email = Text(unclaimed, "email");
    out += style.Paint("note: " + Plural(Int(unclaimed, "prs"), "PR", "PRs") + " in " +
                           Text(r, "name") + " by " + email +
                           " (git's user.email there) not counted as yours; to count "
                           "them, add to the config: [identity] emails = [..., \"" +
                           email + "\"]",
                       Tone::kYellow) +
           "\n";
  }
  return out;
}

}  // namespace

std::string Plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

const json& Field(const json& obj, const char* key) {
  static const json kAbsent;
  if (!obj.is_object()) return kAbsent;
  auto it = obj.find(key);
  return it == obj.end() ? kAbsent : *it;
}

std::string Text(const json& obj, const char* key) {
  const json& value = Field(obj, key);
  return value.is_string() ? InertText(value.get_ref<const std::string&>())
                           : std::string();
}

int64_t Int(const json& obj, const char* key) {
  const json& value = Field(obj, key);
  return value.is_number_integer() ? value.get<int64_t>() : 0;
}

bool Flag(const json& obj, const char* key) {
  const json& value = Field(obj, key);
  return value.is_boolean() && value.get<bool>();
}

std::string Style::Paint(std::string_view text, Tone tone) const {
  static constexpr const char* kCodes[] = {
      "", "\x1b[2m", "\x1b[1m", "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[36m"};
  if (!color || tone == Tone::kPlain) return std::string(text);
  return kCodes[static_cast<int>(tone)] + std::string(text) + "\x1b[0m";
}

Style StyleForStdout() {
  return Style{isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr};
}

std::string FormatAge(int64_t seconds) {
  if (seconds < 60) return "just now";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m ago";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h ago";
  if (seconds < 14 * 86400) return std::to_string(seconds / 86400) + "d ago";
  return std::to_string(seconds / (7 * 86400)) + "w ago";
}

std::string FormatUptime(int64_t seconds) {
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (seconds < 3600) {
    return std::to_string(seconds / 60) + "m " + std::to_string(seconds % 60) + "s";
  }
  if (seconds < 86400) {
    return std::to_string(seconds / 3600) + "h " + std::to_string(seconds % 3600 / 60) +
           "m";
  }
  return std::to_string(seconds / 86400) + "d " +
         std::to_string(seconds % 86400 / 3600) + "h";
}

std::string FormatDiffstat(const json& diffstat) {
  if (!diffstat.is_object()) return std::string();
  return Plural(Int(diffstat, "files"), "file", "files") + ", +" +
         std::to_string(Int(diffstat, "insertions")) + " -" +
         std::to_string(Int(diffstat, "deletions"));
}

int64_t ParseIsoTime(const json& iso) {
  if (!iso.is_string()) return 0;
  Result<int64_t> t = ParseDate(iso.get<std::string>(), 0);
  return t ? *t : 0;
}

std::string LocalDate(const json& iso) { return FormatLocal(iso, "%Y-%m-%d"); }

std::string LocalDateTime(const json& iso) {
  return FormatLocal(iso, "%Y-%m-%d %H:%M");
}

std::string KindMarker(const json& item) {
  std::string kind = Text(item, "kind");
  if (kind == "pr_merged") {
    int64_t pr = Int(item, "pr");
    return pr > 0 ? "PR #" + std::to_string(pr) : "merge";
  }
  if (kind == "incident_closed") {
    int64_t pr = Int(item, "pr");  // an incident that landed as a PR
    return pr > 0 ? "incident, PR #" + std::to_string(pr) : "incident";
  }
  return kind;
}

std::string Subject(const json& item) {
  std::string title = Text(item, "title");
  return title.empty() ? Text(item, "branch") : title;
}

std::string IncidentSummary(const json& incident) {
  if (!incident.is_object()) return std::string();
  std::string out = Flag(incident, "merged") ? "merged" : "closed unmerged";
  if (const json& duration = Field(incident, "duration_s"); duration.is_number()) {
    out += " after " + FormatUptime(duration.get<int64_t>());
  }
  return out + ", " + Plural(Int(incident, "commits"), "commit", "commits");
}

std::string PromptQuestion(const json& prompt, bool after_pull) {
  const json& notes = Field(prompt, "commit_notes");
  std::string accept = notes.is_array() && !notes.empty() ? "a: accept those, " : "";
  std::string keys =
      after_pull ? "(Enter: skip, s: skip all, " + accept + "d: dismiss)> "
                 : "(Enter: skip, " + accept + "s: snooze 1d, d: dismiss, q: quit)> ";
  if (Text(prompt, "kind") == "incident_closed") {
    // After a pull, short enough for one line of 80 columns, which the time
    // left shown above it needs.
    return (after_pull ? "what broke, and the impact? "
                       : "what broke, what changed, and the impact? ") +
           keys;
  }
  return "impact " + keys;
}

std::string PromptCard(const json& prompt, const Style& style) {
  std::string head =
      style.Paint("[" + std::to_string(Int(prompt, "id")) + "]", Tone::kDim) + " " +
      style.Paint(RepoName(prompt), Tone::kBold) + "  " +
      style.Paint(KindMarker(prompt), MarkerTone(prompt)) + "  " + Subject(prompt) +
      "\n";
  std::string detail;
  if (Text(prompt, "kind") == "incident_closed") {
    detail = IncidentSummary(Field(prompt, "incident"));
  } else if (std::string branch = Text(prompt, "branch"); !branch.empty()) {
    detail = "branch " + branch;
  }
  if (std::string diff = FormatDiffstat(Field(prompt, "diffstat")); !diff.empty()) {
    detail += (detail.empty() ? "" : ", ") + diff;
  }
  std::string card = detail.empty() ? head
                                    : head + "     " + style.Paint(detail, Tone::kDim) + "\n";
  return card + CommitNotesBlock(prompt, style);
}

std::string CommitNotesBlock(const json& prompt, const Style& style) {
  const json& notes = Field(prompt, "commit_notes");
  if (!notes.is_array() || notes.empty()) return std::string();
  std::string block = "     " + style.Paint("from your commits:", Tone::kDim) + "\n";
  for (const json& n : notes) {
    std::string commit = Text(n, "commit").substr(0, 7);
    block += "       - " + Text(n, "text") + "  " + style.Paint(commit, Tone::kDim) + "\n";
  }
  return block;
}

std::string PendingTable(const json& prompts, int64_t now, const Style& style) {
  Table table({"ID", "REPO", "WHAT", "TITLE", "MERGED", "SNOOZED UNTIL"});
  if (!prompts.is_array()) return table.Render(style);
  for (const json& p : prompts) {
    // The merge's age (a backfill's prompts are all made at once).
    int64_t merged = ParseIsoTime(Field(p, "commit_time"));
    if (merged <= 0) merged = ParseIsoTime(Field(p, "created"));
    bool snoozed = Text(p, "state") == "snoozed";
    table.Add({{std::to_string(Int(p, "id")), Tone::kBold},
               {RepoName(p)},
               {KindMarker(p), MarkerTone(p)},
               {Subject(p)},
               {merged > 0 ? FormatAge(now - merged) : "", Tone::kDim},
               {snoozed ? LocalDateTime(Field(p, "snoozed_until")) : "", Tone::kDim}});
  }
  return table.Render(style);
}

std::string LogTable(const json& entries, const Style& style) {
  Table table({"DATE", "REPO", "WHAT", "TITLE", "NOTE"});
  if (!entries.is_array()) return table.Render(style);
  for (const json& e : entries) {
    // A note shows its id, what `brag edit` and `brag rm` take.
    bool free_note = Text(e, "kind") == "note";
    std::string marker = KindMarker(e);
    if (free_note && Int(e, "id") > 0) marker += " " + std::to_string(Int(e, "id"));
    std::vector<Cell> row{{LocalDate(Field(e, "time")), Tone::kDim},
                          {RepoName(e)},
                          {marker, MarkerTone(e)}};
    if (free_note) {
      row.push_back({""});
      row.push_back({Text(e, "text") + Tags(e)});
    } else if (std::string note = Text(e, "note"); !note.empty()) {
      row.push_back({Subject(e)});
      int64_t id = Int(e, "note_id");
      row.push_back({id > 0 ? note + "  (note " + std::to_string(id) + ")" : note});
    } else {
      std::string state = Text(e, "state");
      bool none = state.empty() || state == "pending" || state == "answered";
      row.push_back({Subject(e)});
      row.push_back({none ? "(no note)" : "(" + state + ")", Tone::kDim});
    }
    table.Add(std::move(row));
  }
  return table.Render(style);
}

std::string RepoTable(const json& repos, const Style& style,
                      const std::string& indent) {
  Table table({"NAME", "STATE", "WATCHING", "PATH", "ERROR"}, indent);
  if (!repos.is_array()) return table.Render(style);
  for (const json& r : repos) {
    std::string state = Text(r, "state");
    Tone tone = state == "ok"      ? Tone::kGreen
                : state == "error" ? Tone::kRed
                                   : Tone::kDim;
    table.Add({{Text(r, "name"), Tone::kBold},
               {state.empty() ? "unknown" : state, tone},
               {Text(r, "watching")},
               {Text(r, "path")},
               {Text(r, "error"), Tone::kRed}});
  }
  return table.Render(style);
}

std::string StatusText(const json& status, const Style& style) {
  std::string config = Text(status, "config");
  std::string identities = Join(Field(status, "identities"), ", ");
  int64_t pending = Int(status, "pending");
  std::string journal = Text(status, "journal");
  if (std::string error = Text(status, "journal_error"); !error.empty()) {
    journal += "\n            " +
               style.Paint("cannot write: " + error + " (" +
                               Plural(Int(status, "unrecorded_repos"), "repo", "repos") +
                               " waiting to be recorded; retrying)",
                           Tone::kRed);
  }
  return DaemonLine(status, style) + "socket:     " + Text(status, "socket") + "\n" +
         "journal:    " + journal + "\n" +
         "config:     " + (config.empty() ? "built-in defaults" : config) + "\n" +
         "identities: " + (identities.empty() ? "(none)" : identities) + "\n" +
         "pending:    " +
         style.Paint(Plural(pending, "prompt", "prompts"),
                     pending > 0 ? Tone::kYellow : Tone::kPlain) +
         "\n" + ReposBlock(Field(status, "repos"), style);
}

std::string JsonLine(const json& value) {
  // Titles come from commit messages, which need not be UTF-8.
  std::string dumped = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string line;
  line.reserve(dumped.size() + 1);
  // Valid UTF-8 now, and such bytes only occur inside strings, where a
  // \u escape means the same character.
  for (size_t i = 0; i < dumped.size(); ++i) {
    auto c = static_cast<unsigned char>(dumped[i]);
    if (c == 0x7F) {
      line += "\\u007f";
    } else if (c == 0xC2 && static_cast<unsigned char>(dumped[i + 1]) < 0xA0) {
      line += "\\u00";
      auto next = static_cast<unsigned char>(dumped[i + 1]);
      line += "0123456789abcdef"[next >> 4];
      line += "0123456789abcdef"[next & 0xF];
      ++i;
    } else {
      line += static_cast<char>(c);
    }
  }
  return line + "\n";
}

}  // namespace brag::cli
