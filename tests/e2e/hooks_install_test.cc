// The real brag installing its git hooks in real repos, and git running them
// with the real `brag hook` behind them: git must say and do exactly what it
// does without them.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e2e/bragd_process.h"
#include "hooks/hook_fixture.h"
#include "support/git_fixture.h"
#include "support/local_filesystem.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct FixedDates {
  ScopedEnv author{"GIT_AUTHOR_DATE", "2026-11-02T10:00:00Z"};
  ScopedEnv committer{"GIT_COMMITTER_DATE", "2026-11-02T10:00:00Z"};
};

// `brag ARGS` run in `dir` against the world's config (bragd is not running).
Outcome BragIn(const World& world, const fs::path& dir, const std::string& args) {
  return RunIn(
      dir, kPathWithoutBrag,
      "BRAG_CONFIG=" + ShellQuote(world.config().string()) + " " BRAG_BIN " " + args);
}

// A repo with a branch `side` to merge, the same (oids too) wherever made.
GitRepo MakeRepo(const fs::path& dir) {
  GitRepo repo = GitRepo::Init(dir);
  repo.Commit("a.txt", "a\n", "first");
  repo.Git("branch side");
  repo.Git("checkout -q side");
  repo.Commit("b.txt", "b\n", "on side");
  repo.Git("checkout -q main");
  repo.Commit("c.txt", "c\n", "second");
  fs::create_directories(dir / "src");
  return repo;
}

// The hook files in `hooks`, shims and originals (not git's *.sample files).
std::vector<std::string> Names(const fs::path& hooks) {
  std::vector<std::string> names;
  for (const auto& [name, entry] : Snapshot(hooks)) {
    if (!name.ends_with(".sample")) names.push_back(name);
  }
  return names;
}

// Everything git printed over commands that fire the four hooks.
std::string Exercise(const GitRepo& repo, const std::string& path) {
  std::string transcript;
  for (const char* command :
       {"git commit --allow-empty -m third",
        "git commit --amend --allow-empty -m Third", "git merge --no-ff --no-edit side",
        "git update-ref refs/heads/made HEAD", "git rebase HEAD~1",
        "git log --format='%H %s'"}) {
    Outcome o = RunIn(repo.dir(), path, command);
    transcript += std::string("$ ") + command + "\n" + o.out + "[stderr]\n" + o.err +
                  "[exit " + std::to_string(o.code) + "]\n";
  }
  return transcript;
}

TEST_CASE(
    "brag hooks install, status and uninstall around git commands that print the "
    "same as without hooks") {
  FixedDates dates;
  World world;
  GitRepo plain = MakeRepo(world.repos() / "plain");
  GitRepo shimmed = MakeRepo(world.repos() / "shimmed");
  const std::string user_hook = "#!/bin/sh\necho \"the user's post-commit: $*\" >&2\n";
  WriteScript(plain.dir() / ".git" / "hooks" / "post-commit", user_hook);
  WriteScript(shimmed.dir() / ".git" / "hooks" / "post-commit", user_hook);
  fs::path hooks = shimmed.dir() / ".git" / "hooks";
  auto before = Snapshot(hooks);

  // From a folder inside the repo, no PATH given; all four, for git to run.
  Outcome install = BragIn(world, shimmed.dir() / "src", "hooks install --all-hooks");
  REQUIRE_MESSAGE(install.code == 0, install.err);
  CHECK(install.err == "");
  CHECK(install.out.find(shimmed.dir().string() +
                         "  post-commit            installed, chaining the original") !=
        std::string::npos);

  Outcome status = BragIn(world, shimmed.dir(), "hooks status --json");
  REQUIRE(status.code == 0);
  std::vector<json> states = JsonLines(status.out);
  REQUIRE(states.size() == 4);
  std::vector<std::string> kinds;
  for (const json& s : states) kinds.push_back(s["state"]);
  CHECK(kinds ==
        std::vector<std::string>{"chaining", "installed", "installed", "installed"});
  CHECK(states[0]["repo"] == shimmed.dir().string());

  // git with the real brag on PATH, behind a wrapper that notes each call.
  TempDir bin("e2e-bin");
  WriteScript(bin / "brag", "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " +
                                ShellQuote((bin / "calls.log").string()) + "\nexec " +
                                BRAG_BIN " \"$@\"\n");
  std::string path = bin.path().string() + ":" + kPathWithoutBrag;
  std::string expected = Exercise(plain, path);
  std::string got = Exercise(shimmed, path);
  CHECK(got == expected);
  CHECK(got.find("the user's post-commit") != std::string::npos);
  CHECK(shimmed.Rev() == plain.Rev());
  std::string calls = ReadFile(bin / "calls.log");
  for (const char* call :
       {"hook post-commit\n", "hook post-merge 0\n", "hook post-rewrite amend\n",
        "hook post-rewrite rebase\n", "hook reference-transaction committed\n"}) {
    CHECK_MESSAGE(calls.find(call) != std::string::npos, call);
  }

  Outcome uninstall = BragIn(world, shimmed.dir(), "hooks uninstall");
  REQUIRE_MESSAGE(uninstall.code == 0, uninstall.err);
  CHECK(uninstall.out.find("post-commit            removed, the original restored\n") !=
        std::string::npos);
  CHECK(Snapshot(hooks) == before);
  Outcome after = BragIn(world, shimmed.dir(), "hooks status --json");
  std::vector<json> now = JsonLines(after.out);
  REQUIRE(now.size() == 4);
  CHECK(now[0]["state"] == "foreign");
  CHECK(now[1]["state"] == "not_installed");
}

