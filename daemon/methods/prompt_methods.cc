// The prompts' methods: pending, answer, snooze, dismiss.
#include <cctype>
#include <chrono>
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

// A page of the prompts waiting, with "count" (all of them) and, when more
// follow, "next".
Result<json> Pending(const MethodCall& c) {
  Result<int64_t> limit = ReadLimit(c.params);
  if (!limit) return limit.error();
  Result<std::optional<PromptCursor>> after = ReadPromptCursor(c.params);
  if (!after) return after.error();
  if (!c.context.journal) return json{{"prompts", json::array()}, {"count", 0}};
  Journal& journal = *c.context.journal;
  Result<std::vector<Prompt>> prompts =
      journal.Pending(c.context.now, RowsToRead(*limit), *after);
  if (!prompts) return FromJournal(prompts.error());
  Result<int64_t> count = journal.PendingCount(c.context.now);
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
  Result<Note> note = *accept ? (*journal)->AcceptCommitNotes(*id, c.context.now)
                              : (*journal)->Answer(*id, *text, c.context.now);
  if (!note) return FromJournal(note.error());
  Result<Prompt> prompt = (*journal)->GetPrompt(*id);
  if (!prompt) return FromJournal(prompt.error());
  TellClosed(c, *prompt);
  json prompt_json = PromptJson(*prompt);
  prompt_json["note"] = note->text;
  return json{{"prompt", prompt_json}, {"note", NoteJson(*note)}};
}

Result<json> Snooze(const MethodCall& c) {
  Result<int64_t> id = c.params.Int("prompt", kPromptId);
  if (!id) return id.error();
  Result<int64_t> until = SnoozeUntil(c.params, c.context.now);
  if (!until) return until.error();
  if (*until <= c.context.now) {
    return c.params.Invalid("until",
                            MakeError("bad_date", "the time must be in the future"));
  }
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<Prompt> prompt = (*journal)->Snooze(*id, *until);
  if (!prompt) return FromJournal(prompt.error());
  TellClosed(c, *prompt);
  return PromptResult(*prompt);
}

Result<json> Dismiss(const MethodCall& c) {
  Result<int64_t> id = c.params.Int("prompt", kPromptId);
  if (!id) return id.error();
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<Prompt> prompt = (*journal)->Dismiss(*id);
  if (!prompt) return FromJournal(prompt.error());
  TellClosed(c, *prompt);
  return PromptResult(*prompt);
}

}  // namespace

void AddPromptMethods(std::vector<MethodSpec>& methods) {
  methods.push_back({.name = "pending", .run = &Pending, .read_only = true});
  methods.push_back({.name = "answer", .run = &Answer});
  methods.push_back({.name = "snooze", .run = &Snooze});
  methods.push_back({.name = "dismiss", .run = &Dismiss});
}

}  // namespace brag
