// The RepoRegistry on real repos and a real journal: what it registers from
// the config and the scan roots, how it follows each repo, finding,
// removing, and discovery of a new clone by the io_context's timer.
#include "server/repo_registry.h"

#include <doctest/doctest.h>

#include <memory>

#include "server/loop_client.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

namespace fs = std::filesystem;

RepoConfig Named(const std::string& path, const std::string& name) {
  RepoConfig rc;
  rc.path = path;
  rc.name = name;
  return rc;
}
using nlohmann::json;

struct Fixture {
  test::TempDir t{"registry"};
  boost::asio::io_context io;
  Config config;
  std::unique_ptr<Journal> journal;
  RefWatcher watcher;
  std::vector<std::vector<int64_t>> found;

  Fixture() {
    git::EnsureInit();
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(t / "journal.db", Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    journal = std::move(*j);
    REQUIRE(watcher.Init().has_value());
  }
  std::unique_ptr<RepoRegistry> Registry() {
    return std::make_unique<RepoRegistry>(
        io, config, *journal, watcher,
        [this](const std::vector<int64_t>& ids) { found.push_back(ids); });
  }
  test::GitRepo Repo(const std::string& where) {
    test::GitRepo repo = test::GitRepo::Init(t / where);
    repo.Commit("README", "hello\n", "first");
    return repo;
  }
  // The journal's own view of one repo, by path.
  RepoRecord Stored(const fs::path& path) {
    Result<std::vector<RepoRecord>> rows = journal->repos().ListRepos();
    REQUIRE(rows.has_value());
    for (const RepoRecord& r : *rows) {
      if (r.path == path.string()) return r;
    }
    FAIL("not in the journal: " << path);
    return {};
  }
};

// status entries by repo path
std::map<std::string, json> ByPath(const json& repos) {
  std::map<std::string, json> out;
  for (const json& r : repos) out[r["path"].get<std::string>()] = r;
  return out;
}

}  // namespace

TEST_CASE("a [[repo]], a repo under a scan root and a [[repo]] not cloned yet are all registered") {
  Fixture f;
  f.Repo("alpha");
  f.Repo("root/beta");
  fs::path alpha = fs::canonical(f.t / "alpha");
  fs::path beta = fs::canonical(f.t / "root" / "beta");
  fs::path missing = fs::weakly_canonical(f.t / "gamma");
  f.config.repos = {Named(alpha.string(), "alpha"),
                    Named(missing.string(), "gamma")};
  f.config.scan_roots = {(f.t / "root").string()};
  auto registry = f.Registry();

  CHECK(registry->RegisterConfigured().size() == 3);
  CHECK(registry->RegisterConfigured().empty());  // nothing new the second time

  std::map<std::string, json> status = ByPath(registry->StatusJson());
  REQUIRE(status.size() == 3);
  CHECK(status[alpha.string()]["source"] == "config");
  CHECK(status[alpha.string()]["name"] == "alpha");
  CHECK(status[alpha.string()]["watching"] == "inotify");
  CHECK(status[alpha.string()]["state"] == "unknown");
  CHECK(status[beta.string()]["source"] == "scan");
  CHECK(status[beta.string()]["watching"] == "inotify");
  CHECK(status[missing.string()]["state"] == "error");
  CHECK(status[missing.string()]["watching"] == "poll");
  CHECK(status[missing.string()]["error"].is_string());
  CHECK(f.Stored(missing).state == RepoState::kError);
}

TEST_CASE("with watch = poll every repo is polled") {
  Fixture f;
  f.Repo("alpha");
  f.config.watch = Config::Watch::kPoll;
  auto registry = f.Registry();
  Result<RepoRecord> added = registry->Add((f.t / "alpha").string(), "", "added");
  REQUIRE(added.has_value());
  CHECK(registry->StatusJson(*registry->Get(added->id))["watching"] == "poll");
}

TEST_CASE("a repo is found by name, path, a path through ~ and, for hooks, a linked worktree") {
  Fixture f;
  test::GitRepo repo = f.Repo("alpha");
  repo.Git("worktree add -q " + test::ShellQuote((f.t / "alpha-wt").string()) + " -b side");
  auto registry = f.Registry();
  Result<RepoRecord> added = registry->Add((f.t / "alpha").string(), "shop", "added");
  REQUIRE(added.has_value());
  WatchedRepo* by_id = registry->Get(added->id);
  REQUIRE(by_id != nullptr);

  CHECK(registry->Find("shop") == by_id);
  CHECK(registry->Find(fs::canonical(f.t / "alpha").string()) == by_id);
  CHECK(registry->Find((f.t / "alpha" / "." ).string()) == by_id);
  CHECK(registry->Find("~/nowhere") == nullptr);
  CHECK(registry->Find((f.t / "alpha-wt").string()) == nullptr);
  CHECK(registry->FindByHookPath((f.t / "alpha-wt").string()) == by_id);
  CHECK(registry->FindByHookPath((f.t / "alpha" / ".git").string()) == by_id);
  CHECK(registry->FindByHookPath((f.t / "elsewhere").string()) == nullptr);
}

