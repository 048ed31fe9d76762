#include "cli/app.h"

#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/report.h"
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

std::vector<CommandSpec> AllCommands() {
  std::vector<CommandSpec> all;
  for (auto family : {&StatusCommands, &PromptCommands, &JournalCommands, &RepoCommands,
                      &ScanCommands, &ShimCommands, &HookRunCommands, &DigestCommands}) {
    std::vector<CommandSpec> commands = family();
    all.insert(all.end(), commands.begin(), commands.end());
  }
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

std::string UsageMessage(const CLI::App*, const CLI::Error& e) {
  return "brag: error: " + std::string(e.what()) +
         " (usage)\nRun `brag --help` (or `brag COMMAND --help`) for usage.\n";
}

// The word where a command belongs is none, or is missing: say which
// commands there are (CLI11 would only say that one is required).
std::string CommandProblem(const CLI::App& app) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) at = at->get_subcommands().back();
  if (at->get_require_subcommand_min() == 0) return "";
  std::vector<std::string> words = at->remaining();
  if (words.empty()) words = app.remaining();  // fallthrough hands them up
  std::string names;
  for (const CLI::App* sub : at->get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  std::string what =
      words.empty() ? "missing command" : "unknown command '" + words.front() + "'";
  return what + " (one of: " + names + ")";
}

int RunChosen(const CommandSpec& spec, const std::string& config_path, const Args& args,
              std::ostream& out, std::ostream& err) {
  std::vector<std::string> warnings;
  Result<Config> config = LoadConfig(config_path, &warnings);
  for (const std::string& w : warnings) ReportWarning(err, w);
  if (!config) return ReportError(err, config.error());
  CommandContext context{*config, StyleForStdout(), out, err, UnixNow(), STDIN_FILENO};
  int code = spec.run(context, args);
  out.flush();
  return code;
}

// CLI11's own exit codes (105, 109, ...) all mean usage: exit 2.
int ExitForParseError(const CLI::App& app, const CLI::ParseError& e, std::ostream& out,
                      std::ostream& err) {
  if (e.get_exit_code() != 0) {
    if (std::string problem = CommandProblem(app); !problem.empty()) {
      err << UsageMessage(&app, CLI::ExtrasError(problem, CLI::ExitCodes::ExtrasError));
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
  return RunChosen(tree.chosen(), config_path, args, out, err);
}

}  // namespace brag::cli
