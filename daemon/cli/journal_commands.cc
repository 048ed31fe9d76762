// The journal family: `note` and `log`.
#include <algorithm>

#include "cli/command.h"
#include "cli/report.h"
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
      {"log", "List the journal, newest first: merged PRs, incidents and notes",
       &DefineLog, &RunLog},
  };
}

}  // namespace brag::cli
