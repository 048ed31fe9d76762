// `brag hook NAME [ARGS...]`: what the shims in hooks/ call from git's hooks,
// with git's arguments and input (DESIGN §1, §5). Each hook does its part
// and never gets in git's way: it works through bragd when it runs, else on
// the journal directly, so a commit made with bragd down loses nothing; it
// asks the user something only after a pull on a terminal, with a timeout.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/prompt_loop.h"
#include "cli/reply.h"
#include "cli/report.h"
#include "core/text.h"
#include "git/repo.h"
#include "quickhook/quickhook.h"

namespace brag::cli {
namespace {

using nlohmann::json;

void DefineHookRun(CLI::App& command, Args& args) {
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

// The repository git runs the hook in: $GIT_DIR when git set it, else the
// current folder (the work tree's top for a non-bare repo).
Result<git::Repo> RepoOfHookRun() {
  git::EnsureInit();
  const char* git_dir = std::getenv("GIT_DIR");
  if (git_dir && *git_dir) return git::Repo::Open(git_dir);
  std::error_code ec;
  return git::Repo::Open(std::filesystem::current_path(ec));
}

// post-commit, post-rewrite, reference-transaction: `brag` serves these
// itself before it would start this program (quickhook/); the same code
// runs when brag-cli is called directly.
int QuickHook(CommandContext& context, const Args& args) {
  return quickhook::RunHook(
      context.config, quickhook::CallFromGit(args.hook, args.hook_args, context.input_fd),
      context.err);
}

// The prompts this merge brought: pending, in this repo, their commit in
// HEAD's history and not in ORIG_HEAD's (what HEAD was before the merge).
std::vector<json> PromptsOfThisMerge(git::Repo& repo, const json& pending) {
  std::vector<json> mine;
  std::string path = repo.DisplayPath().string();
  Result<std::string> head = repo.ResolveCommit("HEAD");
  Result<std::string> before = repo.ResolveCommit("ORIG_HEAD");
  if (!head) return mine;
  const json& prompts = Field(pending, "prompts");
  if (!prompts.is_array()) return mine;
  for (const json& prompt : prompts) {
    if (Field(prompt, "repo") != path) continue;
    const json& commit_field = Field(prompt, "commit");
    if (!commit_field.is_string()) continue;
    const std::string& commit = commit_field.get_ref<const std::string&>();
    Result<bool> in_head = repo.IsAncestor(commit, *head);
    if (!in_head || !*in_head) continue;
    if (before) {
      Result<bool> in_before = repo.IsAncestor(commit, *before);
      if (in_before && *in_before) continue;
    }
    mine.push_back(prompt);
  }
  return mine;
}

// The parent of process `pid`, from /proc; 0 when unknown.
pid_t ParentOf(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream rest(text.substr(close + 1));
  std::string state;
  pid_t parent = 0;
  rest >> state >> parent;
  return parent;
}

// Whether the git that runs this hook reads a terminal. git hands its hooks
// /dev/null as stdin, so the question is asked of git's own stdin: the
// nearest ancestor named "git" (above the shim), through /proc.
bool GitReadsTerminal() {
  pid_t pid = getppid();
  for (int level = 0; level < 4 && pid > 1; ++level, pid = ParentOf(pid)) {
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(comm, name);
    if (name != "git") continue;
    std::error_code ec;
    std::string in =
        std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/fd/0", ec);
    return !ec && (in.starts_with("/dev/pts/") || in.starts_with("/dev/tty"));
  }
  return false;
}

// post-merge (after `git pull` or `git merge`): bragd rescans this repo now
// and, on a terminal with [hooks] ask_after_pull, asks about what landed;
// else the prompts wait in `brag pending`. Never waits without a terminal,
// and on one never longer than [hooks] ask_timeout per prompt.
int PostMerge(CommandContext& context, const Args&) {
  Result<git::Repo> repo = RepoOfHookRun();
  if (!repo) return kExitOk;
  bool ask =
      context.config.ask_after_pull && isatty(STDOUT_FILENO) && GitReadsTerminal();
  Result<protocol::Client> connected = protocol::Client::Connect(SocketPath(context.config));
  if (!connected) {
    // Not bragd's own socket: say so once, ask nothing there. Else bragd is
    // down and finds the merge when it starts: one line says so, where the
    // question would have been.
    if (connected.error().code == "untrusted") {
      context.err << "brag: warning: " << connected.error().message
                  << " (the socket is not your own bragd's)\n";
    } else if (ask) {
      context.out << "brag: bragd is not running; what this pull merged will be asked "
                     "about when it starts (brag prompt)\n";
    }
    return kExitOk;
  }
  protocol::Client client = std::move(*connected);
  constexpr int kRescanBound = 3000;  // ms; a rescan of one repo takes a few
  Result<json> rescan =
      client.Call("rescan", {{"repo", repo->DisplayPath().string()}}, kRescanBound);
  if (!rescan || !ask) return kExitOk;
  // Answers come from the terminal itself: git gave the hook no stdin.
  int tty = open("/dev/tty", O_RDONLY | O_CLOEXEC);
  if (tty < 0) return kExitOk;
  struct TtyCloser {
    int fd;
    ~TtyCloser() { close(fd); }
  } closer{tty};
  // Subscribed before listing, so a prompt answered meanwhile in another
  // place is dropped here too.
  if (!client.Call("subscribe", json::object(), kRescanBound)) return kExitOk;
  Result<json> pending = CallAllPages(
      [&](const json& params) { return client.Call("pending", params, kRescanBound); },
      json::object(), "prompts");
  if (!pending || !CheckReply("pending", *pending)) return kExitOk;
  std::vector<json> prompts = PromptsOfThisMerge(*repo, *pending);
  if (prompts.empty()) return kExitOk;
  DaemonBackend backend(std::move(client));
  LineReader reader(tty);
  // No history here: the pull's question is a quick one.
  std::unique_ptr<LineSource> input = EditedLines(tty, stdout, "");
  if (!input) input = PlainLines(reader, context.out);
  AskLimits limits{.timeout = context.config.ask_timeout, .skip_all = true};
  PromptLoop loop(backend, *input, context.out, context.err, context.style, limits);
  context.out << "brag: this pull landed " << prompts.size()
              << (prompts.size() == 1 ? " change" : " changes")
              << " of yours; a line answers, Enter skips"
              << (prompts.size() > 1 ? ", s skips all" : "") << ".\n";
  for (size_t i = 0; i < prompts.size(); ++i) {
    std::string position = prompts.size() > 1 ? std::to_string(i + 1) + " of " +
                                                    std::to_string(prompts.size())
                                              : "";
    Asked asked = loop.Ask(prompts[i], position);
    if (asked != Asked::kNext) break;
  }
  return kExitOk;
}

using HookRunFn = int (*)(CommandContext&, const Args&);

const std::map<std::string, HookRunFn>& HookRuns() {
  static const std::map<std::string, HookRunFn> hooks{
      {"post-commit", &QuickHook},
      {"post-merge", &PostMerge},
      {"post-rewrite", &QuickHook},
      {"reference-transaction", &QuickHook},
  };
  return hooks;
}

int RunHook(CommandContext& context, const Args& args) {
  if (args.hook.empty()) {
    context.err << "brag: error: missing hook NAME (see brag help hook)\n";
    return kExitUsage;
  }
  auto hook = HookRuns().find(args.hook);
  if (hook == HookRuns().end()) {
    context.err << "brag: error: unknown hook " << InertText(args.hook)
                << " (post-commit, post-merge, post-rewrite, reference-transaction)\n";
    return kExitUsage;
  }
  return hook->second(context, args);
}

}  // namespace

std::vector<CommandSpec> HookRunCommands() {
  return {
      {"hook", "Called by brag's git hooks (`brag hooks install`), not by you",
       &DefineHookRun, &RunHook},
  };
}

}  // namespace brag::cli
