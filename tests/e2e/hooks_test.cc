// What the installed hooks do, with real git running them and the real brag
// behind them: a commit's Impact: trailer becomes a note, an amend moves it,
// nothing is lost with bragd down, a pull asks on a terminal and never waits
// elsewhere, notes meet their PR, and reference-transaction nudges bragd.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/bragd_process.h"
#include "e2e/pty_session.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A world whose `brag` is on PATH for git's hooks, with its config.
struct HookWorld {
  World world;
  fs::path bin = world.root() / "bin";
  std::string path_value;
  std::unique_ptr<ScopedEnv> path_env;
  std::unique_ptr<ScopedEnv> config_env;

  explicit HookWorld(const std::string& extra_config = "") {
    world.WriteConfig(extra_config);
    fs::create_directories(bin);
    fs::create_symlink(BRAG_BIN, bin / "brag");
    const char* old = std::getenv("PATH");
    path_value = bin.string() + ":" + (old ? old : "/usr/bin:/bin");
    path_env = std::make_unique<ScopedEnv>("PATH", path_value.c_str());
    config_env = std::make_unique<ScopedEnv>("BRAG_CONFIG", world.config().c_str());
  }

  // A repo with a first commit and brag's hooks installed.
  GitRepo Repo(const std::string& name) const {
    GitRepo repo = GitRepo::Init(world.repos() / name);
    repo.Commit("README", "hello\n", "initial");
    Install(repo);
    return repo;
  }
  void Install(const GitRepo& repo) const {
    CommandResult r = world.Brag("hooks install " + ShellQuote(repo.dir().string()));
    REQUIRE_MESSAGE(r.code == 0, r.output);
  }
  std::vector<json> Notes() const {
    CommandResult r = world.Brag("log --kind note --json");
    REQUIRE_MESSAGE(r.code == 0, r.output);
    return JsonLines(r.output);
  }
};

// `git ARGS` in `repo` with a message from a file (trailers need newlines).
std::string CommitWithMessage(const GitRepo& repo, const fs::path& scratch,
                              const std::string& message, const std::string& extra = "") {
  fs::path file = scratch / "msg.txt";
  WriteFile(file, message);
  return repo.Git("commit -q " + extra + " -F " + ShellQuote(file.string()));
}

}  // namespace

TEST_CASE("a commit's Impact: trailer becomes its note; an amend moves it, once") {
  HookWorld h;
  BragdProcess bragd(h.world);
  REQUIRE(bragd.WaitReady());
  GitRepo repo = h.Repo("svc");
  WriteFile(repo.dir() / "q.sql", "create index;\n");
  repo.Git("add q.sql");
  CommitWithMessage(repo, h.world.root(),
                    "Index the orders table\n\nImpact: p95 3.4s -> 18ms on checkout\n");
  std::string first = repo.Rev();
  std::vector<json> notes = h.Notes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["text"] == "p95 3.4s -> 18ms on checkout");
  CHECK(notes[0]["source"] == "hook");
  CHECK(notes[0]["commit"] == first);
  CHECK(notes[0]["repo"] == repo.dir().string());

  // Amended with the same trailer: the note follows, still one.
  CommitWithMessage(repo, h.world.root(),
                    "Index the orders table (composite)\n\n"
                    "Impact: p95 3.4s -> 18ms on checkout\n",
                    "--amend");
  std::string second = repo.Rev();
  REQUIRE(second != first);
  notes = h.Notes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["commit"] == second);

  // Amended with a better number: the newer trailer is the note.
  CommitWithMessage(repo, h.world.root(),
                    "Index the orders table\n\nImpact: p95 3.4s -> 12ms on checkout\n",
                    "--amend");
  notes = h.Notes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["text"] == "p95 3.4s -> 12ms on checkout");
  CHECK(notes[0]["commit"] == repo.Rev());

  // A commit without the trailer makes no note; a rebase carries notes along.
  repo.Commit("x.txt", "x\n", "Plain work");
  repo.Git("rebase -q --exec true HEAD~2");
  CHECK(h.Notes().size() == 1);
}

bool SpoolHoldsRecords(const World& world) {
  std::error_code ec;
  return fs::file_size(fs::path(world.journal().string() + ".spool"), ec) > 0 && !ec;
}

