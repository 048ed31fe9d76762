// How bragd follows repos: discovery under scan roots, new ref folders,
// packed-refs rewrites, polling where filesystem events are not used.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

protocol::Client Subscribed(const BragdProcess& bragd) {
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  return c;
}

// The pending prompts bragd holds.
std::vector<json> PendingPrompts(const BragdProcess& bragd) {
  Result<json> r = bragd.Connect().Call("pending");
  REQUIRE(r.has_value());
  return (*r)["prompts"].get<std::vector<json>>();
}

// A watched repo with its baseline taken by a bragd that is then stopped.
GitRepo WatchedThenStopped(const World& world, bool hooks) {
  GitRepo repo = GitRepo::Init(world.repos() / "svc");
  repo.Commit("README", "hello\n", "initial");
  if (hooks) {
    CommandResult r = world.Brag("hooks install " + ShellQuote(repo.dir().string()));
    REQUIRE_MESSAGE(r.code == 0, r.output);
  }
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  REQUIRE(bragd.Connect().Call("repos.add", {{"path", repo.dir().string()}}).has_value());
  return repo;
}

// With bragd down: hotfix/a off main, one commit of mine, then merged and
// deleted (or deleted unmerged).
std::string HotfixWhileDown(const GitRepo& repo, bool merge) {
  repo.Git("checkout -q -b hotfix/a");
  std::string fix = repo.Commit("fix.txt", "1\n", "Cap the retry storm");
  repo.Git("checkout -q main");
  if (merge) repo.Git("merge -q --ff-only hotfix/a");
  repo.Git(merge ? "branch -q -d hotfix/a" : "branch -q -D hotfix/a");
  return fix;
}

}  // namespace

TEST_CASE("repos under a scan root are found and watched at start") {
  World world;
  GitRepo a = GitRepo::Init(world.repos() / "team" / "alpha");
  a.Commit("README", "a\n", "initial");
  GitRepo bare = GitRepo::Init(world.repos() / "mirror.git", /*bare=*/true);
  world.WriteConfig("[scan]\nroots = [\"" + world.repos().string() + "\"]\ndepth = 3\n");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = Subscribed(bragd);
  Result<json> list = c.Call("repos.list");
  REQUIRE(list.has_value());
  std::vector<std::string> paths;
  for (const json& r : (*list)["repos"]) {
    paths.push_back(r["path"]);
    CHECK(r["source"] == "scan");
  }
  CHECK(paths.size() == 2);
  CHECK(std::count(paths.begin(), paths.end(), a.dir().string()) == 1);
  CHECK(std::count(paths.begin(), paths.end(), bare.dir().string()) == 1);

  a.GithubSquash(3, "Found by the scan", "me@example.com");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["repo_name"] == "alpha");
  CHECK(p["pr"] == 3);
}

// The paths `repos.list` gives.
std::set<std::string> WatchedPaths(protocol::Client& c) {
  Result<json> list = c.Call("repos.list");
  REQUIRE(list.has_value());
  std::set<std::string> paths;
  for (const json& r : (*list)["repos"]) paths.insert(r["path"].get<std::string>());
  return paths;
}

