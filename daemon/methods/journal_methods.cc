// The journal's own entries: note (a note of the user's), note.get,
// note.edit and note.rm (correcting one), and log.
#include <filesystem>
#include <system_error>

#include "core/timeutil.h"
#include "git/repo.h"
#include "methods/pages.h"
#include "methods/registry.h"
#include "protocol/json_records.h"

namespace brag {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kRepo = "a repo path or name (a string)";

// A repo as a client names it: a watched repo (path or name) gives its
// stored path; another existing folder its canonical path.
Result<std::optional<std::string>> ResolveRepo(Journal& journal,
                                               const std::string& repo) {
  Result<std::optional<RepoRecord>> found = journal.repos().FindRepo(repo);
  if (!found) return FromJournal(found.error());
  if (*found) return std::optional<std::string>((*found)->path);
  std::error_code ec;
  fs::path canonical = fs::canonical(repo, ec);
  if (ec) return std::optional<std::string>();
  return std::optional<std::string>(canonical.string());
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

Result<json> AddNote(const MethodCall& c) {
  Result<std::string> text = c.params.String("text", "the note's text (a string)");
  if (!text) return text.error();
  Result<std::optional<std::string>> repo = c.params.OptionalString("repo", kRepo);
  if (!repo) return repo.error();
  Result<std::optional<std::string>> commit =
      c.params.OptionalString("commit", "a revision (a string)");
  if (!commit) return commit.error();
  Result<std::vector<std::string>> tags = c.params.Strings("tags", "an array of strings");
  if (!tags) return tags.error();
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  NewNote note;
  note.text = *text;
  note.commit = commit->value_or("");
  note.tags = *tags;
  if (*repo) {
    Result<std::optional<std::string>> path = ResolveRepo(**journal, **repo);
    if (!path) return path.error();
    if (!*path) {
      return MakeError("not_found", "note: no watched repo or folder \"" + **repo + "\"");
    }
    note.repo = **path;
    if (!note.commit.empty()) {
      Result<std::string> oid = ResolveRevision(note.repo, note.commit);
      if (!oid) return oid.error();
      note.commit = *oid;
    }
  }
  Result<Note> stored = (*journal)->prompts().AddNote(note, c.context.now);
  if (!stored) return FromJournal(stored.error());
  return json{{"note", NoteJson(*stored)}};
}

constexpr const char* kNoteId = "an integer note id";

Result<json> GetNote(const MethodCall& c) {
  Result<int64_t> id = c.params.Int("note", kNoteId);
  if (!id) return id.error();
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<Note> note = (*journal)->prompts().GetNote(*id);
  if (!note) return FromJournal(note.error());
  return json{{"note", NoteJson(*note)}};
}

// Replies {"note", "changed"}: changed is false when the text was the same.
Result<json> EditNote(const MethodCall& c) {
  Result<int64_t> id = c.params.Int("note", kNoteId);
  if (!id) return id.error();
  Result<std::string> text = c.params.String("text", "the note's new text (a string)");
  if (!text) return text.error();
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<EditedNote> edited = (*journal)->prompts().EditNote(*id, *text, c.context.now);
  if (!edited) return FromJournal(edited.error());
  return json{{"note", NoteJson(edited->note)}, {"changed", edited->changed}};
}

// Replies {"note" (with "removed"), "reopened": the prompt it answered, now
// pending again, or null}.
Result<json> RemoveNote(const MethodCall& c) {
  Result<int64_t> id = c.params.Int("note", kNoteId);
  if (!id) return id.error();
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<RemovedNote> removed = (*journal)->prompts().RemoveNote(*id, c.context.now);
  if (!removed) return FromJournal(removed.error());
  if (removed->reopened && c.context.daemon) c.context.daemon->PromptReopened(*removed->reopened);
  json note = NoteJson(removed->note);
  note["removed"] = FormatIsoUtc(c.context.now);
  return json{
      {"note", std::move(note)},
      {"reopened", removed->reopened ? PromptJson(*removed->reopened) : json()}};
}

Result<std::optional<std::string>> LogKind(const ParamReader& p) {
  constexpr const char* kWhat = "one of pr_merged, incident_closed, note";
  Result<std::optional<std::string>> kind = p.OptionalString("kind", kWhat);
  if (!kind || !*kind) return kind;
  if (ParseEventKind(**kind) || **kind == "note") {
    return kind;
  }
  return p.Invalid("kind", MakeError("bad_request", "\"" + **kind + "\" is not " + kWhat));
}

Result<LogQuery> ReadLogQuery(const MethodCall& c) {
  const ParamReader& p = c.params;
  LogQuery q;
  Result<std::optional<int64_t>> since = p.OptionalTime("since", c.context.now);
  if (!since) return since.error();
  Result<std::optional<int64_t>> until = p.OptionalTime("until", c.context.now);
  if (!until) return until.error();
  Result<std::optional<std::string>> repo = p.OptionalString("repo", kRepo);
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
  if (*repo && c.context.journal) {
    Result<std::optional<std::string>> path = ResolveRepo(*c.context.journal, **repo);
    if (!path) return path.error();
    q.repo = path->value_or(**repo);
  }
  return q;
}

// A page of the log, newest first, with "next" when more follow.
Result<json> Log(const MethodCall& c) {
  Result<LogQuery> query = ReadLogQuery(c);
  if (!query) return query.error();
  if (!c.context.journal) return json{{"entries", json::array()}};
  query->limit = RowsToRead(query->limit);
  Result<std::vector<LogEntry>> entries = c.context.journal->history().Log(*query);
  if (!entries) return FromJournal(entries.error());
  json out = json::array();
  json reply = json::object();
  for (size_t i = 0; i < entries->size(); ++i) {
    if (out.size() == kPageEntries) {
      const LogEntry& last = (*entries)[i - 1];
      bool event = last.event.has_value();
      int64_t id = event ? last.event->id : last.note ? last.note->id : 0;
      reply["next"] =
          std::to_string(last.time) + "." + std::to_string(id) + (event ? ".e" : ".n");
      break;
    }
    out.push_back(LogEntryJson((*entries)[i]));
  }
  reply["entries"] = std::move(out);
  return reply;
}

}  // namespace

void AddJournalMethods(std::vector<MethodSpec>& methods) {
  methods.push_back({.name = "note", .run = &AddNote});
  methods.push_back({.name = "note.get", .run = &GetNote, .read_only = true});
  methods.push_back({.name = "note.edit", .run = &EditNote});
  methods.push_back({.name = "note.rm", .run = &RemoveNote});
  methods.push_back({.name = "log", .run = &Log, .read_only = true});
}

}  // namespace brag
