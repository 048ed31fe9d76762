// Real-world damage: corrupt packs, formats libgit2 cannot open, linked
// worktrees. bragd says what is wrong, keeps serving and never duplicates.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json RepoStatus(protocol::Client& c, const fs::path& path) {
  Result<json> status = c.Call("status");
  REQUIRE(status.has_value());
  for (const json& r : (*status)["repos"]) {
    if (r["path"] == path.string()) return r;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a repo with a truncated pack is reported and the other repos keep working") {
  World world;
  GitRepo broken = GitRepo::Init(world.repos() / "broken");
  broken.Commit("README", "a\n", "initial");
  GitRepo fine = GitRepo::Init(world.repos() / "fine");
  fine.Commit("README", "b\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", broken.dir().string()}}).has_value());
  REQUIRE(c.Call("repos.add", {{"path", fine.dir().string()}}).has_value());

  // A new tip, kept loose, whose parent is then packed and the pack cut in
  // half: the history behind the tip is unreadable.
  std::string tree = broken.Git("write-tree");
  std::string parent = broken.Rev("main");
  std::string squash = broken.Git("commit-tree " + tree + " -p " + parent + " -m " +
                                  ShellQuote("Squashed (#2)"));
  broken.Git("repack -q -a -d");
  for (const auto& entry : fs::directory_iterator(broken.dir() / ".git/objects/pack")) {
    if (entry.path().extension() == ".pack") {
      fs::resize_file(entry.path(), fs::file_size(entry.path()) / 2);
    }
  }
  broken.Git("update-ref refs/heads/main " + squash);
  Result<json> rescan = c.Call("rescan", {{"repo", broken.dir().string()}});
  json st = RepoStatus(c, broken.dir());
  REQUIRE(st.is_object());
  CHECK_FALSE(rescan.has_value());
  CHECK(st["state"] == "error");
  CHECK(st["error"].is_string());

  fine.GithubSquash(3, "Unaffected", "me@example.com");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 3);
  CHECK(c.Call("hello").has_value());
}

TEST_CASE("a repository in a format libgit2 cannot open is refused with a clear error") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "future");
  repo.Commit("README", "a\n", "initial");
  repo.Git("config core.repositoryformatversion 1");
  repo.Git("config extensions.refStorage reftable");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  Result<json> added = c.Call("repos.add", {{"path", repo.dir().string()}});
  REQUIRE_FALSE(added.has_value());
  CHECK_MESSAGE(added.error().message.find(repo.dir().string()) != std::string::npos,
                added.error().message);
  CHECK_MESSAGE(added.error().message.find("refstorage") != std::string::npos,
                added.error().message);
  CHECK(c.Call("hello").has_value());
}

TEST_CASE("a linked worktree is the same repo as its main work tree") {
  World world;
  GitRepo main = GitRepo::Init(world.repos() / "main-tree");
  main.Commit("README", "a\n", "initial");
  main.Git("worktree add -q " + ShellQuote((world.repos() / "linked").string()) +
           " -b side");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  Result<json> a = c.Call("repos.add", {{"path", main.dir().string()}});
  Result<json> b = c.Call("repos.add", {{"path", (world.repos() / "linked").string()}});
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK((*a)["repo"]["id"] == (*b)["repo"]["id"]);
  Result<json> list = c.Call("repos.list");
  REQUIRE(list.has_value());
  CHECK((*list)["repos"].size() == 1);

  main.GithubSquash(9, "Once, not twice", "me@example.com");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 9);
  Result<json> rescan = c.Call("rescan", json::object());
  REQUIRE(rescan.has_value());
  CHECK((*rescan)["prompts"].empty());
  CHECK_FALSE(c.NextEvent(0).has_value());
}

}  // namespace brag::test
