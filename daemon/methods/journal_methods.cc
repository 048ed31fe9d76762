#include "methods/journal_methods.h"

#include "methods/commit_methods.h"

#include <cctype>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/timeutil.h"
#include "git/repo.h"
#include "methods/digest_method.h"
#include "protocol/json_records.h"

namespace brag {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Reads the params of one request. Every failure is a "bad_request" whose
// message names the method, the parameter and what was expected, so a
// script author can fix the call from the message alone.
class ParamReader {
 public:
  ParamReader(const std::string& method, const json& params, const Config* config)
      : method_(method), params_(params), config_(config) {}

  const json& params() const { return params_; }
  const Config* config() const { return config_; }  // may be null

  Status CheckObject() const {
    if (params_.is_object() || params_.is_null()) return {};
    return MakeError("bad_request", method_ + ": params must be an object");
  }

  Result<int64_t> Int(const char* name, const char* what) const {
    const json* v = Find(name);
    if (!v) return Missing(name, what);
    return AsInt(*v, name, what);
  }

  Result<std::optional<int64_t>> OptionalInt(const char* name, const char* what) const {
    const json* v = Find(name);
    if (!v) return std::optional<int64_t>();
    Result<int64_t> i = AsInt(*v, name, what);
    if (!i) return i.error();
    return std::optional<int64_t>(*i);
  }

  Result<std::string> String(const char* name, const char* what) const {
    const json* v = Find(name);
    if (!v) return Missing(name, what);
    if (!v->is_string()) return Wrong(name, what);
    return v->get<std::string>();
  }

  Result<std::optional<std::string>> OptionalString(const char* name,
                                                    const char* what) const {
    const json* v = Find(name);
    if (!v) return std::optional<std::string>();
    if (!v->is_string()) return Wrong(name, what);
    return std::optional<std::string>(v->get<std::string>());
  }

