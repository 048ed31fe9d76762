#include "cli/app.h"

#include <unistd.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/report.h"
#include "cli/words.h"
#include "core/timeutil.h"

namespace brag::cli {
namespace {

constexpr const char* kDescription =
    "brag: turns your merged PRs and closed incidents into a record of impact.\n"
    "bragd notices them in your local repos and asks for a one-line note; brag\n"
    "answers, lists and manages them (and works on the journal when bragd is down).";

constexpr const char* kExamples = R"(Examples:
  brag repos add ~/code/payments         watch a repo
  brag pending                           what waits for a note
  brag answer 12 "p95 3.4s -> 18ms on checkout"
  brag snooze 12 2h
  brag note "Ran the Q3 failover drill" --tag reliability
  brag log --since monday
  brag prompt                            answer as prompts come (a terminal pane)
  PS1='($(brag pending --count)) '"$PS1"  the count in your shell prompt

Exit codes: 0 ok, 1 failure, 2 usage, 69 bragd needed but not running,
78 config error.)";

void DefineHelp(CLI::App& command, Args& args) {
  command.add_option("COMMAND", args.words, "The command (brag help repos add)");
}

// Run by RunBrag itself, which holds the commands' help texts.
int RunHelpRow(CommandContext&, const Args&) { return kExitOk; }

std::vector<CommandSpec> AllCommands() {
  std::vector<CommandSpec> all;
  for (auto family : {&StatusCommands, &PromptCommands, &JournalCommands, &RepoCommands,
                      &ScanCommands, &ShimCommands, &HookRunCommands, &DigestCommands,
                      &SetupCommands}) {
    std::vector<CommandSpec> commands = family();
    all.insert(all.end(), commands.begin(), commands.end());
  }
  all.push_back({"help", "Show how to use brag, or a command (brag help COMMAND)",
                 &DefineHelp, &RunHelpRow});
  return all;
}

// The table's rows as CLI11 subcommands; "repos add" goes under the group
// "repos" defined by an earlier row. `*chosen` is set to the row parsed.
class CommandTree {
 public:
  CommandTree(CLI::App& app, Args& args) : app_(app), args_(args) {}

  void Add(const CommandSpec& spec) {
    std::string path(spec.path);
    size_t space = path.rfind(' ');
    CLI::App* parent =
        space == std::string::npos ? &app_ : groups_.at(path.substr(0, space));
    std::string name = space == std::string::npos ? path : path.substr(space + 1);
    CLI::App* command = parent->add_subcommand(name, std::string(spec.summary));
    if (spec.define) spec.define(*command, args_);
    if (!spec.run) {
      command->require_subcommand(1);
      groups_[path] = command;
      return;
    }
    command->callback([this, spec] { chosen_ = spec; });
  }

  const CommandSpec& chosen() const { return chosen_; }

