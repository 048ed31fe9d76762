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

namespace brag::test {

TEST_CASE("a repo bragd may not read is reported, the others keep working, and it recovers") {
  World world;
  GitRepo locked = GitRepo::Init(world.repos() / "locked");
  locked.Commit("README", "a\n", "initial");
  GitRepo open = GitRepo::Init(world.repos() / "open");
  open.Commit("README", "b\n", "initial");
  world.WriteConfig("[[repo]]\npath = \"" + locked.dir().string() + "\"\n[[repo]]\npath = \"" +
                    open.dir().string() + "\"\n");
  // Root reads anything: bragd then runs as root without its capabilities,
  // so that the permission bits hold for it as they do for a user.
  std::string prefix = geteuid() == 0 ? "setpriv --bounding-set=-all --inh-caps=-all" : "";
  fs::path git_dir = locked.dir() / ".git";
  fs::permissions(git_dir, fs::perms::none, fs::perm_options::replace);
  BragdProcess bragd(world, "", prefix);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());

  json state = RepoStatus(c, locked.dir());
  REQUIRE(state.is_object());
  CHECK(state["state"] == "error");
  CHECK_MESSAGE(state["error"].get<std::string>().find("ermission denied") !=
                    std::string::npos,
                state.dump());
  CHECK(bragd.Log().find(locked.dir().string()) != std::string::npos);
  CommandResult shown = world.Brag("status");
  CHECK(shown.output.find("ermission denied") != std::string::npos);

  open.GithubSquash(4, "Still served", "me@example.com");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 4);

  // Readable again: the next rescan takes it up, with nothing from before.
  fs::permissions(git_dir, fs::perms::owner_all, fs::perm_options::replace);
  Result<json> rescan = c.Call("rescan", {{"repo", locked.dir().string()}});
  REQUIRE_MESSAGE(rescan.has_value(), rescan.error().message);
  CHECK((*rescan)["prompts"].empty());
  CHECK(RepoStatus(c, locked.dir())["state"] != "error");
  locked.GithubSquash(5, "Back in business", "me@example.com");
  json q = WaitPrompt(c);
  REQUIRE(q.is_object());
  CHECK(q["pr"] == 5);
}

TEST_CASE("renamed branches repeat nothing: a mainline renamed, an incident renamed") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "svc");
  repo.Commit("README", "a\n", "initial");
  repo.GithubSquash(1, "Before the rename", "me@example.com");
  repo.Git("checkout -q -b hotfix/disk");
  repo.Commit("disk.txt", "1\n", "Rotate the logs");
  repo.Git("checkout -q main");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());

  repo.Git("branch -m main trunk");
  repo.Git("branch -m hotfix/disk hotfix/disk-full");
  Result<json> rescan = c.Call("rescan", {{"repo", repo.dir().string()}});
  REQUIRE(rescan.has_value());
  CHECK_MESSAGE((*rescan)["prompts"].empty(), rescan->dump());

  // Work goes on under the new names: each is noticed once.
  repo.GithubSquash(2, "After the rename", "me@example.com", "trunk");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK_MESSAGE(p["pr"] == 2, p.dump());
  repo.Git("merge -q --no-ff --no-edit hotfix/disk-full");
  json q = WaitPrompt(c);
  REQUIRE(q.is_object());
  CHECK(q["kind"] == "incident_closed");
  CHECK(q["branch"] == "hotfix/disk-full");
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 2);
}

TEST_CASE("a repo moved within a scan root is watched at its new place without a flood") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "before");
  repo.Commit("README", "a\n", "initial");
  repo.GithubSquash(1, "Old work", "me@example.com");
  world.WriteConfig("[scan]\nroots = [\"" + world.repos().string() + "\"]\n");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());

  fs::path moved = world.repos() / "after";
  fs::rename(repo.dir(), moved);
  GitRepo there(moved);
  // The move is found by discovery; wait for it through the repo list.
  bool found = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       !found && std::chrono::steady_clock::now() < deadline;) {
    Result<json> rescan = c.Call("rescan", json::object());
    REQUIRE(rescan.has_value());
    CHECK((*rescan)["prompts"].empty());
    found = RepoStatus(c, moved).is_object();
  }
  REQUIRE(found);
  there.GithubSquash(2, "New work", "me@example.com");
  json p = WaitPrompt(c);
  REQUIRE_MESSAGE(p.is_object(), bragd.Log());
  CHECK(p["pr"] == 2);
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 1);
}

}  // namespace brag::test

namespace brag::test {

TEST_CASE("a bare repo that receives a push is watched like any other") {
  World world;
  GitRepo bare = GitRepo::Init(world.repos() / "central.git", /*bare=*/true);
  GitRepo work = GitRepo::Clone(bare.dir(), world.root() / "work");
  work.Commit("README", "a\n", "initial");
  work.Git("push -q origin main");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", bare.dir().string()}}).has_value());

  work.GithubSquash(8, "Pushed to the bare repo", "me@example.com");
  work.Git("push -q origin main");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 8);
  CHECK(p["repo"] == bare.dir().string());
}

TEST_CASE("a force-pushed mainline that rewrites a merged PR prompts nothing twice") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "svc");
  repo.Commit("README", "a\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());

  std::string merged = repo.GithubMerge(12, "cache", "Cache the catalogue", "me@example.com");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 12);

  // History rewritten under it (a rebase of main, then a force push): PR 12
  // now has another merge commit, and a new PR lands on top.
  repo.Git("reset -q --hard HEAD~1");
  repo.Commit("unrelated.txt", "x\n", "A commit slipped in before", "mate@example.com");
  std::string again = repo.GithubMerge(12, "cache-2", "Cache the catalogue", "me@example.com");
  CHECK(again != merged);
  repo.GithubSquash(13, "After the rewrite", "me@example.com");
  json q = WaitPrompt(c);
  REQUIRE(q.is_object());
  CHECK(q["pr"] == 13);
  Result<json> rescan = c.Call("rescan", {{"repo", repo.dir().string()}});
  REQUIRE(rescan.has_value());
  CHECK((*rescan)["prompts"].empty());
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 2);
}

}  // namespace brag::test
