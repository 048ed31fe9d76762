// The hooks git runs on every commit and ref update (post-commit,
// post-rewrite, reference-transaction), on a path that starts in a few
// milliseconds: no libgit2, no SQLite, no command-line table, no waiting.
// post-commit and post-rewrite append their record to the spool beside the
// journal (spool/spool.h) and nudge bragd, which files it; with bragd down it
// is filed when the journal is next opened, so a commit made with bragd down
// loses nothing. reference-transaction only nudges. The `brag`
// executable runs these itself and hands every other command to the full
// client (DESIGN §1, §10: at most 20 ms added to a commit with bragd up, 50
// ms with it down).
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"

namespace brag::quickhook {

// Whether `name` is a hook served here.
bool Serves(const std::string& name);

struct HookCall {
  std::string name;               // "post-commit", ...
  std::vector<std::string> args;  // git's arguments
  int input_fd = 0;               // git's input (post-rewrite, reference-transaction)
  std::filesystem::path cwd;      // where git runs the hook
  const char* git_dir_env = nullptr;  // $GIT_DIR
};

// The call git makes of hook `name`: the current folder, $GIT_DIR.
HookCall CallFromGit(std::string name, std::vector<std::string> args, int input_fd);

// Runs a served hook with `config` (and reports on `err` only what went
// wrong, in one line). Exit 0 when the hook's work is filed or spooled.
int RunHook(const Config& config, const HookCall& call, std::ostream& err);

// `brag hook NAME ARGS...` from main(): loads the config as brag does
// ($BRAG_CONFIG, else the default file) and runs the hook; nullopt when argv
// is not a served hook, for the full client to handle.
std::optional<int> RunFromMain(int argc, const char* const* argv);

}  // namespace brag::quickhook
