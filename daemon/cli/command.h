// brag's commands as table rows: each family (prompts, journal, repos,
// status) lists its commands, app.cc turns the rows into CLI11 subcommands.
// A command reads its parsed Args, asks a Backend and prints from the JSON
// result, so it behaves the same with bragd up or down.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/backend.h"
#include "cli/format.h"
#include "config/config.h"
#include "core/result.h"

namespace brag::cli {

// Every option and positional any command takes; each command binds the
// ones it uses.
struct Args {
  bool json = false;
  bool count = false;
  bool once = false;
  int64_t prompt_id = 0;
  std::vector<std::string> targets;  // dismiss|snooze ID... [FOR...]
  std::string older;                 // dismiss|snooze --before D
  int64_t note_id = 0;             // edit|rm ID
  std::vector<std::string> words;  // TEXT...
  std::string until = "1d";        // snooze FOR
  std::string repo;                // --repo P, or REPO
  std::string commit;
  std::vector<std::string> tags;
  std::string since;
  std::string before;  // --until D
  std::string kind;
  int limit = 0;
  std::string path;  // repos add PATH
  std::string name;  // repos add --name
  std::string branch;                // scan --branch
  std::vector<std::string> authors;  // scan --author
  bool all_authors = false;
  bool record = false;
  std::vector<std::string> paths;      // hooks install|uninstall|status PATH...
  bool all = false;                    // hooks ... --all
  bool all_hooks = false;              // hooks install --all-hooks
  std::string hook;                    // hook NAME
  std::vector<std::string> hook_args;  // hook NAME ARGS..., as git passed them
  std::string week;                    // digest --week
  std::string format;                  // digest --format
  std::string output;                  // digest|review -o FILE
  bool yes = false;                    // setup --yes
  std::vector<std::string> emails;     // setup --email
  std::vector<std::string> roots;      // setup --root
  bool no_hooks = false;               // setup --no-hooks
  bool no_autostart = false;           // setup --no-autostart
  std::string backfill = "90d";        // setup --backfill
};

// What a running command gets. The streams are borrowed.
struct CommandContext {
  Config config;
  Style style;
  std::ostream& out;
  std::ostream& err;
  int64_t now = 0;
  int input_fd = 0;  // where `brag prompt` reads answers
  std::string command;  // its path in the table, "repos add", for messages
  bool json = false;    // --json: errors are printed as they came
};

struct CommandSpec {
  std::string_view path;     // "pending", or "repos add" under the group "repos"
  std::string_view summary;  // the one line --help shows
  // Binds the command's options and positionals to `args`; may be null.
  void (*define)(CLI::App& command, Args& args);
  // Runs the command; returns the exit code. Null for a group ("repos").
  int (*run)(CommandContext& context, const Args& args);
};

std::vector<CommandSpec> StatusCommands();
std::vector<CommandSpec> PromptCommands();
std::vector<CommandSpec> JournalCommands();
std::vector<CommandSpec> RepoCommands();
std::vector<CommandSpec> ScanCommands();
std::vector<CommandSpec> ShimCommands();
std::vector<CommandSpec> HookRunCommands();
std::vector<CommandSpec> DigestCommands();
std::vector<CommandSpec> SetupCommands();

// --- helpers shared by the command families ----------------------------------

// Prints `error` as the running command words it (cli/report.h) and
// returns its exit code.
int ReportError(const CommandContext& context, const Error& error);

// Opens a backend for `access` and runs `method` on it.
Result<nlohmann::json> Request(const CommandContext& context, Access access,
                               const std::string& method,
                               const nlohmann::json& params = nlohmann::json::object());
// TEXT... words joined with single spaces.
std::string JoinWords(const std::vector<std::string>& words);

// Rejects a date ParseDate cannot read while parsing the command line, so a
// typo is a usage error even when there is nothing to list.
CLI::Validator DateValidator();
// Rejects a prompt id that is not a whole number from 1 to 2^63-1 while
// parsing the command line, quoting it as typed ("\"abc\" is not a prompt
// id"; CLI11 would clamp a longer one to the largest int64).
CLI::Validator PromptIdValidator();
// Why `text` is not a prompt id, as PromptIdValidator says it; "" when it is.
std::string PromptIdProblem(const std::string& text);
// A repo as typed: an existing path becomes absolute (bragd has another
// working directory); anything else (a watched repo's name) is kept.
std::string RepoArgument(const std::string& typed);
// Prints each element of `items` as one JSON Lines record.
void PrintJsonLines(std::ostream& out, const nlohmann::json& items);

}  // namespace brag::cli
