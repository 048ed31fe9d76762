// Git running the installed shims: the user's hooks keep their arguments,
// input, output and exit status; brag is called as `brag hook NAME ...` and
// changes nothing of what git does or says; without brag the shims are mute.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "hooks/hook_fixture.h"
#include "hooks/install.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::hooks {
namespace {

namespace fs = std::filesystem;
using test::FakeBrag;
using test::GitRepo;
using test::Outcome;
using test::RunIn;
using test::TempDir;

const char* const kHookNames[] = {"post-commit", "post-merge", "post-rewrite",
                                  "reference-transaction"};

// A user's hook: logs its name, arguments and input to .git/user-hooks.log
// (hooks run at the top of the work tree), says hello on stderr, and at
// "prepared" refuses the transaction when REFUSE_REFS is set.
std::string UserHook(const std::string& name) {
  return "#!/bin/sh\n"
         "printf '%s %s\\n' " +
         name +
         " \"$*\" >> .git/user-hooks.log\n"
         "case " +
         name +
         " in post-rewrite|reference-transaction) "
         "cat >> .git/user-hooks.log;; esac\n"
         "echo \"" +
         name +
         " says hello\" >&2\n"
         "if [ \"$1\" = prepared ] && [ -n \"$REFUSE_REFS\" ]; then exit 1; fi\n"
         "exit 0\n";
}

// A repo with two commits on main and a branch `side` one commit ahead,
// the same (oids included) wherever it is made, under FixedDates.
GitRepo MakeRepo(const fs::path& dir) {
  GitRepo repo = GitRepo::Init(dir);
  repo.Commit("a.txt", "a\n", "first");
  repo.Git("branch side");
  repo.Git("checkout -q side");
  repo.Commit("b.txt", "b\n", "on side");
  repo.Git("checkout -q main");
  repo.Commit("c.txt", "c\n", "second");
  return repo;
}

struct FixedDates {
  test::ScopedEnv author{"GIT_AUTHOR_DATE", "2026-11-02T10:00:00Z"};
  test::ScopedEnv committer{"GIT_COMMITTER_DATE", "2026-11-02T10:00:00Z"};
};

// What git printed, and what the user's hooks saw, over everyday commands
// that fire all four hooks (and one transaction a hook refuses).
struct Transcript {
  std::string output;
  std::string user_log;
};

Transcript Exercise(const GitRepo& repo, const std::string& path) {
  Transcript t;
  for (const char* command :
       {"git commit --allow-empty -m third",
        "git commit --amend --allow-empty -m Third", "git merge --no-ff --no-edit side",
        "REFUSE_REFS=1 git branch refused", "git update-ref refs/heads/made HEAD",
        "git rebase HEAD~1"}) {
    Outcome o = RunIn(repo.dir(), path, command);
    t.output += std::string("$ ") + command + "\n" + o.out + "[stderr]\n" + o.err +
                "[exit " + std::to_string(o.code) + "]\n";
  }
  t.user_log = test::ReadFile(repo.dir() / ".git" / "user-hooks.log");
  return t;
}

void AddUserHooks(const GitRepo& repo) {
  for (const char* name : kHookNames) {
    test::WriteScript(repo.dir() / ".git" / "hooks" / name, UserHook(name));
  }
}

void InstallShims(const GitRepo& repo) {
  Result<InstallReport> r = Install(repo.dir(), {.all_hooks = true});
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  REQUIRE(r->ok());
}

// The line after the first line that starts with `prefix` in `text`.
std::string LineAfter(const std::string& text, const std::string& prefix) {
  size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  size_t start = text.find('\n', at) + 1;
  return text.substr(start, text.find('\n', start) + 1 - start);
}

TEST_CASE("no brag on the test PATH") {
  TempDir t("hooks-chain");
  CHECK(RunIn(t.path(), test::kPathWithoutBrag, "command -v brag").code != 0);
  FakeBrag fake;
  CHECK(RunIn(t.path(), fake.path(), "command -v brag").code == 0);
}

TEST_CASE("the user's hooks run through the shims exactly as they ran before") {
  FixedDates dates;
  FakeBrag fake;
  std::string path;
  SUBCASE("brag on PATH") { path = fake.path(); }
  SUBCASE("no brag on PATH") { path = test::kPathWithoutBrag; }
  TempDir t("hooks-chain");
  GitRepo plain = MakeRepo(t / "plain");
  GitRepo shimmed = MakeRepo(t / "shimmed");
  REQUIRE(plain.Rev() == shimmed.Rev());
  AddUserHooks(plain);
  AddUserHooks(shimmed);
  InstallShims(shimmed);

  Transcript expected = Exercise(plain, path);
  Transcript got = Exercise(shimmed, path);
  CHECK(got.output == expected.output);
  CHECK(got.user_log == expected.user_log);
  // The run did fire every hook, with input, and the refusal counted.
  for (const char* name : kHookNames) {
    CHECK(expected.user_log.find(std::string(name) + " ") != std::string::npos);
    CHECK(expected.output.find(std::string(name) + " says hello") != std::string::npos);
  }
  CHECK(LineAfter(expected.user_log, "post-rewrite amend").size() == 82);
  CHECK(LineAfter(expected.user_log, "reference-transaction committed").size() > 82);
  CHECK(expected.output.find("refused\n[stderr]") != std::string::npos);
  CHECK(
      RunIn(shimmed.dir(), path, "git rev-parse -q --verify refs/heads/refused").code !=
      0);
  CHECK(RunIn(shimmed.dir(), path, "git rev-parse -q --verify refs/heads/made").code ==
        0);
}

TEST_CASE(
    "brag is called as `brag hook NAME ARGS` with git's input, and changes nothing") {
  FixedDates dates;
  FakeBrag fake;
  TempDir t("hooks-chain");
  GitRepo plain = MakeRepo(t / "plain");
  GitRepo shimmed = MakeRepo(t / "shimmed");
  bool chaining = false;
  SUBCASE("alone") {}
  SUBCASE("after the user's hooks") {
    chaining = true;
    AddUserHooks(plain);
    AddUserHooks(shimmed);
  }
  InstallShims(shimmed);

  Transcript expected = Exercise(plain, fake.path());
  Transcript got = Exercise(shimmed, fake.path());
  CHECK(got.output == expected.output);
  CHECK(got.user_log == expected.user_log);
  CHECK(got.output.find("brag says") == std::string::npos);

  std::string log = fake.Log();
  CHECK(log.find("hook post-commit\n") != std::string::npos);
  CHECK(log.find("hook post-merge 0\n") != std::string::npos);
  CHECK(log.find("hook post-rewrite amend\n") != std::string::npos);
  CHECK(log.find("hook post-rewrite rebase\n") != std::string::npos);
  CHECK(log.find("hook reference-transaction committed\n") != std::string::npos);
  // Only committed transactions reach brag: not "prepared", not "aborted".
  CHECK(log.find("prepared") == std::string::npos);
  CHECK(log.find("aborted") == std::string::npos);
  // The input brag got is the input git gave (as the user's hook saw it).
  std::string amended = LineAfter(log, "hook post-rewrite amend");
  CHECK(amended.size() == 82);  // "<old> <new>\n"
  if (chaining) CHECK(LineAfter(got.user_log, "post-rewrite amend") == amended);
  // A transaction that moves HEAD (commit, amend, merge, rebase) is left to
  // those commands' own hooks; one that does not (update-ref) reaches brag
  // with git's input.
  CHECK(log.find(" HEAD\n") == std::string::npos);
  CHECK(log.find(" refs/heads/made\n") != std::string::npos);
}

TEST_CASE("without brag on PATH and without user hooks, the shims are silent no-ops") {
  FixedDates dates;
  TempDir t("hooks-chain");
  GitRepo plain = MakeRepo(t / "plain");
  GitRepo shimmed = MakeRepo(t / "shimmed");
  InstallShims(shimmed);
  Outcome commit = RunIn(shimmed.dir(), test::kPathWithoutBrag,
                         "git commit -q --allow-empty -m quiet");
  CHECK(commit.code == 0);
  CHECK(commit.out == "");
  CHECK(commit.err == "");
  Outcome twin = RunIn(plain.dir(), test::kPathWithoutBrag,
                       "git commit -q --allow-empty -m quiet");
  CHECK(twin.code == 0);
  CHECK(shimmed.Rev() == plain.Rev());
  CHECK(Exercise(shimmed, test::kPathWithoutBrag).output ==
        Exercise(plain, test::kPathWithoutBrag).output);
}

TEST_CASE("a transaction of thousands of refs passes through the shims whole") {
  TempDir t("hooks-chain");
  FakeBrag fake;
  GitRepo repo = GitRepo::Init(t / "work");
  std::string head = repo.Commit("a.txt", "a\n", "first");
  std::string updates;
  for (int i = 0; i < 3000; ++i) {
    updates += "create refs/tags/t" + std::to_string(i) + " " + head + "\n";
  }
  test::WriteFile(t / "updates", updates);
  std::string command =
      "git update-ref --stdin < " + test::ShellQuote((t / "updates").string());
  InstallShims(repo);
  std::string path;
  SUBCASE("no brag, no user hook") { path = test::kPathWithoutBrag; }
  SUBCASE("brag, no user hook") { path = fake.path(); }
  SUBCASE("a user hook, no brag") {
    path = test::kPathWithoutBrag;
    test::WriteScript(repo.dir() / ".git" / "hooks" / "reference-transaction.brag-orig",
                      UserHook("reference-transaction"));
  }
  SUBCASE("brag and a user hook") {
    path = fake.path();
    test::WriteScript(repo.dir() / ".git" / "hooks" / "reference-transaction.brag-orig",
                      UserHook("reference-transaction"));
  }
  Outcome o = RunIn(repo.dir(), path, command);
  CHECK(o.code == 0);
  CHECK(o.out == "");
  CHECK(repo.Git("for-each-ref refs/tags | wc -l") == "3000");
  if (path == fake.path()) {
    std::string log = fake.Log();
    CHECK(std::count(log.begin(), log.end(), '\n') == 3001);
  }
  if (fs::exists(repo.dir() / ".git" / "user-hooks.log")) {
    std::string user_log = test::ReadFile(repo.dir() / ".git" / "user-hooks.log");
    // prepared and committed, each with every update.
    CHECK(std::count(user_log.begin(), user_log.end(), '\n') == 2 * 3001);
  }
}

}  // namespace
}  // namespace brag::hooks