TEST_CASE("[scan] exclude leaves repos alone, and a found repo removed stays removed") {
  World world;
  GitRepo alpha = GitRepo::Init(world.repos() / "alpha");
  alpha.Commit("README", "a\n", "initial");
  GitRepo beta = GitRepo::Init(world.repos() / "beta");
  beta.Commit("README", "b\n", "initial");
  GitRepo vendored = GitRepo::Init(world.repos() / "vendor" / "lib");
  vendored.Commit("README", "v\n", "initial");
  GitRepo kernel = GitRepo::Init(world.repos() / "linux");
  kernel.Commit("README", "k\n", "initial");
  world.WriteConfig("[scan]\nroots = [\"" + world.repos().string() +
                    "\"]\nexclude = [\"*/vendor/*\", \"linux\"]\n");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  CHECK(WatchedPaths(c) == std::set<std::string>{alpha.dir().string(), beta.dir().string()});

  CommandResult rm = world.Brag("repos rm beta");
  REQUIRE_MESSAGE(rm.code == 0, rm.output);
  // A new clone under the root makes bragd look again; once it is found,
  // the removed repo has been passed over.
  GitRepo gamma = GitRepo::Init(world.repos() / "gamma");
  gamma.Commit("README", "g\n", "initial");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::set<std::string> paths;
  while (std::chrono::steady_clock::now() < deadline) {
    paths = WatchedPaths(c);
    if (paths.count(gamma.dir().string())) break;
  }
  CHECK(paths == std::set<std::string>{alpha.dir().string(), gamma.dir().string()});
  CHECK_MESSAGE(bragd.Log().find("was removed from brag") == std::string::npos,
                bragd.Log());  // passed over without a warning

  // `repos add` brings it back.
  CommandResult add = world.Brag("repos add " + ShellQuote(beta.dir().string()));
  REQUIRE_MESSAGE(add.code == 0, add.output);
  CHECK(WatchedPaths(c).count(beta.dir().string()) == 1);
}

TEST_CASE("a remote added later is followed through its new ref folders") {
  World world;
  GitRepo remote = GitRepo::Init(world.root() / "remote.git", /*bare=*/true);
  GitRepo forge = GitRepo::Clone(remote.dir(), world.root() / "forge");
  forge.Commit("README", "hello\n", "initial");
  forge.Git("push -q origin main");
  // My repo starts local-only with the same first commit: no refs/remotes yet.
  GitRepo mine = GitRepo::Init(world.repos() / "mine");
  mine.Git("pull -q " + ShellQuote(remote.dir().string()) + " main");
  REQUIRE_FALSE(fs::exists(mine.dir() / ".git/refs/remotes"));

  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = Subscribed(bragd);
  REQUIRE(c.Call("repos.add", {{"path", mine.dir().string()}}).has_value());

  forge.GithubMerge(40, "pool-size", "Right-size the DB pool", "me@example.com");
  forge.Git("push -q origin main");
  mine.Git("remote add origin " + ShellQuote(remote.dir().string()));
  mine.Git("fetch -q origin");  // creates refs/remotes/ and refs/remotes/origin/
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 40);
  CHECK(p["title"] == "Right-size the DB pool");
}

TEST_CASE("a mainline moved only inside packed-refs is noticed") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "packed");
  repo.Commit("README", "hello\n", "initial");
  repo.Git("pack-refs --all --prune");
  REQUIRE_FALSE(fs::exists(repo.dir() / ".git/refs/heads/main"));

  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = Subscribed(bragd);
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());

  // A squash commit made with plumbing, then published by rewriting
  // packed-refs whole through its lock file, as `git pack-refs` does.
  std::string old_tip = repo.Rev("main");
  std::string tree = repo.Git("write-tree");
  std::string squash = repo.Git("commit-tree " + tree + " -p " + old_tip +
                                " -m " + ShellQuote("Shard the jobs table (#77)"));
  fs::path packed = repo.dir() / ".git/packed-refs";
  std::string text = ReadFile(packed);
  size_t at = text.find(old_tip + " refs/heads/main");
  REQUIRE(at != std::string::npos);
  text.replace(at, old_tip.size(), squash);
  WriteFile(repo.dir() / ".git/packed-refs.lock", text);
  fs::rename(repo.dir() / ".git/packed-refs.lock", packed);

  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 77);
  CHECK(p["commit"] == squash);
}