TEST_CASE("with bragd down a commit's note is spooled, and bragd files it as it starts") {
  HookWorld h;
  GitRepo repo = h.Repo("svc");
  WriteFile(repo.dir() / "shed.txt", "shed\n");
  repo.Git("add shed.txt");
  CommitWithMessage(repo, h.world.root(), "Shed load\n\nImpact: 0 pages last week\n");
  CHECK(SpoolHoldsRecords(h.world));
  // Amended while bragd is still down: the new commit and the move are spooled.
  CommitWithMessage(repo, h.world.root(), "Shed load early\n\nImpact: 0 pages last week\n",
                    "--amend");
  BragdProcess bragd(h.world);
  REQUIRE(bragd.WaitReady());
  CHECK_FALSE(SpoolHoldsRecords(h.world));
  Result<json> log = bragd.Connect().Call("log", {{"kind", "note"}});
  REQUIRE(log.has_value());
  REQUIRE((*log)["entries"].size() == 1);  // one note, on the amended commit
  json note = (*log)["entries"][0];
  CHECK(note["commit"] == repo.Rev());
  CHECK(note["text"] == "0 pages last week");
  CHECK_MESSAGE(bragd.Log().find("hook spool: filed 3 record(s)") != std::string::npos,
                bragd.Log());
}

TEST_CASE("with bragd down, brag files the spool before it reads the journal") {
  HookWorld h;
  GitRepo repo = h.Repo("svc");
  CommitWithMessage(repo, h.world.root(), "Shed load\n\nImpact: 0 pages last week\n",
                    "--allow-empty");
  CHECK(SpoolHoldsRecords(h.world));
  std::vector<json> notes = h.Notes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["text"] == "0 pages last week");
  CHECK(notes[0]["commit"] == repo.Rev());
  CHECK_FALSE(SpoolHoldsRecords(h.world));
  // bragd, started later, serves it from the same journal, once.
  BragdProcess bragd(h.world);
  REQUIRE(bragd.WaitReady());
  Result<json> log = bragd.Connect().Call("log", {{"kind", "note"}});
  REQUIRE(log.has_value());
  REQUIRE((*log)["entries"].size() == 1);
  CHECK((*log)["entries"][0]["commit"] == repo.Rev());
}

TEST_CASE("brag finds brag-cli beside it or in ../libexec/brag, and says so when it cannot") {
  TempDir t("trampoline");
  fs::path cli = fs::path(BRAG_BIN).parent_path() / "brag-cli";
  fs::create_directories(t / "bin");
  fs::create_directories(t / "libexec" / "brag");
  fs::copy_file(BRAG_BIN, t / "bin" / "brag");
  CommandResult missing = RunCommand(ShellQuote((t / "bin" / "brag").string()) + " --version");
  CHECK(missing.code == 1);
  CHECK(missing.output.find("brag-cli is missing") != std::string::npos);
  fs::copy_file(cli, t / "libexec" / "brag" / "brag-cli");  // as `cmake --install` lays it out
  CommandResult installed =
      RunCommand(ShellQuote((t / "bin" / "brag").string()) + " --version");
  CHECK(installed.code == 0);
  CHECK(installed.output.starts_with("brag "));
}

TEST_CASE("the brag that git's hooks start loads neither libgit2 nor SQLite") {
  // What keeps a commit fast (DESIGN §10): checked on the binary itself.
  // Linked statically (it loads nothing), or, in the sanitizer build, with
  // neither of them among its libraries.
  CommandResult ldd = RunCommand("ldd " + ShellQuote(BRAG_BIN));
  if (ldd.output.find("not a dynamic executable") != std::string::npos) return;
  REQUIRE(ldd.code == 0);
  CHECK(ldd.output.find("libc.so") != std::string::npos);  // ldd did read it
  CHECK(ldd.output.find("libgit2") == std::string::npos);
  CHECK(ldd.output.find("libsqlite3") == std::string::npos);
  CHECK(ldd.output.find("libcrypto") == std::string::npos);
}

namespace {

// A forge (bare remote), a teammate's clone that merges PRs, and my clone
// with hooks, watched by bragd.
struct PullWorld {
  HookWorld h;
  GitRepo remote = GitRepo::Init(h.world.root() / "remote.git", /*bare=*/true);
  GitRepo forge = GitRepo::Clone(remote.dir(), h.world.root() / "forge");
  GitRepo mine{h.world.repos() / "mine"};

