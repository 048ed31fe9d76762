#include "protocol/json_records.h"

#include "core/timeutil.h"

namespace brag {
namespace {

using nlohmann::json;

json TimeOrNull(int64_t t) { return t > 0 ? json(FormatIsoUtc(t)) : json(nullptr); }
json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

void AddEventFields(const Event& event, json* out) {
  json& o = *out;
  o["kind"] = ToString(event.kind);
  o["commit"] = event.commit;
  o["forge"] = event.forge;
  o["pr"] = event.pr > 0 ? json(event.pr) : json(nullptr);
  o["title"] = event.title;
  o["branch"] = TextOrNull(event.branch);
  o["authors"] = event.authors;
  o["commit_time"] = TimeOrNull(event.commit_time);
  o["diffstat"] = {{"files", event.diffstat.files},
                   {"insertions", event.diffstat.insertions},
                   {"deletions", event.diffstat.deletions}};
  o["paths"] = event.paths;
  if (event.kind == EventKind::kIncidentClosed) o["incident"] = IncidentJson(event);
}

json IncidentJson(const Event& event) {
  return {{"opened", TimeOrNull(event.opened)},
          {"closed", TimeOrNull(event.commit_time)},
          {"duration_s", event.opened > 0 && event.commit_time >= event.opened
                             ? json(event.commit_time - event.opened)
                             : json(nullptr)},
          {"commits", event.commit_count},
          {"merged", event.merged}};
}

json PromptJson(const Prompt& prompt) {
  json o = json::object();
  o["id"] = prompt.id;
  AddEventFields(prompt.event, &o);
  o["state"] = ToString(prompt.state);
  o["created"] = TimeOrNull(prompt.created);
  o["repo"] = prompt.repo;
  o["repo_name"] = prompt.repo_name;
  o["snoozed_until"] = prompt.state == PromptState::kSnoozed
                           ? TimeOrNull(prompt.snoozed_until)
                           : json(nullptr);
  o["event"] = prompt.event.id;
  o["note"] = nullptr;
  json commit_notes = json::array();
  for (const Note& n : prompt.commit_notes) {
    commit_notes.push_back({{"id", n.id}, {"text", n.text}, {"commit", n.commit}});
  }
  o["commit_notes"] = std::move(commit_notes);
  return o;
}

json NoteJson(const Note& note) {
  json o = json::object();
  o["id"] = note.id;
  o["kind"] = "note";
  o["text"] = note.text;
  o["created"] = TimeOrNull(note.created);
  o["source"] = note.source;
  o["repo"] = TextOrNull(note.repo);
  o["commit"] = TextOrNull(note.commit);
  o["tags"] = note.tags;
  o["prompt"] = note.prompt_id ? json(*note.prompt_id) : json(nullptr);
  o["event"] = note.event_id ? json(*note.event_id) : json(nullptr);
  if (note.edited > 0) o["edited"] = TimeOrNull(note.edited);
  return o;
}

json LogEntryJson(const LogEntry& entry) {
  json o;
  if (entry.event) {
    o = entry.prompt ? PromptJson(*entry.prompt) : json::object();
    if (!entry.prompt) AddEventFields(*entry.event, &o);
    o["event"] = entry.event->id;
    if (entry.prompt) o["prompt"] = entry.prompt->id;
    o["repo"] = entry.repo;
    o["repo_name"] = entry.repo_name;
    o["note"] = entry.note ? json(entry.note->text) : json(nullptr);
    o["note_id"] = entry.note ? json(entry.note->id) : json(nullptr);
  } else if (entry.note) {
    o = NoteJson(*entry.note);
    o["repo_name"] = TextOrNull(entry.repo_name);
  }
  o["kind"] = entry.kind;
  o["time"] = TimeOrNull(entry.time);
  return o;
}

json RepoJson(const RepoRecord& repo) {
  return json{{"id", repo.id},         {"path", repo.path},
              {"name", repo.name},     {"source", repo.source},
              {"state", ToString(repo.state)},   {"error", TextOrNull(repo.error)},
              {"added", TimeOrNull(repo.added)},
              {"watching", "none"}};  // bragd fills in how it follows the repo
}

}  // namespace brag