TEST_CASE("with watch = poll, a merge is found by polling") {
  World world;
  world.WriteConfig("[detect]\nwatch = \"poll\"\npoll_interval = \"100ms\"\n");
  GitRepo repo = GitRepo::Init(world.repos() / "polled");
  repo.Commit("README", "hello\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = Subscribed(bragd);
  Result<json> added = c.Call("repos.add", {{"path", repo.dir().string()}});
  REQUIRE(added.has_value());
  CHECK((*added)["repo"]["watching"] == "poll");

  repo.GithubMerge(5, "tidy", "Tidy the importer", "me@example.com");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 5);
}

TEST_CASE("an unknown config key is warned about by name and bragd still starts") {
  World world;
  world.WriteConfig("[detect]\nmainlin = [\"main\"]\n");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  CHECK_MESSAGE(bragd.Log().find("unknown key 'detect.mainlin'") != std::string::npos,
                bragd.Log());
}

TEST_CASE("a watched repo that vanishes is reported in status and the others keep working") {
  World world;
  GitRepo gone = GitRepo::Init(world.repos() / "gone");
  gone.Commit("README", "x\n", "initial");
  GitRepo kept = GitRepo::Init(world.repos() / "kept");
  kept.Commit("README", "y\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = Subscribed(bragd);
  REQUIRE(c.Call("repos.add", {{"path", gone.dir().string()}}).has_value());
  REQUIRE(c.Call("repos.add", {{"path", kept.dir().string()}}).has_value());

  fs::remove_all(gone.dir());
  Result<json> rescan = c.Call("rescan", {{"repo", gone.dir().string()}});
  CHECK_FALSE(rescan.has_value());
  Result<json> status = c.Call("status");
  REQUIRE(status.has_value());
  bool reported = false;
  for (const json& r : (*status)["repos"]) {
    if (r["path"] == gone.dir().string()) {
      reported = r["state"] == "error" && r["error"].is_string();
    }
  }
  CHECK(reported);

  kept.GithubSquash(6, "Still watched", "me@example.com");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 6);
}

}  // namespace brag::test

namespace brag::test {

TEST_CASE("a clone made under a scan root while bragd runs is picked up without a restart") {
  World world;
  GitRepo remote = GitRepo::Init(world.root() / "remote.git", /*bare=*/true);
  GitRepo forge = GitRepo::Clone(remote.dir(), world.root() / "forge");
  forge.Commit("README", "hello\n", "initial");
  forge.GithubSquash(1, "Old work of mine", "me@example.com");
  forge.Git("push -q origin main");
  fs::create_directories(world.repos() / "team");
  world.WriteConfig("[scan]\nroots = [\"" + world.repos().string() + "\"]\n");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());

  GitRepo clone = GitRepo::Clone(remote.dir(), world.repos() / "team" / "svc");
  // Found and baselined: its history (PR #1) is not prompted...
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool found = false;
  while (!found && std::chrono::steady_clock::now() < deadline) {
    found = bragd.Log().find("found " + clone.dir().string()) != std::string::npos;
  }
  REQUIRE_MESSAGE(found, bragd.Log());
  // ...and a merge fetched afterwards is.
  forge.GithubMerge(2, "new-work", "New work of mine", "me@example.com");
  forge.Git("push -q origin main");
  clone.Git("fetch -q origin");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 2);
  CHECK(p["repo"] == clone.dir().string());
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 1);
}

}  // namespace brag::test

namespace brag::test {

TEST_CASE("closing my hotfix branch prompts what broke, what changed and the impact") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "svc");
  repo.Commit("README", "hello\n", "initial");
  repo.Git("checkout -q -b hotfix/timeouts");
  repo.Commit("fix.txt", "1\n", "Cap the retry storm");
  repo.Git("checkout -q main");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = Subscribed(bragd);
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());

  repo.Git("merge -q --ff-only hotfix/timeouts");
  repo.Git("branch -q -d hotfix/timeouts");
  json p = WaitPrompt(c);
  REQUIRE(p.is_object());
  CHECK(p["kind"] == "incident_closed");
  CHECK(p["branch"] == "hotfix/timeouts");
  CHECK(p["incident"]["merged"] == true);
  CHECK(p["incident"]["commits"] == 1);

  CommandResult shown = world.Brag("prompt --once", "retry storm capped; p99 back to 80ms\n");
  CHECK_MESSAGE(shown.code == 0, shown.output);
  CHECK(shown.output.find("what broke, what changed") != std::string::npos);
  CHECK(shown.output.find("merged after") != std::string::npos);
  Result<json> log = c.Call("log", {{"kind", "incident_closed"}});
  REQUIRE(log.has_value());
  REQUIRE((*log)["entries"].size() == 1);
  CHECK((*log)["entries"][0]["note"] == "retry storm capped; p99 back to 80ms");
}