 private:
  CLI::App& app_;
  Args& args_;
  std::map<std::string, CLI::App*> groups_;
  CommandSpec chosen_{};
};

// The command the words parsed so far name ("repos add"), and its app;
// "" and the top app before any.
struct Parsed {
  std::string path;
  const CLI::App* app;
};

Parsed DeepestCommand(const CLI::App& app) {
  Parsed parsed{"", &app};
  while (!parsed.app->get_subcommands().empty()) {
    parsed.app = parsed.app->get_subcommands().back();
    parsed.path += (parsed.path.empty() ? "" : " ") + parsed.app->get_name();
  }
  return parsed;
}

std::string HelpHint(const std::string& path) {
  return path.empty() ? "see brag help" : "see brag help " + path;
}

// CLI11's complaint in the command line's words: a prompt id that is no
// number says so and where the ids are; anything else keeps CLI11's text,
// with where to read the usage of the command.
Complaint UsageComplaint(const CLI::App& app, const CLI::Error& e) {
  std::string path = DeepestCommand(app).path;
  std::string message = e.what();
  constexpr std::string_view kWhy = "ids are whole numbers from 1; see brag pending";
  if (message.starts_with("ID: ")) return {message.substr(4), std::string(kWhy)};
  if (std::string_view lead = "Could not convert: ID = "; message.starts_with(lead))
    return {"\"" + message.substr(lead.size()) + "\" is not a prompt id",
            std::string(kWhy)};
  return {message, HelpHint(path)};
}

std::string UsageMessage(const CLI::App* app, const CLI::Error& e) {
  Complaint c = UsageComplaint(*app, e);
  return "brag: error: " + c.what + " (" + c.why + ")\n";
}

std::vector<std::string> CommandNames(const CLI::App& group) {
  std::vector<std::string> names;
  for (const CLI::App* sub : group.get_subcommands({}))
    names.push_back(sub->get_name());
  return names;
}

// "unknown command "stauts" (did you mean "status"?)", or with the list of
// the commands when none is near: for a word where a command belongs under
// `group` (reached by `path`).
Complaint UnknownCommand(const CLI::App& group, const std::string& path,
                         const std::string& word) {
  std::vector<std::string> names = CommandNames(group);
  std::string prefix = path.empty() ? "" : path + " ";
  std::string what = "unknown command \"" + prefix + word + "\"";
  std::string nearest = NearestName(word, names);
  if (!nearest.empty()) return {what, "did you mean \"" + prefix + nearest + "\"?"};
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return {what, "one of: " + list};
}

// The word where a command belongs is none, or is missing: say which
// commands there are, or the one meant (CLI11 would only say that one is
// required).
std::optional<Complaint> CommandProblem(const CLI::App& app) {
  Parsed at = DeepestCommand(app);
  if (at.app->get_require_subcommand_min() == 0) return std::nullopt;
  std::vector<std::string> words = at.app->remaining();
  if (words.empty()) words = app.remaining();  // fallthrough hands them up
  if (words.empty()) {
    std::string list;
    for (const std::string& n : CommandNames(*at.app))
      list += (list.empty() ? "" : ", ") + n;
    std::string what =
        "brag " + (at.path.empty() ? "" : at.path + " ") + "needs a command";
    return Complaint{what, "one of: " + list};
  }
  return UnknownCommand(*at.app, at.path, words.front());
}

// `brag help [COMMAND...]`: the --help text of the top, or of the command
// named; a name that is none is a usage error that says which was meant.
int RunHelp(const CLI::App& app, const std::vector<std::string>& words,
            std::ostream& out, std::ostream& err) {
  const CLI::App* at = &app;
  std::string path;
  for (const std::string& word : words) {
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : at->get_subcommands({})) {
      if (s->get_name() == word) sub = s;
    }
    if (!sub || word == "help") {
      Complaint c = UnknownCommand(*at, path, word);
      ReportComplaint(err, c.what, c.why);
      return kExitUsage;
    }
    at = sub;
    path += (path.empty() ? "" : " ") + word;
  }
  // Not at->help(): CLI11 would hand it to the command parsed, "help".
  out << at->get_formatter()->make_help(at, path.empty() ? "brag" : "brag " + path,
                                        CLI::AppFormatMode::Normal);
  return kExitOk;
}

int RunChosen(const CommandSpec& spec, const std::string& config_path, const Args& args,
              std::ostream& out, std::ostream& err) {
  std::vector<std::string> warnings;
  Result<Config> config = LoadConfig(config_path, &warnings);
  for (const std::string& w : warnings) ReportWarning(err, w);
  if (!config) return ReportError(err, config.error());
  CommandContext context{*config,      StyleForStdout(),       out,      err, UnixNow(),
                         STDIN_FILENO, std::string(spec.path), args.json};
  int code = spec.run(context, args);
  out.flush();
  return code;
}

// CLI11's own exit codes (105, 109, ...) all mean usage: exit 2.
int ExitForParseError(const CLI::App& app, const CLI::ParseError& e, std::ostream& out,
                      std::ostream& err) {
  if (e.get_exit_code() != 0) {
    if (std::optional<Complaint> problem = CommandProblem(app)) {
      ReportComplaint(err, problem->what, problem->why);
      return kExitUsage;
    }
  }
  return app.exit(e, out, err) == 0 ? kExitOk : kExitUsage;
}

}  // namespace

int RunBrag(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{kDescription, "brag"};
  app.set_version_flag("--version", std::string("brag ") + BRAG_VERSION);
  app.failure_message(&UsageMessage);
  app.require_subcommand(1);
  app.fallthrough();  // `brag log --config F` as well as `brag --config F log`
  std::string config_path;
  app.add_option("-c,--config", config_path,
                 "Config file (default: $BRAG_CONFIG, else "
                 "$XDG_CONFIG_HOME/brag/config.toml)");
  Args args;
  CommandTree tree(app, args);
  for (const CommandSpec& spec : AllCommands()) tree.Add(spec);
  app.footer(kExamples);  // after the subcommands, which would inherit it
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ExitForParseError(app, e, out, err);
  }
  if (tree.chosen().path == "help") return RunHelp(app, args.words, out, err);
  return RunChosen(tree.chosen(), config_path, args, out, err);
}

}  // namespace brag::cli
