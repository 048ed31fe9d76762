#include "quickhook/quickhook.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/timeutil.h"
#include "detect/impact_trailer.h"
#include "protocol/client.h"
#include "quickhook/git_files.h"
#include "spool/spool.h"

namespace brag::quickhook {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// "brag: error: WHAT (WHY)", the why in words for the few codes a hook
// meets (cli/words.h says the rest, beyond this fast path's reach).
void Complain(std::ostream& err, const Error& e) {
  const char* why = e.code == "config"      ? "fix the config file"
                    : e.code == "not_found" ? "git runs hooks inside a repository"
                    : e.code == "io"        ? "a file could not be read or written"
                                            : "the hook could not record it";
  err << "brag: error: " << InertText(e.message) << " (" << why << ")\n";
}

// All of the input git writes; never read from a terminal.
std::string ReadInput(int fd) {
  std::string data;
  if (isatty(fd)) return data;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      data.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return data;
  }
}

struct Where {
  fs::path git_dir;
  fs::path repo;  // what bragd is told: the work tree, or the git folder when bare
};

Result<Where> Locate(const HookCall& call) {
  std::optional<fs::path> git_dir = FindGitDir(call.cwd, call.git_dir_env);
  if (!git_dir) {
    return MakeError("not_found", "not in a git repository: " + call.cwd.string());
  }
  bool in_work_tree = !(call.git_dir_env && *call.git_dir_env) && *git_dir != call.cwd;
  return Where{*git_dir, in_work_tree ? call.cwd : *git_dir};
}

// Files a hook's record without waiting for anybody: it is appended to the
// spool and bragd is nudged to file it into the journal (it also files the
// spool before it answers any read, so `brag log` right after a commit sees
// it). With bragd up the append is not fsynced: bragd files it within
// milliseconds, fsynced in the journal, and git has not fsynced the commit
// itself either (core.fsync). With bragd away it is fsynced, as it may wait
// there for days.
int Deliver(const Config& config, const std::string& method, const json& params,
            std::ostream& err) {
  fs::path spool = spool::SpoolPath(JournalPath(config));
  Status appended = spool::Append(spool, method, params, UnixNow(), /*sync=*/false);
  Result<protocol::Client> client = protocol::Client::Connect(SocketPath(config));
  bool nudged = false;
  if (client) {
    json nudge{{"id", 1}, {"method", "nudge"}, {"params", {{"repo", params.value("repo", "")}}}};
    nudged = static_cast<bool>(client->SendRaw(nudge.dump() + "\n"));
  }
  if (!appended) {
    // A commit's note is in its Impact: trailer: bragd files the trailers no
    // hook filed when it scans the repo (now, when it was nudged).
    std::string impact = params.value("impact", "");
    if (!impact.empty()) {
      err << "brag: warning: the note could not be spooled ("
          << InertText(appended.error().message)
          << "); it is safe in the commit's Impact: trailer and bragd files it at its next "
             "scan of this repo\n";
      return 0;
    }
    Complain(err, appended.error());
    return 1;
  }
  if (nudged) return 0;
  if (Status s = spool::Sync(spool); !s) {
    Complain(err, s.error());
    return 1;
  }
  return 0;
}

// post-commit: the commit git just made, read from the files git just wrote;
// bragd adds its diffstat and paths (and anything not read here) as it files
// the record.
int PostCommit(const Config& config, const HookCall& call, std::ostream& err) {
  Result<Where> where = Locate(call);
  if (!where) {
    Complain(err, where.error());
    return 1;
  }
  json params{{"repo", where->repo.string()}};
  if (std::optional<Head> head = ReadHead(where->git_dir)) {
    params["branch"] = head->branch;
    if (!head->oid.empty()) {
      params["oid"] = head->oid;
      if (std::optional<CommitText> commit =
              ReadLooseCommit(CommonDir(where->git_dir), head->oid)) {
        detect::MessageSummary summary = detect::SummarizeMessage(commit->message);
        params["subject"] = summary.subject;
        params["author"] = commit->author_email;
        params["time"] = commit->commit_time;
        params["impact"] = summary.impact;
      }
    }
  }
  return Deliver(config, "commit.record", params, err);
}

// post-rewrite (amend or rebase): input lines "OLD NEW [extra]"; the notes
// of each old commit move to its new one.
int PostRewrite(const Config& config, const HookCall& call, std::ostream& err) {
  std::istringstream input(ReadInput(call.input_fd));
  json moves = json::array();
  for (std::string line; std::getline(input, line);) {
    std::istringstream words(line);
    std::string from, to;
    if (words >> from >> to) moves.push_back({from, to});
  }
  if (moves.empty()) return 0;
  Result<Where> where = Locate(call);
  if (!where) {
    Complain(err, where.error());
    return 1;
  }
  return Deliver(config, "commit.rewrite", {{"repo", where->repo.string()}, {"moves", moves}},
                 err);
}

// reference-transaction: git says which refs it has just changed; bragd
// looks at this repo now, even where no filesystem event reaches it. Only
// at "committed", only for branches, only when bragd runs (when it does not,
// it reads every repo as it starts), and without waiting for the scan.
int ReferenceTransaction(const Config& config, const HookCall& call, std::ostream&) {
  std::string input = ReadInput(call.input_fd);
  if (call.args.empty() || call.args[0] != "committed") return 0;
  bool branches = input.find(" refs/heads/") != std::string::npos ||
                  input.find(" refs/remotes/") != std::string::npos;
  if (!branches) return 0;
  Result<Where> where = Locate(call);
  if (!where) return 0;
  Result<protocol::Client> client = protocol::Client::Connect(SocketPath(config));
  if (!client) return 0;
  json request{{"id", 1}, {"method", "nudge"}, {"params", {{"repo", where->repo.string()}}}};
  (void)client->SendRaw(request.dump() + "\n");
  return 0;
}

}  // namespace

bool Serves(const std::string& name) {
  return name == "post-commit" || name == "post-rewrite" || name == "reference-transaction";
}

HookCall CallFromGit(std::string name, std::vector<std::string> args, int input_fd) {
  HookCall call;
  call.name = std::move(name);
  call.args = std::move(args);
  call.input_fd = input_fd;
  std::error_code ec;
  call.cwd = fs::current_path(ec);
  call.git_dir_env = std::getenv("GIT_DIR");
  return call;
}

int RunHook(const Config& config, const HookCall& call, std::ostream& err) {
  if (call.name == "post-commit") return PostCommit(config, call, err);
  if (call.name == "post-rewrite") return PostRewrite(config, call, err);
  if (call.name == "reference-transaction") return ReferenceTransaction(config, call, err);
  err << "brag: error: not a quick hook: " << InertText(call.name)
      << " (post-commit, post-rewrite or reference-transaction)\n";
  return 2;
}

std::optional<int> RunFromMain(int argc, const char* const* argv) {
  if (argc < 3 || std::string_view(argv[1]) != "hook" || !Serves(argv[2])) {
    return std::nullopt;
  }
  std::vector<std::string> warnings;
  Result<Config> loaded = LoadConfig("", &warnings);
  for (const std::string& w : warnings) {
    std::cerr << "brag: warning: " << InertText(w) << "\n";
  }
  Config config;
  if (loaded) {
    config = std::move(*loaded);
  } else {
    // The hook's work is still filed, through the default socket or spool.
    Complain(std::cerr, loaded.error());
  }
  HookCall call = CallFromGit(argv[2], std::vector<std::string>(argv + 3, argv + argc),
                              STDIN_FILENO);
  int code = RunHook(config, call, std::cerr);
  std::cerr.flush();
  return code;
}

}  // namespace brag::quickhook
