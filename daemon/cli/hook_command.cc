// `brag hook NAME [ARGS...]`: what the shims in hooks/ call from git's hooks,
// with git's arguments and input. For now a placeholder that records nothing:
// it drains the input git writes (post-rewrite, reference-transaction) and
// exits 0 without a word.
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/report.h"

namespace brag::cli {
namespace {

void DefineHook(CLI::App& command, Args& args) {
  // Every word after `hook`, options too, is git's: none is brag's own.
  command.prefix_command();
  command.fallthrough(false);
  command.footer(
      "NAME is the git hook (post-commit, post-merge, post-rewrite,\n"
      "reference-transaction); ARGS and stdin are git's, passed on by the shim.");
  command.parse_complete_callback([&command, &args] {
    std::vector<std::string> words = command.remaining();
    if (words.empty()) return;
    args.hook = words.front();
    args.hook_args.assign(words.begin() + 1, words.end());
  });
}

// Hooks git writes input to; the others' stdin may be the user's terminal,
// which must not be read.
bool HasInput(const std::string& hook) {
  return hook == "post-rewrite" || hook == "reference-transaction";
}

void Drain(int fd) {
  if (isatty(fd)) return;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    return;
  }
}

int RunHook(CommandContext& context, const Args& args) {
  if (args.hook.empty()) {
    context.err << "brag: error: missing hook NAME (usage)\n";
    return kExitUsage;
  }
  if (HasInput(args.hook)) Drain(context.input_fd);
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> HookCommands() {
  return {
      {"hook", "Called by brag's git hooks (`brag hooks install`), not by you",
       &DefineHook, &RunHook},
  };
}

}  // namespace brag::cli