  Result<std::vector<std::string>> Strings(const char* name, const char* what) const {
    std::vector<std::string> out;
    const json* v = Find(name);
    if (!v) return out;
    if (!v->is_array()) return Wrong(name, what);
    for (const json& item : *v) {
      if (!item.is_string()) return Wrong(name, what);
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  // A time given as unix seconds or as a date string (ParseDate forms).
  Result<std::optional<int64_t>> OptionalTime(const char* name, int64_t now) const {
    constexpr const char* kWhat =
        "a date string (2026-11-02, monday, 7d) or unix seconds";
    const json* v = Find(name);
    if (!v) return std::optional<int64_t>();
    if (v->is_number_integer()) {
      Result<int64_t> i = AsInt(*v, name, kWhat);
      if (!i) return i.error();
      return std::optional<int64_t>(*i);
    }
    if (!v->is_string()) return Wrong(name, kWhat);
    Result<int64_t> t = ParseDate(v->get<std::string>(), now);
    if (!t) return Invalid(name, t.error());
    return std::optional<int64_t>(*t);
  }

  bool IsInteger(const char* name) const {
    const json* v = Find(name);
    return v && v->is_number_integer();
  }

  Error Invalid(const char* name, const Error& why) const {
    return MakeError("bad_request",
                     method_ + ": parameter \"" + name + "\": " + why.message);
  }

 private:
  // nullptr when absent or null: null means "not given" for optional ones.
  const json* Find(const char* name) const {
    if (!params_.is_object()) return nullptr;
    auto it = params_.find(name);
    if (it == params_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  Result<int64_t> AsInt(const json& v, const char* name, const char* what) const {
    if (!v.is_number_integer()) return Wrong(name, what);
    if (v.is_number_unsigned() &&
        v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
      return Wrong(name, what);
    }
    return v.get<int64_t>();
  }

  Error Missing(const char* name, const char* what) const {
    return MakeError("bad_request", method_ + ": missing parameter \"" + name +
                                        "\" (expected " + what + ")");
  }

  Error Wrong(const char* name, const char* what) const {
    return MakeError("bad_request",
                     method_ + ": parameter \"" + name + "\" must be " + what);
  }

  const std::string& method_;
  const json& params_;
  const Config* config_;
};

constexpr const char* kPromptId = "an integer prompt id";

// Journal errors keep the codes the protocol knows; anything else (SQLite
// trouble, a journal too new) is the journal's fault as far as a client is
// concerned.
Error FromJournal(const Error& e) {
  if (e.code == "not_found" || e.code == "conflict" || e.code == "bad_request")
    return e;
  return MakeError("journal", e.message);
}

json PromptResult(const Prompt& prompt) { return json{{"prompt", PromptJson(prompt)}}; }

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// `until` for a snooze: a duration from now ("2h"), else a date. A plain
// number of 9+ digits is a unix timestamp (as ParseDate reads it), not a
// duration in seconds.
Result<int64_t> SnoozeUntil(const ParamReader& p, int64_t now) {
  constexpr const char* kWhat =
      "a duration (2h, 1d), a date (2026-11-02, monday) or unix seconds";
  if (p.IsInteger("until")) return p.Int("until", kWhat);
  Result<std::optional<std::string>> text = p.OptionalString("until", kWhat);
  if (!text) return text.error();
  std::string until = text->value_or("1d");
  if (!(until.size() >= 9 && IsDigits(until))) {
    Result<std::chrono::milliseconds> d = ParseDuration(until);
    if (d) return now + (d->count() + 999) / 1000;
  }
  Result<int64_t> t = ParseDate(until, now);
  if (!t) {
    return p.Invalid("until", MakeError("bad_date", "'" + until +
                                                        "' is neither a duration (2h, "
                                                        "1d) nor a date (2026-11-02)"));
  }
  return *t;
}

// A repo as a client names it: a watched repo (path or name) gives its
// stored path; another existing folder its canonical path.
Result<std::optional<std::string>> ResolveRepo(Journal& journal,
                                               const std::string& repo) {
  Result<std::optional<RepoRecord>> found = journal.FindRepo(repo);
  if (!found) return FromJournal(found.error());
  if (*found) return std::optional<std::string>((*found)->path);
  std::error_code ec;
  fs::path canonical = fs::canonical(repo, ec);
  if (ec) return std::optional<std::string>();
  return std::optional<std::string>(canonical.string());
}

// --- pages ---------------------------------------------------------------------

// The most entries one reply of a listing holds: a reply stays a bounded
// line, however long the journal (a client asks for the rest with the
// reply's "next").
constexpr int kPageEntries = 500;

// How many rows to read for a page when the caller asked for `limit` (0:
// all): one more than the page when more may follow, to know whether they
// do.
int RowsToRead(int64_t limit) {
  return limit > 0 && limit <= kPageEntries ? static_cast<int>(limit) : kPageEntries + 1;
}

// Cursors are opaque to clients: numbers joined with '.', and for the log
// 'e' or 'n' (event or free note) last.
std::vector<std::string> CursorParts(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::optional<int64_t> CursorNumber(const std::string& text) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits(text);
  if (negative) digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

Error BadCursor(const ParamReader& p) {
  return p.Invalid("after", MakeError("bad_request", "not a cursor this method gave"));
}

Result<std::optional<PromptCursor>> ReadPromptCursor(const ParamReader& p) {
  Result<std::optional<std::string>> text =
      p.OptionalString("after", "a cursor (the \"next\" of an earlier reply)");
  if (!text) return text.error();
  if (!*text) return std::optional<PromptCursor>();
  std::vector<std::string> parts = CursorParts(**text);
  if (parts.size() != 2) return BadCursor(p);
  std::optional<int64_t> created = CursorNumber(parts[0]), id = CursorNumber(parts[1]);
  if (!created || !id) return BadCursor(p);
  return std::optional<PromptCursor>(PromptCursor{*created, *id});
}

Result<std::optional<LogCursor>> ReadLogCursor(const ParamReader& p) {
  Result<std::optional<std::string>> text =
      p.OptionalString("after", "a cursor (the \"next\" of an earlier reply)");
  if (!text) return text.error();
  if (!*text) return std::optional<LogCursor>();
  std::vector<std::string> parts = CursorParts(**text);
  if (parts.size() != 3 || (parts[2] != "e" && parts[2] != "n")) return BadCursor(p);
  std::optional<int64_t> time = CursorNumber(parts[0]), id = CursorNumber(parts[1]);
  if (!time || !id) return BadCursor(p);
  return std::optional<LogCursor>(LogCursor{*time, *id, parts[2] == "e"});
}

Result<int64_t> ReadLimit(const ParamReader& p) {
  Result<std::optional<int64_t>> limit = p.OptionalInt("limit", "an integer >= 0");
  if (!limit) return limit.error();
  if (limit->value_or(0) < 0 || limit->value_or(0) > std::numeric_limits<int>::max()) {
    return p.Invalid("limit", MakeError("bad_request", "expected an integer >= 0"));
  }
  return limit->value_or(0);
}

// --- methods -----------------------------------------------------------------

// A page of the prompts waiting, with "count" (all of them) and, when more
// follow, "next".
Result<json> Pending(Journal& journal, const ParamReader& p, int64_t now) {
  Result<int64_t> limit = ReadLimit(p);
  if (!limit) return limit.error();
  Result<std::optional<PromptCursor>> after = ReadPromptCursor(p);
  if (!after) return after.error();
  Result<std::vector<Prompt>> prompts = journal.Pending(now, RowsToRead(*limit), *after);
  if (!prompts) return FromJournal(prompts.error());
  Result<int64_t> count = journal.PendingCount(now);
  if (!count) return FromJournal(count.error());
  json out = json::array();
  json reply = json::object();
  for (size_t i = 0; i < prompts->size(); ++i) {
    if (out.size() == kPageEntries) {
      const Prompt& last = (*prompts)[i - 1];
      reply["next"] = std::to_string(last.created) + "." + std::to_string(last.id);
      break;
    }
    out.push_back(PromptJson((*prompts)[i]));
  }
  reply["prompts"] = std::move(out);
  reply["count"] = *count;
  return reply;
}

Result<json> Answer(Journal& journal, const ParamReader& p, int64_t now) {
  Result<int64_t> id = p.Int("prompt", kPromptId);
  if (!id) return id.error();
  // "accept": true answers with the Impact: notes of the PR's commits.
  auto flag = p.params().find("accept");
  bool accept = flag != p.params().end() && flag->is_boolean() && flag->get<bool>();
  Result<std::string> text =
      accept ? Result<std::string>(std::string())
             : p.String("note", "the note's text (a string)");
  if (!text) return text.error();
  Result<Note> note =
      accept ? journal.AcceptCommitNotes(*id, now) : journal.Answer(*id, *text, now);
  if (!note) return FromJournal(note.error());
  Result<Prompt> prompt = journal.GetPrompt(*id);
  if (!prompt) return FromJournal(prompt.error());
  json prompt_json = PromptJson(*prompt);
  prompt_json["note"] = note->text;
  return json{{"prompt", prompt_json}, {"note", NoteJson(*note)}};
}

Result<json> Snooze(Journal& journal, const ParamReader& p, int64_t now) {
  Result<int64_t> id = p.Int("prompt", kPromptId);
  if (!id) return id.error();
  Result<int64_t> until = SnoozeUntil(p, now);
  if (!until) return until.error();
  if (*until <= now) {
    return p.Invalid("until", MakeError("bad_date", "the time must be in the future"));
  }
  Result<Prompt> prompt = journal.Snooze(*id, *until);
  if (!prompt) return FromJournal(prompt.error());
  return PromptResult(*prompt);
}

Result<json> Dismiss(Journal& journal, const ParamReader& p, int64_t) {
  Result<int64_t> id = p.Int("prompt", kPromptId);
  if (!id) return id.error();
  Result<Prompt> prompt = journal.Dismiss(*id);
  if (!prompt) return FromJournal(prompt.error());
  return PromptResult(*prompt);
}

// A note's commit as a full oid when its repo is a git repository; as given
// when it is a plain folder. A revision the repo does not have is refused.
Result<std::string> ResolveRevision(const std::string& repo, const std::string& rev) {
  Result<git::Repo> opened = git::Repo::Open(repo);
  if (!opened) return rev;
  Result<std::string> oid = opened->ResolveCommit(rev);
  if (!oid) return MakeError("not_found", "note: " + oid.error().message);
  return oid;
}

Result<json> AddNote(Journal& journal, const ParamReader& p, int64_t now) {
  Result<std::string> text = p.String("text", "the note's text (a string)");
  if (!text) return text.error();
  Result<std::optional<std::string>> repo =
      p.OptionalString("repo", "a repo path or name (a string)");
  if (!repo) return repo.error();
  Result<std::optional<std::string>> commit =
      p.OptionalString("commit", "a revision (a string)");
  if (!commit) return commit.error();
  Result<std::vector<std::string>> tags = p.Strings("tags", "an array of strings");
  if (!tags) return tags.error();
  NewNote note;
  note.text = *text;
  note.commit = commit->value_or("");
  note.tags = *tags;
  if (*repo) {
    Result<std::optional<std::string>> path = ResolveRepo(journal, **repo);
    if (!path) return path.error();
    if (!*path) {
      return MakeError("not_found",
                       "note: no watched repo or folder \"" + **repo + "\"");
    }
    note.repo = **path;
    if (!note.commit.empty()) {
      Result<std::string> oid = ResolveRevision(note.repo, note.commit);
      if (!oid) return oid.error();
      note.commit = *oid;
    }
  }
  Result<Note> stored = journal.AddNote(note, now);
  if (!stored) return FromJournal(stored.error());
  return json{{"note", NoteJson(*stored)}};
}

Result<std::optional<std::string>> LogKind(const ParamReader& p) {
  constexpr const char* kWhat = "one of pr_merged, incident_closed, note";
  Result<std::optional<std::string>> kind = p.OptionalString("kind", kWhat);
  if (!kind || !*kind) return kind;
  if (ParseEventKind(**kind) || **kind == "note") {
    return kind;
  }
  return p.Invalid("kind",
                   MakeError("bad_request", "\"" + **kind + "\" is not " + kWhat));
}

Result<LogQuery> ReadLogQuery(Journal& journal, const ParamReader& p, int64_t now) {
  LogQuery q;
  Result<std::optional<int64_t>> since = p.OptionalTime("since", now);
  if (!since) return since.error();
  Result<std::optional<int64_t>> until = p.OptionalTime("until", now);
  if (!until) return until.error();
  Result<std::optional<std::string>> repo =
      p.OptionalString("repo", "a repo path or name (a string)");
  if (!repo) return repo.error();
  Result<std::optional<std::string>> kind = LogKind(p);
  if (!kind) return kind.error();
  Result<int64_t> limit = ReadLimit(p);
  if (!limit) return limit.error();
  Result<std::optional<LogCursor>> after = ReadLogCursor(p);
  if (!after) return after.error();
  q.since = *since;
  q.until = *until;
  q.kind = *kind;
  q.limit = static_cast<int>(*limit);
  q.after = *after;
  if (*repo) {
    Result<std::optional<std::string>> path = ResolveRepo(journal, **repo);
    if (!path) return path.error();
    q.repo = path->value_or(**repo);
  }
  return q;
}

// A page of the log, newest first, with "next" when more follow.
Result<json> Log(Journal& journal, const ParamReader& p, int64_t now) {
  Result<LogQuery> query = ReadLogQuery(journal, p, now);
  if (!query) return query.error();
  query->limit = RowsToRead(query->limit);
  Result<std::vector<LogEntry>> entries = journal.Log(*query);
  if (!entries) return FromJournal(entries.error());
  json out = json::array();
  json reply = json::object();
  for (size_t i = 0; i < entries->size(); ++i) {
    if (out.size() == kPageEntries) {
      const LogEntry& last = (*entries)[i - 1];
      bool event = last.event.has_value();
      int64_t id = event ? last.event->id : last.note ? last.note->id : 0;
      reply["next"] = std::to_string(last.time) + "." + std::to_string(id) +
                      (event ? ".e" : ".n");
      break;
    }
    out.push_back(LogEntryJson((*entries)[i]));
  }
  reply["entries"] = std::move(out);
  return reply;
}

Result<json> ReposList(Journal& journal, const ParamReader&, int64_t) {
  Result<std::vector<RepoRecord>> repos = journal.ListRepos();
  if (!repos) return FromJournal(repos.error());
  json out = json::array();
  for (const RepoRecord& r : *repos) out.push_back(RepoJson(r));
  return json{{"repos", out}};
}

Result<json> Digest(Journal& journal, const ParamReader& p, int64_t now) {
  return CallDigestMethod(&journal, p.params(), now, p.config());
}

Result<json> RecordCommit(Journal& journal, const ParamReader& p, int64_t now) {
  return RecordCommitMethod(journal, p.params(), now);
}

Result<json> RewriteCommits(Journal& journal, const ParamReader& p, int64_t now) {
  return RewriteCommitsMethod(journal, p.params(), now);
}

using Method = Result<json> (*)(Journal&, const ParamReader&, int64_t);

const std::map<std::string, Method, std::less<>>& Methods() {
  static const std::map<std::string, Method, std::less<>> methods{
      {"pending", &Pending},      {"answer", &Answer}, {"snooze", &Snooze},
      {"dismiss", &Dismiss},      {"note", &AddNote},  {"log", &Log},
      {"repos.list", &ReposList}, {"digest", &Digest},
      {"commit.record", &RecordCommit}, {"commit.rewrite", &RewriteCommits},
  };
  return methods;
}

}  // namespace

bool IsJournalMethod(const std::string& method) { return Methods().contains(method); }

Result<json> CallJournalMethod(Journal& journal, const std::string& method,
                               const json& params, int64_t now, const Config* config) {
  auto m = Methods().find(method);
  if (m == Methods().end()) {
    return MakeError("unknown_method", "no journal method \"" + method + "\"");
  }
  ParamReader reader(method, params, config);
  if (Status s = reader.CheckObject(); !s) return s.error();
  return m->second(journal, reader, now);
}

}  // namespace brag