  explicit PullWorld(const std::string& config = "") : h(config) {
    forge.Commit("README", "hello\n", "initial");
    forge.Git("push -q origin main");
    mine = GitRepo::Clone(remote.dir(), h.world.repos() / "mine");
    h.Install(mine);
  }
  // My branch, pushed, merged on the forge as PR `pr`.
  void MergedOnForge(int pr, const std::string& branch, const std::string& message) {
    mine.Git("checkout -q -b " + branch);
    CommitWithMessage(mine, h.world.root(), message, "--allow-empty");
    mine.Git("push -q origin " + branch);
    mine.Git("checkout -q main");
    forge.Git("fetch -q origin");
    forge.Git("merge -q --no-ff -m " +
                  ShellQuote("Merge pull request #" + std::to_string(pr) + " from acme/" +
                             branch) +
                  " -m " + ShellQuote("The " + branch + " work") + " origin/" + branch,
              "forge-bot@example.com");
    forge.Git("push -q origin main");
  }
};

}  // namespace

TEST_CASE("a pull that is no terminal's never waits; the prompt stays pending") {
  PullWorld w("[hooks]\nask_timeout = \"1h\"\n");
  BragdProcess bragd(w.h.world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("repos.add", {{"path", w.mine.dir().string()}}).has_value());
  w.MergedOnForge(7, "cache", "Cache the catalogue\n");

  auto start = std::chrono::steady_clock::now();
  CommandResult pull = RunCommand("git -C " + ShellQuote(w.mine.dir().string()) +
                                  " pull -q --ff-only < /dev/null");
  auto took = std::chrono::steady_clock::now() - start;
  CHECK_MESSAGE(pull.code == 0, pull.output);
  CHECK(pull.output == "");  // nothing asked, nothing said
  CHECK(took < std::chrono::seconds(30));  // far below ask_timeout = 1h
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  REQUIRE((*pending)["prompts"].size() == 1);
  CHECK((*pending)["prompts"][0]["pr"] == 7);
}

TEST_CASE("a pull on a terminal asks at once: its commit notes are offered and 'a' files them") {
  PullWorld w;
  BragdProcess bragd(w.h.world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("repos.add", {{"path", w.mine.dir().string()}}).has_value());
  w.MergedOnForge(8, "orders-index",
                  "Index the orders table\n\nImpact: checkout p95 3.4s -> 18ms\n");
  w.MergedOnForge(9, "retry-budget", "Bound the retries\n");

  // script(1) gives git a pseudo-terminal; the answers are typed on it.
  std::string pull = "git -C " + ShellQuote(w.mine.dir().string()) + " pull -q --ff-only";
  fs::path typed = w.h.world.root() / "typed.txt";
  // Newest merge first: PR #9, then PR #8 with its commit's note to accept.
  WriteFile(typed, "retries capped at 3; 0 storms since\na\n");
  CommandResult tty =
      RunCommand("script -qec " + ShellQuote(pull) + " /dev/null < " + ShellQuote(typed.string()));
  CHECK_MESSAGE(tty.code == 0, tty.output);
  CHECK_MESSAGE(tty.output.find("this pull landed 2 changes of yours") != std::string::npos,
                tty.output);
  CHECK(tty.output.find("from your commits:") != std::string::npos);
  CHECK(tty.output.find("checkout p95 3.4s -> 18ms") != std::string::npos);
  CHECK_MESSAGE(tty.output.find("a: accept those") != std::string::npos, tty.output);

  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].empty());
  Result<json> log = c.Call("log");
  REQUIRE(log.has_value());
  std::vector<std::string> notes;
  int free_notes = 0;
  for (const json& e : (*log)["entries"]) {
    if (e["kind"] == "pr_merged") notes.push_back(e.value("note", json()).is_string()
                                                       ? e["note"].get<std::string>()
                                                       : "");
    if (e["kind"] == "note") ++free_notes;
  }
  std::sort(notes.begin(), notes.end());
  CHECK(notes == std::vector<std::string>{"checkout p95 3.4s -> 18ms",
                                          "retries capped at 3; 0 storms since"});
  CHECK(free_notes == 0);  // the commit's note is the PR's now, counted once
}

namespace {

// `git pull` in `repo` as typed at a terminal.
std::string PullCommand(const GitRepo& repo) {
  return "cd " + ShellQuote(repo.dir().string()) + " && exec git pull -q --ff-only";
}

}  // namespace