TEST_CASE("brag hooks install --all covers every watched repo") {
  World world;
  RequireLocalFilesystem(world.root());
  GitRepo a = GitRepo::Init(world.repos() / "a");
  GitRepo b = GitRepo::Init(world.repos() / "b", true);
  REQUIRE(
      BragIn(world, world.root(), "repos add " + ShellQuote(a.dir().string())).code ==
      0);
  REQUIRE(
      BragIn(world, world.root(), "repos add " + ShellQuote(b.dir().string())).code ==
      0);
  Outcome install = BragIn(world, world.root(), "hooks install --all");
  REQUIRE_MESSAGE(install.code == 0, install.err);
  CHECK(fs::exists(a.dir() / ".git" / "hooks" / "post-rewrite"));
  CHECK(fs::exists(b.dir() / "hooks" / "post-rewrite"));
  std::vector<json> states =
      JsonLines(BragIn(world, world.root(), "hooks status --all --json").out);
  REQUIRE(states.size() == 8);
  for (const json& s : states) {
    CAPTURE(s.dump());
    bool ref_hook = s["hook"] == "reference-transaction";
    CHECK(s["state"] == (ref_hook ? "not_installed" : "installed"));
    CHECK(s["needed"] == !ref_hook);
  }
  Outcome outside = BragIn(world, world.root(), "hooks status");
  CHECK(outside.code == 1);
  CHECK(outside.err.starts_with("brag: error: "));
  CHECK(outside.err.find("give a PATH, or --all") != std::string::npos);
}

TEST_CASE(
    "on a local filesystem a plain install puts three shims; the poll config or "
    "--all-hooks put four, a plain install keeps them, uninstall restores all") {
  World world;
  RequireLocalFilesystem(world.root());
  GitRepo repo = MakeRepo(world.repos() / "svc");
  fs::path hooks = repo.dir() / ".git" / "hooks";
  const std::string user_hook = "#!/bin/sh\necho \"the user's post-merge\" >&2\n";
  WriteScript(hooks / "post-merge", user_hook);
  auto before = Snapshot(hooks);
  std::string dir = ShellQuote(repo.dir().string());

  Outcome plain = BragIn(world, world.root(), "hooks install " + dir);
  REQUIRE_MESSAGE(plain.code == 0, plain.err);
  CHECK(plain.err == "");
  CHECK(plain.out.find("  reference-transaction  not needed: bragd sees ref changes on "
                       "this filesystem (--all-hooks installs it)\n") !=
        std::string::npos);
  CHECK(Names(hooks) == std::vector<std::string>{"post-commit", "post-merge",
                                                 "post-merge.brag-orig",
                                                 "post-rewrite"});
  std::vector<json> states =
      JsonLines(BragIn(world, world.root(), "hooks status --json " + dir).out);
  REQUIRE(states.size() == 4);
  CHECK(states[3]["hook"] == "reference-transaction");
  CHECK(states[3]["state"] == "not_installed");
  CHECK(states[3]["needed"] == false);
  CHECK(states[3]["reason"] == "bragd sees ref changes on this filesystem");
  CHECK(states[3]["outdated"] == false);
  CHECK(states[1]["needed"] == true);

  SUBCASE("--all-hooks") {
    REQUIRE(BragIn(world, world.root(), "hooks install --all-hooks " + dir).code == 0);
  }
  SUBCASE("a config that polls") {
    world.WriteConfig("[detect]\nwatch = \"poll\"\n");
    Outcome polled = BragIn(world, world.root(), "hooks install " + dir);
    REQUIRE(polled.code == 0);
    CHECK(polled.out.find("  reference-transaction  installed\n") != std::string::npos);
    world.WriteConfig();
  }
  auto four = Snapshot(hooks);
  CHECK(Names(hooks) == std::vector<std::string>{"post-commit", "post-merge",
                                                 "post-merge.brag-orig", "post-rewrite",
                                                 "reference-transaction"});

  Outcome again = BragIn(world, world.root(), "hooks install " + dir);
  REQUIRE(again.code == 0);
  CHECK(again.out.find("  reference-transaction  already installed\n") !=
        std::string::npos);
  CHECK(Snapshot(hooks) == four);

  REQUIRE(BragIn(world, world.root(), "hooks uninstall " + dir).code == 0);
  CHECK(Snapshot(hooks) == before);
}

}  // namespace
}  // namespace brag::test