TEST_CASE("an incident born and closed while bragd was down is prompted from the reflog, once") {
  World world;
  GitRepo repo = WatchedThenStopped(world, /*hooks=*/false);
  std::string fix = HotfixWhileDown(repo, /*merge=*/true);
  {
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());  // ready once every repo is scanned
    std::vector<json> prompts = PendingPrompts(bragd);
    REQUIRE_MESSAGE(prompts.size() == 1, bragd.Log());
    CHECK(prompts[0]["kind"] == "incident_closed");
    CHECK(prompts[0]["branch"] == "hotfix/a");
    CHECK(prompts[0]["incident"]["merged"] == true);
    CHECK(prompts[0]["incident"]["commits"] == 1);
  }
  BragdProcess again(world);  // a restart reads the same reflog: no second prompt
  REQUIRE(again.WaitReady());
  CHECK(PendingPrompts(again).size() == 1);
  Result<json> log = again.Connect().Call("log", {{"kind", "incident_closed"}});
  REQUIRE(log.has_value());
  CHECK((*log)["entries"].size() == 1);
}

TEST_CASE("an incident deleted unmerged while bragd was down is prompted, not merged") {
  World world;
  GitRepo repo = WatchedThenStopped(world, /*hooks=*/false);
  HotfixWhileDown(repo, /*merge=*/false);
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  std::vector<json> prompts = PendingPrompts(bragd);
  REQUIRE_MESSAGE(prompts.size() == 1, bragd.Log());
  CHECK(prompts[0]["branch"] == "hotfix/a");
  CHECK(prompts[0]["incident"]["merged"] == false);
}

TEST_CASE("an incident closed while bragd was down is found from the hooks' records without a reflog") {
  World world;
  GitRepo repo = WatchedThenStopped(world, /*hooks=*/true);
  fs::path bin = world.root() / "bin";
  fs::create_directories(bin);
  fs::create_symlink(BRAG_BIN, bin / "brag");
  const char* old = std::getenv("PATH");
  std::string path = bin.string() + ":" + (old ? old : "/usr/bin:/bin");
  ScopedEnv path_env("PATH", path.c_str());
  ScopedEnv config_env("BRAG_CONFIG", world.config().c_str());
  HotfixWhileDown(repo, /*merge=*/true);
  // The hook spooled the commit on hotfix/a; the reflog is gone.
  fs::remove(repo.dir() / ".git" / "logs" / "HEAD");
  {
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());
    std::vector<json> prompts = PendingPrompts(bragd);
    REQUIRE_MESSAGE(prompts.size() == 1, bragd.Log());
    CHECK(prompts[0]["branch"] == "hotfix/a");
    CHECK(prompts[0]["incident"]["merged"] == true);
  }
  BragdProcess again(world);
  REQUIRE(again.WaitReady());
  CHECK(PendingPrompts(again).size() == 1);
}

TEST_CASE("an incident seen live and then read again from the reflog prompts once") {
  World world;
  GitRepo repo = WatchedThenStopped(world, /*hooks=*/false);
  repo.Git("checkout -q -b hotfix/b");
  repo.Commit("fix.txt", "1\n", "Cap the retry storm");
  repo.Git("checkout -q main");
  {
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());
    protocol::Client c = Subscribed(bragd);
    repo.Git("merge -q --ff-only hotfix/b");
    repo.Git("branch -q -d hotfix/b");
    json p = WaitPrompt(c);
    REQUIRE(p.is_object());
    CHECK(p["branch"] == "hotfix/b");
  }
  BragdProcess again(world);
  REQUIRE(again.WaitReady());
  CHECK(PendingPrompts(again).size() == 1);
}

