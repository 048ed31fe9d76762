// The prompt family: `pending`, `prompt`, `answer`, `snooze`, `dismiss`.
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/prompt_loop.h"
#include "cli/report.h"
#include "core/text.h"
#include "core/timeutil.h"

namespace brag::cli {
namespace {

using nlohmann::json;

// "payments PR #481 Add composite index" for confirmations.
std::string Describe(const json& prompt) {
  return Text(prompt, "repo_name") + " " + KindMarker(prompt) + " " + Subject(prompt);
}

void AddPromptId(CLI::App& command, Args& args) {
  command.add_option("ID", args.prompt_id, "The prompt's id (see `brag pending`)")
      ->required()
      ->check(PromptIdValidator());
}

// --- pending -----------------------------------------------------------------

void DefinePending(CLI::App& command, Args& args) {
  command.add_flag("--all", args.all,
                   "Also list the prompts snoozed to a later time, with that time");
  command.add_flag("--count", args.count,
                   "Print only the number (for a shell prompt; 0 without a journal)");
  command.add_flag("--json", args.json,
                   "Print one JSON object per prompt (JSON Lines)");
}

int RunPending(CommandContext& context, const Args& args) {
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(context.config, Access::kRead, &context.err);
  if (!backend) return ReportError(context, backend.error());
  if (args.count) {
    // One small page: the reply counts them all.
    Result<json> first = (*backend)->Call("pending", {{"limit", 1}});
    if (!first) return ReportError(context, first.error());
    const json& count = Field(*first, "count");
    context.out << (count.is_number_integer() ? count.get<int64_t>()
                                              : static_cast<int64_t>(Field(*first, "prompts").size()))
                << "\n";
    return kExitOk;
  }
  json params = json::object();
  if (args.all) params["snoozed"] = true;
  Result<json> pending = CallAllPages(**backend, "pending", params, "prompts");
  if (!pending) return ReportError(context, pending.error());
  const json& prompts = Field(*pending, "prompts");
  const json& snoozed = Field(*pending, "snoozed");
  int64_t later = snoozed.is_number_integer() ? snoozed.get<int64_t>() : 0;
  if (args.json) {
    PrintJsonLines(context.out, prompts);
    return kExitOk;
  }
  if (prompts.empty()) {
    context.out << "No prompts waiting.\n";
  } else {
    context.out << PendingTable(prompts, context.now, context.style);
  }
  if (later > 0 && !args.all) {
    context.out << Plural(later, "more prompt is", "more prompts are")
                << " snoozed (brag pending --all)\n";
  }
  return kExitOk;
}

// --- prompt ------------------------------------------------------------------

void DefinePrompt(CLI::App& command, Args& args) {
  command.add_flag("--once", args.once,
                   "Only work through the prompts pending now, then exit");
}

int CannotWait(CommandContext& context, const std::string& what) {
  context.err << "brag: error: " << what << " (cannot wait for new prompts)\n";
  return kExitUnavailable;
}

int RunPrompt(CommandContext& context, const Args& args) {
  InstallInterruptHandler();
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(context.config, Access::kWrite, &context.err);
  if (!backend) return ReportError(context, backend.error());
  bool live = (*backend)->daemon() != nullptr;
  if (live && !args.once) {
    // Before listing the pending ones, so no prompt made meanwhile is missed.
    Result<json> subscribed = (*backend)->Call("subscribe");
    if (!subscribed) return ReportError(context, subscribed.error());
  }
  // A terminal gets line editing and history; a pipe, plain lines.
  LineReader reader(context.input_fd);
  std::unique_ptr<LineSource> input =
      EditedLines(context.input_fd, stdout, PromptHistoryPath());
  if (!input) input = PlainLines(reader, context.out);
  PromptLoop loop(**backend, *input, context.out, context.err, context.style);
  Result<bool> more = loop.WorkThroughPending();
  if (!more) return ReportError(context, more.error());
  int code = loop.had_errors() ? kExitFailure : kExitOk;
  if (!*more || args.once) return code;
  if (!live) return CannotWait(context, "bragd is not running");
  Status waited = loop.WaitForNew();
  if (!waited && waited.error().code == "unreachable") {
    return CannotWait(context, "bragd stopped");
  }
  if (!waited) return ReportError(context, waited.error());
  return loop.had_errors() ? kExitFailure : kExitOk;
}

// --- answer, snooze, dismiss --------------------------------------------------

void DefineAnswer(CLI::App& command, Args& args) {
  AddPromptId(command, args);
  command
      .add_option(
          "TEXT", args.words,
          "The impact note (words are joined; put -- before text starting with -)")
      ->required();
}

// The answer lost to one filed elsewhere: the text is kept, filed as a note
// of its own when the user says so on a terminal, else printed back with the
// command that files it.
int KeepLostAnswer(CommandContext& context, Backend& backend, int64_t id,
                   const std::string& text) {
  json prompt = LoggedPrompt(backend, id);
  std::string theirs = Text(prompt, "note");
  context.err << "brag: error: prompt " << id << " was answered elsewhere"
              << (theirs.empty() ? std::string() : ", with \"" + theirs + "\"")
              << " (your text was not filed)\n";
  if (::isatty(context.input_fd)) {
    LineReader reader(context.input_fd);
    std::unique_ptr<LineSource> input = PlainLines(reader, context.out);
    LineInput yes = input->Read("File \"" + text + "\" as a separate note? [Y/n] ");
    std::string word = yes.text;
    if (yes.end == LineInput::End::kLine &&
        (word.empty() || word == "y" || word == "Y" || word == "yes")) {
      Result<json> note = FileAsNote(backend, text, prompt);
      if (note) {
        context.out << "noted (a note of its own)\n";
        return kExitOk;
      }
      ReportError(context, note.error());
    }
  }
  context.err << "brag: your text: " << text << "\n"
              << "brag: to file it as a note of its own: " << NoteCommand(text, prompt)
              << "\n";
  if (int64_t note = Int(prompt, "note_id"); note > 0) {
    context.err << "brag: to change that answer instead: brag edit " << note << "\n";
  }
  return kExitFailure;
}

int RunAnswer(CommandContext& context, const Args& args) {
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(context.config, Access::kWrite, &context.err);
  if (!backend) return ReportError(context, backend.error());
  std::string text = JoinWords(args.words);
  Result<json> r =
      (*backend)->Call("answer", {{"prompt", args.prompt_id}, {"note", text}});
  if (!r && r.error().code == "conflict") {
    return KeepLostAnswer(context, **backend, args.prompt_id, text);
  }
  if (!r) return ReportError(context, r.error());
  context.out << "noted on " << args.prompt_id << ": " << Describe(Field(*r, "prompt"))
              << "\n";
  return kExitOk;
}

// A usage error for a word that is not a prompt id.
int NotAnId(CommandContext& context, const std::string& word) {
  context.err << "brag: error: " << PromptIdProblem(word)
              << " (ids are whole numbers from 1; see brag pending)\n";
  return kExitUsage;
}

void AddSelection(CLI::App& command, Args& args) {
  command.add_flag("--all", args.all, "Every prompt still open (pending or snoozed)");
  command.add_option("--repo", args.repo,
                     "Only the open prompts of this repo (its path or name)");
  command
      .add_option("--before", args.older,
                  "Only the open prompts of merges before this date (2025-01-01, "
                  "3 months ago)")
      ->check(DateValidator());
}

// The params naming the prompts of `ids` or of --all/--repo/--before; a
// usage error (printed) when there are neither or both.
std::optional<json> SelectionParams(CommandContext& context, const Args& args,
                                    const std::vector<std::string>& ids) {
  bool filtered = args.all || !args.repo.empty() || !args.older.empty();
  if (ids.empty() == !filtered) {
    context.err << "brag: error: "
                << (ids.empty() ? "which prompts? (give their ids, or --all, --repo or "
                                  "--before)"
                                : "prompt ids and a selection together (give ids, or "
                                  "--all, --repo and --before, not both)")
                << "\n";
    return std::nullopt;
  }
  json params = json::object();
  if (ids.size() == 1) {
    params["prompt"] = std::stoll(ids[0]);
  } else if (!ids.empty()) {
    json list = json::array();
    for (const std::string& id : ids) list.push_back(std::stoll(id));
    params["prompts"] = std::move(list);
  } else {
    params["all"] = true;
    if (!args.repo.empty()) params["repo"] = RepoArgument(args.repo);
    if (!args.older.empty()) {
      Result<int64_t> before = ParseDate(args.older, context.now);
      if (!before) {  // DateValidator read it already
        context.err << "brag: error: --before (" << before.error().message << ")\n";
        return std::nullopt;
      }
      params["before"] = *before;
    }
  }
  return params;
}

// What a snooze or dismiss did: one line per prompt (up to ten), then how
// many in all.
int ReportDone(CommandContext& context, const Args& args, const json& reply,
               const std::string& verb, const std::string& how) {
  json prompts = Field(reply, "prompts");
  if (!prompts.is_array()) prompts = json::array({Field(reply, "prompt")});
  if (args.json) {
    PrintJsonLines(context.out, prompts);
    return kExitOk;
  }
  if (prompts.empty()) {
    context.out << "No open prompts matched: nothing " << verb << ".\n";
    return kExitOk;
  }
  constexpr size_t kListed = 10;
  for (size_t i = 0; i < prompts.size() && i < kListed; ++i) {
    context.out << verb << " " << Int(prompts[i], "id") << ": " << Describe(prompts[i]) << how
                << "\n";
  }
  if (prompts.size() > 1) {
    context.out << verb << " " << Plural(static_cast<int64_t>(prompts.size()), "prompt", "prompts")
                << how << (prompts.size() > kListed ? " (the first ten listed)" : "") << "\n";
  }
  return kExitOk;
}

void DefineSnooze(CLI::App& command, Args& args) {
  command.add_option("ID", args.targets,
                     "The prompts' ids (see `brag pending`), then how long (30m, 2h, 1d) "
                     "or until when (tomorrow, monday, next week, 14:00, 2026-12-10; a day "
                     "starts at [daemon] workday_start); default 1d");
  AddSelection(command, args);
  command.add_flag("--json", args.json, "Print each snoozed prompt as JSON (JSON Lines)");
}

int RunSnooze(CommandContext& context, const Args& args) {
  // The ids come first; after one, a number of 9 digits or more is the time
  // (unix seconds).
  std::vector<std::string> ids;
  size_t i = 0;
  for (; i < args.targets.size(); ++i) {
    const std::string& word = args.targets[i];
    bool digits = !word.empty() && word.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || (!ids.empty() && word.size() >= 9)) break;
    if (!PromptIdProblem(word).empty()) return NotAnId(context, word);
    ids.push_back(word);
  }
  std::string until;
  for (; i < args.targets.size(); ++i) until += (until.empty() ? "" : " ") + args.targets[i];
  std::optional<json> params = SelectionParams(context, args, ids);
  if (!params) return kExitUsage;
  (*params)["until"] = until.empty() ? "1d" : until;
  Result<json> r = Request(context, Access::kWrite, "snooze", *params);
  if (!r) return ReportError(context, r.error());
  json first = Field(*r, "prompt");
  if (const json& many = Field(*r, "prompts"); many.is_array() && !many.empty()) first = many[0];
  return ReportDone(context, args, *r, "snoozed",
                    first.is_object() ? " until " + LocalDateTime(Field(first, "snoozed_until"))
                                      : "");
}

void DefineDismiss(CLI::App& command, Args& args) {
  command.add_option("ID", args.targets, "The prompts' ids (see `brag pending`)");
  AddSelection(command, args);
  command.add_flag("--json", args.json, "Print each dismissed prompt as JSON (JSON Lines)");
}

int RunDismiss(CommandContext& context, const Args& args) {
  for (const std::string& word : args.targets) {
    if (!PromptIdProblem(word).empty()) return NotAnId(context, word);
  }
  std::optional<json> params = SelectionParams(context, args, args.targets);
  if (!params) return kExitUsage;
  Result<json> r = Request(context, Access::kWrite, "dismiss", *params);
  if (!r) return ReportError(context, r.error());
  return ReportDone(context, args, *r, "dismissed", "");
}

}  // namespace

std::vector<CommandSpec> PromptCommands() {
  return {
      {"pending", "List the prompts waiting for an impact note", &DefinePending,
       &RunPending},
      {"prompt", "Ask for a note on each pending prompt, then on new ones as they come",
       &DefinePrompt, &RunPrompt},
      {"answer", "File the impact note for a prompt", &DefineAnswer, &RunAnswer},
      {"snooze", "Put prompts off (default: one day)", &DefineSnooze, &RunSnooze},
      {"dismiss", "Drop prompts without a note", &DefineDismiss, &RunDismiss},
  };
}

}  // namespace brag::cli
