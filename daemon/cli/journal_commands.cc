// The journal family: `note`, `edit`, `rm` and `log`.
#include <algorithm>
#include <charconv>

#include "cli/command.h"
#include "cli/note_editor.h"
#include "cli/report.h"
#include "core/text.h"
#include "core/timeutil.h"

namespace brag::cli {
namespace {

using nlohmann::json;

// --- note --------------------------------------------------------------------

void DefineNote(CLI::App& command, Args& args) {
  command
      .add_option("TEXT", args.words,
                  "What you did and its impact (put -- before text starting with -)")
      ->required();
  command.add_option("--repo", args.repo, "The repo it is about (a path or a name)");
  command.add_option("--commit", args.commit, "The commit it is about");
  command.add_option("--tag", args.tags, "A tag (repeatable): perf, reliability, ...");
}

json NoteParams(const Args& args) {
  json params{{"text", JoinWords(args.words)}};
  if (!args.repo.empty()) params["repo"] = RepoArgument(args.repo);
  if (!args.commit.empty()) params["commit"] = args.commit;
  if (!args.tags.empty()) params["tags"] = args.tags;
  return params;
}

int RunNote(CommandContext& context, const Args& args) {
  Result<json> r = Request(context, Access::kWrite, "note", NoteParams(args));
  if (!r) return ReportError(context, r.error());
  context.out << "noted (" << Int(Field(*r, "note"), "id") << ")\n";
  return kExitOk;
}

// --- edit, rm ----------------------------------------------------------------
// A note is named by its own id: `brag log` shows it ("note 7"), `note`
// prints it. A prompt's id is not taken: it would name the same note twice.

CLI::Validator NoteIdValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int64_t id = 0;
        const char* end = text.data() + text.size();
        auto [stop, ec] = std::from_chars(text.data(), end, id);
        if (ec == std::errc() && stop == end && id > 0) return std::string();
        return "a note id is a whole number from 1 to 9223372036854775807, not " +
               InertText(text);
      },
      "ID");
}

void AddNoteId(CLI::App& command, Args& args) {
  command.add_option("ID", args.note_id, "The note's id (`brag log` shows \"note 7\")")
      ->required()
      ->check(NoteIdValidator());
}

void DefineEdit(CLI::App& command, Args& args) {
  AddNoteId(command, args);
  command.add_option(
      "TEXT", args.words,
      "The new text (words are joined; put -- before text starting with "
      "-). Without it, $VISUAL or $EDITOR (else vi) opens the current text");
  command.add_flag("--json", args.json, "Print the reply as one JSON object");
}

std::string Unchanged(int64_t id, const std::string& why = "") {
  return "note " + std::to_string(id) + " unchanged" +
         (why.empty() ? "" : " (" + why + ")");
}

int RunEdit(CommandContext& context, const Args& args) {
  std::string text = JoinWords(args.words);
  if (args.words.empty()) {
    Result<json> current =
        Request(context, Access::kRead, "note.get", {{"note", args.note_id}});
    if (!current) return ReportError(context.err, current.error());
    std::string before = Text(Field(*current, "note"), "text");
    Result<std::string> after = EditInEditor(before);
    if (!after) {
      return ReportError(context.err,
                         MakeError(after.error().code, Unchanged(args.note_id) + ": " +
                                                           after.error().message));
    }
    if (after->empty() || *after == before) {
      std::string why = after->empty()
                            ? "the text was left empty; `brag rm " +
                                  std::to_string(args.note_id) + "` removes it"
                            : "the text is the same";
      if (args.json) {
        context.out
            << json{{"note", Field(*current, "note")}, {"changed", false}}.dump()
            << "\n";
      } else {
        context.out << Unchanged(args.note_id, why) << "\n";
      }
      return kExitOk;
    }
    text = *after;
  } else if (text.find_first_not_of(" \t\r\n\f\v") == std::string::npos) {
    return ReportError(
        context.err, MakeError("bad_request", "edit: the new text is blank; `brag rm " +
                                                  std::to_string(args.note_id) +
                                                  "` removes a note"));
  }
  Result<json> r = Request(context, Access::kWrite, "note.edit",
                           {{"note", args.note_id}, {"text", text}});
  if (!r) return ReportError(context.err, r.error());
  if (args.json) {
    context.out << r->dump() << "\n";
  } else if (Flag(*r, "changed")) {
    context.out << "note " << args.note_id
                << " edited: " << Text(Field(*r, "note"), "text") << "\n";
  } else {
    context.out << Unchanged(args.note_id, "the text is the same") << "\n";
  }
  return kExitOk;
}