TEST_CASE("hotfixes made around SIGKILLs of bragd are each prompted once") {
  World world;
  GitRepo repo = WatchedThenStopped(world, /*hooks=*/false);
  constexpr int kHotfixes = 8;
  for (int i = 0; i < kHotfixes; ++i) {
    std::string name = "hotfix/h" + std::to_string(i);
    auto make = [&] {
      repo.Git("checkout -q -b " + name);
      repo.Commit("fix" + std::to_string(i) + ".txt", "1\n", "Fix " + std::to_string(i));
      repo.Git("checkout -q main");
      repo.Git("merge -q --ff-only " + name);
      repo.Git("branch -q -d " + name);
    };
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());
    if (i % 2 == 1) make();  // while up, killed straight after: seen live or not
    bragd.Stop(9);
    if (i % 2 == 0) make();  // while down
  }
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  std::vector<json> prompts = PendingPrompts(bragd);
  std::set<std::string> names;
  for (const json& p : prompts) names.insert(p["branch"].get<std::string>());
  CHECK_MESSAGE(prompts.size() == kHotfixes, bragd.Log());
  CHECK(names.size() == kHotfixes);
}

// Issue 13: the rows of DESIGN §5 through the live path. Sync merges and a
// PR the user only co-authored (with coauthor = "ignore") make no prompt; a
// GitHub merge titled by its PR and a local merge of pr/N do, with numbers.
TEST_CASE("bragd prompts no sync merge and, with coauthor ignore, no co-authored-only PR") {
  World world;
  world.WriteConfig("[detect]\ncoauthor = \"ignore\"\n");
  GitRepo repo = GitRepo::Init(world.repos() / "lib");
  repo.Commit("README", "hello\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = Subscribed(bragd);
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());

  // A forward port of a maintenance branch holding a commit of mine.
  repo.LocalMerge("2.2.x", "me@example.com");
  // `Merge branch 'stable'` and a merge with a message of its own.
  repo.LocalMerge("stable", "me@example.com");
  repo.Git("checkout -q -b release-prep main");
  repo.Commit("notes.txt", "n\n", "release notes", "me@example.com");
  repo.Git("checkout -q main");
  repo.Git("merge -q --no-ff -m 'Release 3.1.0' release-prep");
  // Someone else's squash where I am only a co-author.
  repo.GithubSquash(7, "Apply suggestions from code review", "other@example.com", "main",
                    "Co-authored-by: Me <me@example.com>");
  // Mine: a merge titled by its PR, then a local merge of pr/15.
  repo.Git("checkout -q -b pyproject main");
  repo.Commit("pyproject.toml", "[project]\n", "add pyproject", "me@example.com");
  repo.Git("checkout -q main");
  repo.Git("merge -q --no-ff -m 'Switch to pyproject.toml (#12)' pyproject");
  repo.LocalMerge("pr/15", "me@example.com");

  std::set<int> prs;
  for (int i = 0; i < 2; ++i) {
    json p = WaitPrompt(c, 10000);
    REQUIRE(p.is_object());
    prs.insert(p["pr"].get<int>());
  }
  CHECK(prs == std::set<int>{12, 15});
  // Everything up to pr/15 has been read: nothing else is pending.
  std::vector<json> pending = PendingPrompts(bragd);
  REQUIRE(pending.size() == 2);
  std::set<std::string> titles;
  for (const json& p : pending) titles.insert(p["title"].get<std::string>());
  CHECK(titles.count("Switch to pyproject.toml") == 1);
}

}  // namespace brag::test