TEST_CASE(
    "the question after a pull counts down, and s skips every prompt of that pull") {
  PullWorld w;
  BragdProcess bragd(w.h.world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("repos.add", {{"path", w.mine.dir().string()}}).has_value());
  w.MergedOnForge(8, "orders-index", "Index the orders table\n");
  w.MergedOnForge(9, "retry-budget", "Bound the retries\n");

  PtySession tty(PullCommand(w.mine));
  REQUIRE_MESSAGE(tty.WaitFor("this pull landed 2 changes of yours"), tty.output());
  REQUIRE_MESSAGE(tty.WaitFor("1 of 2 (skipping in 60s)"), tty.output());
  REQUIRE_MESSAGE(tty.WaitFor("s: skip all"), tty.output());
  // The time left is updated while it waits.
  REQUIRE_MESSAGE(tty.WaitFor("(skipping in 59s)", 5000), tty.output());
  REQUIRE(tty.WaitForRawMode());
  tty.Type("s\r");
  REQUIRE_MESSAGE(tty.WaitFor("skipped the rest"), tty.output());
  CHECK(tty.WaitExit() == 0);
  CHECK(tty.output().find("2 of 2") == std::string::npos);  // not asked
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 2);
}

TEST_CASE(
    "the question after a pull gives up after ask_timeout and leaves the prompt "
    "pending") {
  PullWorld w("[hooks]\nask_timeout = \"2s\"\n");
  BragdProcess bragd(w.h.world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("repos.add", {{"path", w.mine.dir().string()}}).has_value());
  w.MergedOnForge(8, "orders-index", "Index the orders table\n");

  auto start = std::chrono::steady_clock::now();
  PtySession tty(PullCommand(w.mine));
  REQUIRE_MESSAGE(tty.WaitFor("(skipping in 2s)"), tty.output());
  REQUIRE(tty.WaitFor("d: dismiss)> "));
  REQUIRE(tty.WaitForRawMode());
  tty.Type("half a though");  // not entered when the time runs out
  REQUIRE_MESSAGE(tty.WaitFor("left pending", 10000), tty.output());
  REQUIRE_MESSAGE(tty.WaitFor("To file what you typed: brag answer "), tty.output());
  REQUIRE(tty.WaitFor(" -- 'half a though'"));
  CHECK(tty.WaitExit() == 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 1);
}

TEST_CASE(
    "a pull on a terminal with bragd down says in one line that it will ask later") {
  PullWorld w;
  w.MergedOnForge(8, "orders-index", "Index the orders table\n");
  PtySession tty(PullCommand(w.mine));
  REQUIRE_MESSAGE(
      tty.WaitFor("bragd is not running; what this pull merged will be asked "
                  "about when it starts"),
      tty.output());
  CHECK(tty.WaitExit() == 0);
}

// `git commit` with brag's hooks, its stderr and exit code kept.
CommandResult CommitShowingHook(const GitRepo& repo, const fs::path& scratch,
                                const std::string& message) {
  fs::path file = scratch / "msg.txt";
  WriteFile(file, message);
  return RunCommand("GIT_AUTHOR_NAME=me GIT_AUTHOR_EMAIL=me@example.com "
                    "GIT_COMMITTER_NAME=me GIT_COMMITTER_EMAIL=me@example.com git -C " +
                    ShellQuote(repo.dir().string()) + " commit -q --allow-empty -F " +
                    ShellQuote(file.string()));
}

std::vector<std::string> NoteTexts(const World& world) {
  CommandResult r = world.Brag("log --kind note --json");
  REQUIRE_MESSAGE(r.code == 0, r.output);
  std::vector<std::string> texts;
  for (const json& n : JsonLines(r.output)) texts.push_back(n["text"].get<std::string>());
  std::sort(texts.begin(), texts.end());
  return texts;
}