void DefineRm(CLI::App& command, Args& args) {
  AddNoteId(command, args);
  command.add_flag("--json", args.json, "Print the reply as one JSON object");
}

int RunRm(CommandContext& context, const Args& args) {
  Result<json> r =
      Request(context, Access::kWrite, "note.rm", {{"note", args.note_id}});
  if (!r) return ReportError(context.err, r.error());
  if (args.json) {
    context.out << r->dump() << "\n";
    return kExitOk;
  }
  context.out << "removed note " << args.note_id << ": "
              << Text(Field(*r, "note"), "text") << "\n";
  if (const json& prompt = Field(*r, "reopened"); prompt.is_object()) {
    int64_t id = Int(prompt, "id");
    context.out << "prompt " << id << " is pending again: `brag answer " << id
                << " TEXT` answers it\n";
  }
  return kExitOk;
}

// --- log ---------------------------------------------------------------------

void DefineLog(CLI::App& command, Args& args) {
  command.add_option("--since", args.since, "From this date (2026-11-02, monday, 7d)")
      ->check(DateValidator());
  command.add_option("--until", args.before, "Before this date")
      ->check(DateValidator());
  command.add_option("--repo", args.repo, "Only this repo (a path or a name)");
  command.add_option("--kind", args.kind, "Only this kind of entry")
      ->check(CLI::IsMember({"pr_merged", "incident_closed", "note"}));
  command.add_option("--limit", args.limit, "At most N entries (0: all)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            // CLI11's own range check would quote the largest double.
            bool digits = !text.empty() &&
                          text.find_first_not_of("0123456789") == std::string::npos;
            if (!digits) return "'" + text + "' is not a number of 0 or more";
            std::string n =
                text.substr(std::min(text.find_first_not_of('0'), text.size()));
            bool fits = n.size() < 10 || (n.size() == 10 && n <= "2147483647");
            return fits ? std::string() : "'" + text + "' is more than 2147483647";
          },
          "N"));
  command.add_flag("--json", args.json, "Print one JSON object per entry (JSON Lines)");
}

json LogParams(const Args& args) {
  json params = json::object();
  if (!args.since.empty()) params["since"] = args.since;
  if (!args.before.empty()) params["until"] = args.before;
  if (!args.repo.empty()) params["repo"] = RepoArgument(args.repo);
  if (!args.kind.empty()) params["kind"] = args.kind;
  if (args.limit > 0) params["limit"] = args.limit;
  return params;
}

int RunLog(CommandContext& context, const Args& args) {
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(context.config, Access::kRead, &context.err);
  if (!backend) return ReportError(context, backend.error());
  Result<json> r = CallAllPages(**backend, "log", LogParams(args), "entries");
  if (!r) return ReportError(context, r.error());
  const json& entries = Field(*r, "entries");
  if (args.json) {
    PrintJsonLines(context.out, entries);
  } else if (entries.empty()) {
    context.out << "Nothing in the journal for that.\n";
  } else {
    context.out << LogTable(entries, context.style);
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> JournalCommands() {
  return {
      {"note", "File a note of your own (work no PR shows)", &DefineNote, &RunNote},
      {"edit", "Replace a note's text (in $EDITOR without TEXT)", &DefineEdit,
       &RunEdit},
      {"rm", "Remove a note (kept as a tombstone so a sync carries it)", &DefineRm,
       &RunRm},
      {"log", "List the journal, newest first: merged PRs, incidents and notes",
       &DefineLog, &RunLog},
  };
}

}  // namespace brag::cli
