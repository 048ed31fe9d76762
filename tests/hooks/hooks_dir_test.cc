#include "hooks/hooks_dir.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::hooks {
namespace {

namespace fs = std::filesystem;
using test::GitRepo;
using test::TempDir;

fs::path Dir(const fs::path& repo) {
  Result<HookSite> site = LocateHooks(repo);
  REQUIRE_MESSAGE(site.has_value(), (site ? "" : site.error().message));
  return site->dir;
}

// Where git itself looks for hooks in `repo`.
fs::path GitsHooksDir(const GitRepo& repo) {
  fs::path said = repo.Git("rev-parse --git-path hooks");
  fs::path dir = (said.is_absolute() ? said : repo.dir() / said).lexically_normal();
  return dir.has_filename() ? dir : dir.parent_path();  // "a/b/" is "a/b"
}

TEST_CASE("without core.hooksPath the hooks live in the git dir's hooks folder") {
  TempDir t("hooks-dir");
  GitRepo repo = GitRepo::Init(t / "work");
  CHECK(Dir(repo.dir()) == t.path() / "work" / ".git" / "hooks");
  CHECK(Dir(repo.dir() / ".git") == t.path() / "work" / ".git" / "hooks");
  CHECK(Dir(repo.dir()) == GitsHooksDir(repo));
  GitRepo bare = GitRepo::Init(t / "bare.git", true);
  CHECK(Dir(bare.dir()) == t.path() / "bare.git" / "hooks");
}

TEST_CASE("a relative core.hooksPath is taken from the top of the work tree") {
  TempDir t("hooks-dir");
  GitRepo repo = GitRepo::Init(t / "work");
  repo.Git("config core.hooksPath .githooks/");
  CHECK(Dir(repo.dir()) == t.path() / "work" / ".githooks");
  CHECK(Dir(repo.dir()) == GitsHooksDir(repo));
  // Opened by its .git folder, the same.
  CHECK(Dir(repo.dir() / ".git") == t.path() / "work" / ".githooks");
}

TEST_CASE("an absolute or ~/ core.hooksPath is used as it is") {
  TempDir t("hooks-dir");
  GitRepo repo = GitRepo::Init(t / "work");
  repo.Git("config core.hooksPath " + test::ShellQuote((t / "shared-hooks").string()));
  CHECK(Dir(repo.dir()) == t.path() / "shared-hooks");
  CHECK(Dir(repo.dir()) == GitsHooksDir(repo));
  repo.Git("config core.hooksPath '~/my-hooks'");
  CHECK(Dir(repo.dir()) == fs::path(std::getenv("HOME")) / "my-hooks");
  CHECK(Dir(repo.dir()) == GitsHooksDir(repo));
}

TEST_CASE("core.hooksPath from an included config file counts") {
  TempDir t("hooks-dir");
  GitRepo repo = GitRepo::Init(t / "work");
  test::WriteFile(t / "team.gitconfig", "[core]\n\thooksPath = /opt/team/hooks\n");
  repo.Git("config include.path " + test::ShellQuote((t / "team.gitconfig").string()));
  CHECK(Dir(repo.dir()) == "/opt/team/hooks");
  CHECK(Dir(repo.dir()) == GitsHooksDir(repo));
}

TEST_CASE(
    "a linked worktree uses the common dir's hooks, or its own top for a relative "
    "core.hooksPath") {
  TempDir t("hooks-dir");
  GitRepo repo = GitRepo::Init(t / "main");
  repo.Commit("a.txt", "a\n", "first");
  repo.Git("worktree add -q " + test::ShellQuote((t / "linked").string()) + " -b side");
  GitRepo linked(t / "linked");
  CHECK(Dir(linked.dir()) == t.path() / "main" / ".git" / "hooks");
  CHECK(Dir(linked.dir()) == GitsHooksDir(linked));
  repo.Git("config core.hooksPath hooks-here");
  CHECK(Dir(linked.dir()) == t.path() / "linked" / "hooks-here");
  CHECK(Dir(linked.dir()) == GitsHooksDir(linked));
}

TEST_CASE("a bare repo takes a relative core.hooksPath from its git dir") {
  TempDir t("hooks-dir");
  GitRepo bare = GitRepo::Init(t / "bare.git", true);
  bare.Git("config core.hooksPath custom");
  CHECK(Dir(bare.dir()) == t.path() / "bare.git" / "custom");
  CHECK(Dir(bare.dir()) == GitsHooksDir(bare));
}

TEST_CASE("the repo around a folder is found from any folder inside it") {
  TempDir t("hooks-dir");
  GitRepo repo = GitRepo::Init(t / "work");
  fs::create_directories(t / "work" / "src" / "deep");
  Result<fs::path> found = FindRepo(t / "work" / "src" / "deep");
  REQUIRE(found.has_value());
  CHECK(*found == t.path() / "work");
  CHECK(*FindRepo(t / "work") == t.path() / "work");
  fs::create_directories(t / "nothing");
  Result<fs::path> none = FindRepo(t / "nothing");
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == "not_found");
  Result<HookSite> no_repo = LocateHooks(t / "nothing");
  REQUIRE_FALSE(no_repo.has_value());
  CHECK(no_repo.error().code == "not_found");
}

}  // namespace
}  // namespace brag::hooks
