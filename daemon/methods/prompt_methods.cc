// The prompts' methods: pending, answer, snooze, dismiss.
#include <string_view>

#include "core/timeutil.h"
#include "methods/pages.h"
#include "methods/registry.h"
#include "protocol/json_records.h"

namespace brag {
namespace {

using nlohmann::json;

constexpr const char* kPromptId = "an integer prompt id";

json PromptResult(const Prompt& prompt) { return json{{"prompt", PromptJson(prompt)}}; }

// A prompt that is no longer pending disappears wherever bragd's subscribers
// show it.
void TellClosed(const MethodCall& c, const Prompt& prompt) {
  if (c.context.daemon) c.context.daemon->PromptClosed(prompt);
}

// `until` for a snooze: unix seconds, or a time to come as ParseLaterTime
// reads one ("2h", "tomorrow", "monday", "2026-12-10"); a day named without
// a time ends at the start of the work day ([daemon] workday_start).
Result<int64_t> SnoozeUntil(const MethodCall& c) {
  constexpr const char* kWhat =
      "a time to come: 2h, 1d, tomorrow, monday, next week, 14:00, 2026-12-10 or unix "
      "seconds";
  const ParamReader& p = c.params;
  if (p.IsInteger("until")) return p.Int("until", kWhat);
  Result<std::optional<std::string>> text = p.OptionalString("until", kWhat);
  if (!text) return text.error();
  Result<int64_t> t =
      ParseLaterTime(text->value_or("1d"), c.context.now, c.config().workday_start);
  if (!t) return p.Invalid("until", t.error());
  return *t;
}

// A page of the prompts waiting, with "count" (all of them) and, when more
// follow, "next".
Result<json> Pending(const MethodCall& c) {
  Result<int64_t> limit = ReadLimit(c.params);
  if (!limit) return limit.error();
  Result<std::optional<PromptCursor>> after = ReadPromptCursor(c.params);
  if (!after) return after.error();
  Result<bool> with_snoozed = c.params.Bool("snoozed", false);
  if (!with_snoozed) return with_snoozed.error();
  if (!c.context.journal) {
    return json{{"prompts", json::array()}, {"count", 0}, {"snoozed", 0}};
  }
  JournalPrompts& journal = c.context.journal->prompts();
  Result<std::vector<Prompt>> prompts =
      journal.Pending(c.context.now, RowsToRead(*limit), *after, *with_snoozed);
  if (!prompts) return FromJournal(prompts.error());
  Result<int64_t> count = journal.PendingCount(c.context.now);
  if (!count) return FromJournal(count.error());
  Result<int64_t> snoozed = journal.SnoozedCount(c.context.now);
  if (!snoozed) return FromJournal(snoozed.error());
  json out = json::array();
  json reply = json::object();
  for (size_t i = 0; i < prompts->size(); ++i) {
    if (out.size() == kPageEntries) {
      const Prompt& last = (*prompts)[i - 1];
      reply["next"] =
          std::to_string(last.event.commit_time) + "." + std::to_string(last.id);
      break;
    }
    out.push_back(PromptJson((*prompts)[i]));
  }
  reply["prompts"] = std::move(out);
  reply["count"] = *count;
  reply["snoozed"] = *snoozed;
  return reply;
}

Result<json> Answer(const MethodCall& c) {
  Result<int64_t> id = c.params.Int("prompt", kPromptId);
  if (!id) return id.error();
  // "accept": true answers with the Impact: notes of the PR's commits.
  Result<bool> accept = c.params.Bool("accept", false);
  if (!accept) return accept.error();
  Result<std::string> text = *accept ? Result<std::string>(std::string())
                                     : c.params.String("note", "the note's text (a string)");
  if (!text) return text.error();
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<Note> note = *accept
                          ? (*journal)->prompts().AcceptCommitNotes(*id, c.context.now)
                          : (*journal)->prompts().Answer(*id, *text, c.context.now);
  if (!note) return FromJournal(note.error());
  Result<Prompt> prompt = (*journal)->prompts().GetPrompt(*id);
  if (!prompt) return FromJournal(prompt.error());
  TellClosed(c, *prompt);
  json prompt_json = PromptJson(*prompt);
  prompt_json["note"] = note->text;
  return json{{"prompt", prompt_json}, {"note", NoteJson(*note)}};
}

// Which prompts a snooze or dismiss names: `prompt` (one id: the reply is
// that prompt), else `prompts` (ids), else `all: true` with `repo` and
// `before` to narrow it. Sets *one when the request named a single prompt.
Result<PromptSelection> ReadSelection(const MethodCall& c, bool* one) {
  const ParamReader& p = c.params;
  PromptSelection which;
  *one = p.Find("prompt") != nullptr;
  if (*one) {
    Result<int64_t> id = p.Int("prompt", kPromptId);
    if (!id) return id.error();
    which.ids.push_back(*id);
    return which;
  }
  constexpr const char* kIds = "an array of integer prompt ids";
  if (const json* ids = p.Find("prompts")) {
    if (!ids->is_array() || ids->empty()) return p.Wrong("prompts", kIds);
    for (const json& id : *ids) {
      if (!id.is_number_integer()) return p.Wrong("prompts", kIds);
      which.ids.push_back(id.get<int64_t>());
    }
    return which;
  }
  Result<bool> all = p.Bool("all", false);
  if (!all) return all.error();
  if (!*all) return p.Missing("prompt", "a prompt id (or prompts: [ids], or all: true)");
  Result<std::optional<std::string>> repo = p.OptionalString("repo", "a repo path or name");
  if (!repo) return repo.error();
  which.repo = repo->value_or("");
  Result<std::optional<int64_t>> before = p.OptionalTime("before", c.context.now);
  if (!before) return before.error();
  which.before = *before;
  return which;
}

// The reply of a snooze or dismiss: the one prompt, or all of them.
json SelectionResult(const std::vector<Prompt>& done, bool one) {
  if (one) return PromptResult(done.front());
  json prompts = json::array();
  for (const Prompt& prompt : done) prompts.push_back(PromptJson(prompt));
  return json{{"prompts", std::move(prompts)}, {"count", done.size()}};
}

Result<json> Snooze(const MethodCall& c) {
  bool one = false;
  Result<PromptSelection> which = ReadSelection(c, &one);
  if (!which) return which.error();
  Result<int64_t> until = SnoozeUntil(c);
  if (!until) return until.error();
  if (*until <= c.context.now) {
    return c.params.Invalid("until", MakeError("bad_date", "the time is in the past"));
  }
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<std::vector<Prompt>> done = (*journal)->prompts().SnoozeAll(*which, *until);
  if (!done) return FromJournal(done.error());
  for (const Prompt& prompt : *done) TellClosed(c, prompt);
  return SelectionResult(*done, one);
}

Result<json> Dismiss(const MethodCall& c) {
  bool one = false;
  Result<PromptSelection> which = ReadSelection(c, &one);
  if (!which) return which.error();
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<std::vector<Prompt>> done = (*journal)->prompts().DismissAll(*which);
  if (!done) return FromJournal(done.error());
  for (const Prompt& prompt : *done) TellClosed(c, prompt);
  return SelectionResult(*done, one);
}

}  // namespace

void AddPromptMethods(std::vector<MethodSpec>& methods) {
  methods.push_back({.name = "pending", .run = &Pending, .read_only = true});
  methods.push_back({.name = "answer", .run = &Answer});
  methods.push_back({.name = "snooze", .run = &Snooze});
  methods.push_back({.name = "dismiss", .run = &Dismiss});
}

}  // namespace brag