TEST_CASE("a note the hook cannot spool is filed from the commit's trailer, once") {
  HookWorld h;
  // A folder where the spool file goes: no append can open it, even as root.
  fs::path spool_path = fs::path(h.world.journal().string() + ".spool");
  fs::create_directories(spool_path);
  GitRepo repo = h.Repo("svc");
  std::vector<std::string> both{"checkout p95 3.4s -> 18ms", "retries capped at 3"};
  {
    BragdProcess bragd(h.world);
    REQUIRE(bragd.WaitReady());
    REQUIRE(bragd.Connect().Call("repos.add", {{"path", repo.dir().string()}}).has_value());
    // bragd up: its next scan of the repo (the hook nudges it; `rescan`
    // answers once one is done) files the trailer.
    CommandResult made = CommitShowingHook(repo, h.world.root(),
                                           "Index orders\n\nImpact: checkout p95 3.4s -> 18ms\n");
    REQUIRE_MESSAGE(made.code == 0, made.output);
    CHECK(made.output.find("safe in the commit's Impact: trailer") != std::string::npos);
    REQUIRE(bragd.Connect().Call("rescan", {{"repo", repo.dir().string()}}).has_value());
    CHECK_MESSAGE(NoteTexts(h.world) == std::vector<std::string>{both[0]}, bragd.Log());
    // Amended: post-rewrite could not spool either; the reflog's amend moves
    // the note to the new commit, still one.
    fs::path file = h.world.root() / "msg.txt";
    WriteFile(file, "Index orders (composite)\n\nImpact: checkout p95 3.4s -> 18ms\n");
    CommandResult amended = RunCommand(
        "GIT_AUTHOR_NAME=me GIT_AUTHOR_EMAIL=me@example.com GIT_COMMITTER_NAME=me "
        "GIT_COMMITTER_EMAIL=me@example.com git -C " + ShellQuote(repo.dir().string()) +
        " commit -q --amend --allow-empty -F " + ShellQuote(file.string()));
    REQUIRE_MESSAGE(amended.code == 0, amended.output);
    REQUIRE(bragd.Connect().Call("rescan", {{"repo", repo.dir().string()}}).has_value());
    std::vector<json> notes = h.Notes();
    REQUIRE_MESSAGE(notes.size() == 1, bragd.Log());
    CHECK(notes[0]["commit"] == repo.Rev());
  }
  // bragd down: the commit still succeeds, and says where its note is.
  CommandResult made =
      CommitShowingHook(repo, h.world.root(), "Cap retries\n\nImpact: retries capped at 3\n");
  REQUIRE_MESSAGE(made.code == 0, made.output);
  CHECK(made.output.find("could not be spooled") != std::string::npos);
  CHECK(made.output.find("bragd files it at its next scan") != std::string::npos);
  {
    BragdProcess bragd(h.world);  // its start-up scan files the second one
    REQUIRE(bragd.WaitReady());
    CHECK_MESSAGE(NoteTexts(h.world) == both, bragd.Log());
    CHECK(bragd.Log().find("filed 1 Impact: trailer(s)") != std::string::npos);
    REQUIRE(bragd.Connect().Call("rescan").has_value());
    CHECK(NoteTexts(h.world) == both);
  }
  BragdProcess again(h.world);  // a new run reads the same commits: nothing new
  REQUIRE(again.WaitReady());
  CHECK(NoteTexts(h.world) == both);
  CHECK(again.Log().find("Impact: trailer(s)") == std::string::npos);
}

TEST_CASE("a commit on a mainline is seen at once through post-commit, without fs events") {
  HookWorld h("[detect]\nwatch = \"poll\"\npoll_interval = \"1h\"\n");
  BragdProcess bragd(h.world);
  REQUIRE(bragd.WaitReady());
  GitRepo repo = h.Repo("svc");
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());
  repo.GithubSquash(5, "Noticed through the hook", "me@example.com");
  json p = WaitPrompt(c, 10000);
  REQUIRE_MESSAGE(p.is_object(), bragd.Log());
  CHECK(p["pr"] == 5);
}

TEST_CASE("reference-transaction nudges bragd when a fetch brings a merge, without fs events") {
  // A config that polls: the plain `brag hooks install` puts reference-transaction too.
  PullWorld w("[detect]\nwatch = \"poll\"\npoll_interval = \"1h\"\n");
  REQUIRE(fs::exists(w.mine.dir() / ".git" / "hooks" / "reference-transaction"));
  BragdProcess bragd(w.h.world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", w.mine.dir().string()}}).has_value());
  w.MergedOnForge(31, "fetch-me", "Fetch me\n");
  w.mine.Git("fetch -q origin");  // moves refs/remotes/origin/main: a nudge
  json p = WaitPrompt(c, 10000);
  REQUIRE_MESSAGE(p.is_object(), bragd.Log());
  CHECK(p["pr"] == 31);
  CHECK(p["branch"] == "fetch-me");
}

}  // namespace brag::test