TEST_CASE("a repo under HOME is found by its path through ~") {
  Fixture f;
  fs::path home = std::getenv("HOME");
  test::GitRepo repo = test::GitRepo::Init(home / "registry-tilde");
  repo.Commit("README", "hello\n", "first");
  auto registry = f.Registry();
  Result<RepoRecord> added = registry->Add("~/registry-tilde", "", "added");
  REQUIRE(added.has_value());
  CHECK(added->path == fs::canonical(home / "registry-tilde").string());
  CHECK(registry->Find("~/registry-tilde") == registry->Get(added->id));
  CHECK(registry->Find("~/registry-tilde/") == registry->Get(added->id));
  fs::remove_all(home / "registry-tilde");
}

TEST_CASE("forgetting a repo stops watching it and leaves its journal row to the caller") {
  Fixture f;
  f.Repo("alpha");
  auto registry = f.Registry();
  Result<RepoRecord> added = registry->Add((f.t / "alpha").string(), "shop", "added");
  REQUIRE(added.has_value());
  registry->Forget("shop");
  CHECK(registry->Get(added->id) == nullptr);
  CHECK(registry->Find("shop") == nullptr);
  CHECK(registry->AllIds().empty());
  Result<std::vector<RepoRecord>> rows = f.journal->repos().ListRepos();
  REQUIRE(rows.has_value());
  CHECK(rows->size() == 1);
  registry->Forget("shop");  // a second time: nothing to do
  CHECK(registry->AllIds().empty());
}

TEST_CASE("a repo's state is recorded in the journal when it changes and shown in status") {
  Fixture f;
  f.Repo("alpha");
  auto registry = f.Registry();
  Result<RepoRecord> added = registry->Add((f.t / "alpha").string(), "", "added");
  REQUIRE(added.has_value());
  WatchedRepo& repo = *registry->Get(added->id);
  registry->Mark(repo, RepoState::kError, "unreadable");
  CHECK(f.Stored(fs::canonical(f.t / "alpha")).state == RepoState::kError);
  CHECK(f.Stored(fs::canonical(f.t / "alpha")).error == "unreadable");
  CHECK(registry->StatusJson(repo)["state"] == "error");
  registry->Mark(repo, RepoState::kOk, "");
  CHECK(f.Stored(fs::canonical(f.t / "alpha")).state == RepoState::kOk);
  CHECK(registry->StatusJson(repo)["state"] == "ok");
  CHECK(registry->StatusJson(repo)["error"].is_null());
}

TEST_CASE("repos the journal lists are watched again, as a restarted bragd does") {
  Fixture f;
  f.Repo("alpha");
  {
    auto before = f.Registry();
    REQUIRE(before->Add((f.t / "alpha").string(), "shop", "added").has_value());
  }
  auto registry = f.Registry();
  CHECK(registry->AllIds().empty());
  registry->LoadFromJournal();
  REQUIRE(registry->AllIds().size() == 1);
  WatchedRepo* repo = registry->Find("shop");
  REQUIRE(repo != nullptr);
  CHECK(repo->watching == WatchMode::kInotify);
  CHECK(repo->git.has_value());
}

TEST_CASE("a clone under a scan root is found once discovery is armed, and handed over") {
  Fixture f;
  fs::create_directories(f.t / "root");
  f.config.scan_roots = {(f.t / "root").string()};
  auto registry = f.Registry();
  REQUIRE(registry->RegisterConfigured().empty());
  REQUIRE(registry->WatchRoots().has_value());
  f.Repo("root/fresh");
  registry->ArmDiscovery();
  registry->ArmDiscovery();  // once armed, a second call adds nothing
  REQUIRE(test::RunUntil(f.io, [&] { return !f.found.empty(); }));
  REQUIRE(f.found.size() == 1);
  REQUIRE(f.found[0].size() == 1);
  WatchedRepo* fresh = registry->Get(f.found[0][0]);
  REQUIRE(fresh != nullptr);
  CHECK(fresh->record.path == fs::canonical(f.t / "root" / "fresh").string());
  CHECK(fresh->record.source == "scan");
  CHECK(f.io.poll() == 0);  // no second discovery was pending
  CHECK(f.found.size() == 1);
}

}  // namespace brag
