// The prompt family: `pending`, `prompt`, `answer`, `snooze`, `dismiss`.
#include <unistd.h>

#include <memory>

#include "cli/command.h"
#include "cli/prompt_loop.h"
#include "cli/report.h"

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
  command.add_flag("--count", args.count,
                   "Print only the number (for a shell prompt; 0 without a journal)");
  command.add_flag("--json", args.json,
                   "Print one JSON object per prompt (JSON Lines)");
}

int RunPending(CommandContext& context, const Args& args) {
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(context.config, Access::kRead, &context.err);
  if (!backend) return ReportError(context.err, backend.error());
  if (args.count) {
    // One small page: the reply counts them all.
    Result<json> first = (*backend)->Call("pending", {{"limit", 1}});
    if (!first) return ReportError(context.err, first.error());
    const json& count = Field(*first, "count");
    context.out << (count.is_number_integer() ? count.get<int64_t>()
                                              : static_cast<int64_t>(Field(*first, "prompts").size()))
                << "\n";
    return kExitOk;
  }
  Result<json> pending = CallAllPages(**backend, "pending", json::object(), "prompts");
  if (!pending) return ReportError(context.err, pending.error());
  const json& prompts = Field(*pending, "prompts");
  if (args.json) {
    PrintJsonLines(context.out, prompts);
  } else if (prompts.empty()) {
    context.out << "No prompts waiting.\n";
  } else {
    for (const json& p : prompts) {
      context.out << PendingLine(p, context.now, context.style) << "\n";
    }
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
  if (!backend) return ReportError(context.err, backend.error());
  bool live = (*backend)->daemon() != nullptr;
  if (live && !args.once) {
    // Before listing the pending ones, so no prompt made meanwhile is missed.
    Result<json> subscribed = (*backend)->Call("subscribe");
    if (!subscribed) return ReportError(context.err, subscribed.error());
  }
  // A terminal gets line editing and history; a pipe, plain lines.
  LineReader reader(context.input_fd);
  std::unique_ptr<LineSource> input =
      EditedLines(context.input_fd, stdout, PromptHistoryPath());
  if (!input) input = PlainLines(reader, context.out);
  PromptLoop loop(**backend, *input, context.out, context.err, context.style);
  Result<bool> more = loop.WorkThroughPending();
  if (!more) return ReportError(context.err, more.error());
  int code = loop.had_errors() ? kExitFailure : kExitOk;
  if (!*more || args.once) return code;
  if (!live) return CannotWait(context, "bragd is not running");
  Status waited = loop.WaitForNew();
  if (!waited && waited.error().code == "unreachable") {
    return CannotWait(context, "bragd stopped");
  }
  if (!waited) return ReportError(context.err, waited.error());
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
      ReportError(context.err, note.error());
    }
  }
  context.err << "brag: your text: " << text << "\n"
              << "brag: to file it as a note of its own: " << NoteCommand(text, prompt)
              << "\n";
  return kExitFailure;
}

int RunAnswer(CommandContext& context, const Args& args) {
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(context.config, Access::kWrite, &context.err);
  if (!backend) return ReportError(context.err, backend.error());
  std::string text = JoinWords(args.words);
  Result<json> r =
      (*backend)->Call("answer", {{"prompt", args.prompt_id}, {"note", text}});
  if (!r && r.error().code == "conflict") {
    return KeepLostAnswer(context, **backend, args.prompt_id, text);
  }
  if (!r) return ReportError(context.err, r.error());
  context.out << "noted on " << args.prompt_id << ": " << Describe(Field(*r, "prompt"))
              << "\n";
  return kExitOk;
}

void DefineSnooze(CLI::App& command, Args& args) {
  AddPromptId(command, args);
  command
      .add_option("FOR", args.until,
                  "How long (30m, 2h, 1d) or until when (monday, 2026-11-02)")
      ->capture_default_str();
}

int RunSnooze(CommandContext& context, const Args& args) {
  Result<json> r = Request(context, Access::kWrite, "snooze",
                           {{"prompt", args.prompt_id}, {"until", args.until}});
  if (!r) return ReportError(context.err, r.error());
  context.out << "snoozed " << args.prompt_id << " until "
              << LocalDateTime(Field(Field(*r, "prompt"), "snoozed_until")) << "\n";
  return kExitOk;
}

void DefineDismiss(CLI::App& command, Args& args) { AddPromptId(command, args); }

int RunDismiss(CommandContext& context, const Args& args) {
  Result<json> r =
      Request(context, Access::kWrite, "dismiss", {{"prompt", args.prompt_id}});
  if (!r) return ReportError(context.err, r.error());
  context.out << "dismissed " << args.prompt_id << ": " << Describe(Field(*r, "prompt"))
              << "\n";
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> PromptCommands() {
  return {
      {"pending", "List the prompts waiting for an impact note", &DefinePending,
       &RunPending},
      {"prompt", "Ask for a note on each pending prompt, then on new ones as they come",
       &DefinePrompt, &RunPrompt},
      {"answer", "File the impact note for a prompt", &DefineAnswer, &RunAnswer},
      {"snooze", "Put a prompt off (default: one day)", &DefineSnooze, &RunSnooze},
      {"dismiss", "Drop a prompt without a note", &DefineDismiss, &RunDismiss},
  };
}

}  // namespace brag::cli
