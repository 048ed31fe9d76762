// The ScanScheduler on real repos and a real journal, its io_context
// stepped by the test: baselines, prompts, a scan per turn of the loop,
// scans asked by hooks, inotify, polling, settling and a vanished repo.
#include "server/scan_scheduler.h"

#include <doctest/doctest.h>

#include <memory>
#include <optional>

#include "core/timeutil.h"
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
using test::RunUntil;

struct Fixture {
  test::TempDir t{"scheduler"};
  boost::asio::io_context io;
  Config config;
  std::vector<std::string> identities{"me@example.com"};
  std::unique_ptr<Journal> journal;
  RefWatcher watcher;
  std::unique_ptr<Notifier> notifier;
  std::unique_ptr<RepoRegistry> repos;
  std::unique_ptr<ScanScheduler> scans;

  Fixture() {
    git::EnsureInit();
    config.notify = false;
    config.journal_path = (t / "journal.db").string();
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(t / "journal.db", Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    journal = std::move(*j);
    REQUIRE(watcher.Init().has_value());
  }
  // Made once the test has set the config.
  void Make() {
    notifier = std::make_unique<Notifier>(config);
    repos = std::make_unique<RepoRegistry>(
        io, config, *journal, watcher,
        [this](const std::vector<int64_t>& ids) { scans->ScanNow(ids); });
    scans = std::make_unique<ScanScheduler>(io, config, identities, *journal, watcher,
                                            *repos, *notifier);
  }
  test::GitRepo Repo(const std::string& where) {
    test::GitRepo repo = test::GitRepo::Init(t / where);
    repo.Commit("README", "hello\n", "first");
    return repo;
  }
  int64_t Add(const test::GitRepo& repo) {
    Result<RepoRecord> added = repos->Add(repo.dir().string(), "", "added");
    REQUIRE(added.has_value());
    return added->id;
  }
  // Scans `ids` as bragd does at start; returns what was made.
  std::vector<Prompt> ScanAll(std::vector<int64_t> ids, bool settle = false) {
    std::optional<std::vector<Prompt>> made;
    scans->ScanEach(std::move(ids), settle, false,
                    [&](std::vector<Prompt> p) { made = std::move(p); });
    REQUIRE(RunUntil(io, [&] { return made.has_value(); }));
    return *made;
  }
  int64_t Pending() {
    Result<int64_t> n = journal->prompts().PendingCount(UnixNow());
    REQUIRE(n.has_value());
    return *n;
  }
  bool HasBaseline(int64_t id) {
    Result<bool> b = journal->repos().HasBaseline(id);
    REQUIRE(b.has_value());
    return *b;
  }
};

}  // namespace

TEST_CASE("the first scan sets a baseline and my merge after it is one prompt") {
  Fixture f;
  f.Make();
  test::GitRepo repo = f.Repo("shop");
  repo.GithubMerge(3, "old-work", "Older work", "me@example.com");
  int64_t id = f.Add(repo);
  CHECK(f.ScanAll({id}).empty());  // history before brag watched is no prompt
  CHECK(f.HasBaseline(id));

  repo.GithubMerge(12, "cache-prices", "Cache the price list", "me@example.com");
  std::vector<Prompt> made = f.ScanAll({id});
  REQUIRE(made.size() == 1);
  CHECK(made[0].event.pr == 12);
  CHECK(made[0].event.title == "Cache the price list");
  CHECK(f.Pending() == 1);
  CHECK(f.ScanAll({id}).empty());  // nothing moved since
  CHECK(f.repos->StatusJson(*f.repos->Get(id))["state"] == "ok");
}

TEST_CASE("ScanEach scans one repo per turn of the loop") {
  Fixture f;
  f.Make();
  int64_t a = f.Add(f.Repo("a"));
  int64_t b = f.Add(f.Repo("b"));
  bool done = false;
  f.scans->ScanEach({a, b}, false, false, [&](std::vector<Prompt>) { done = true; });
  CHECK(f.HasBaseline(a));
  CHECK_FALSE(f.HasBaseline(b));  // the loop serves others first
  CHECK(f.io.run_one() == 1);
  CHECK(f.HasBaseline(b));
  CHECK_FALSE(done);
  CHECK(f.io.run_one() == 1);
  CHECK(done);
}

TEST_CASE("a hook's repo is scanned after the current turn, and one not watched is ignored") {
  Fixture f;
  f.Make();
  test::GitRepo repo = f.Repo("shop");
  int64_t id = f.Add(repo);
  f.ScanAll({id});
  repo.GithubMerge(5, "fix-login", "Fix the login loop", "me@example.com");
  CHECK(f.scans->ScanSoon(repo.dir().string()));
  CHECK(f.Pending() == 0);  // not during the request
  CHECK(RunUntil(f.io, [&] { return f.Pending() == 1; }));
  CHECK_FALSE(f.scans->ScanSoon((f.t / "elsewhere").string()));
  CHECK_FALSE(f.scans->ScanSoon(""));
}

TEST_CASE("with inotify a merge is noticed without being asked") {
  Fixture f;
  f.Make();
  test::GitRepo repo = f.Repo("shop");
  int64_t id = f.Add(repo);
  f.ScanAll({id});
  f.scans->Start();
  repo.GithubMerge(8, "speed-up", "Halve the build time", "me@example.com");
  CHECK(RunUntil(f.io, [&] { return f.Pending() == 1; }));
}

TEST_CASE("with watch = poll the poll timer finds a merge") {
  Fixture f;
  f.config.watch = Config::Watch::kPoll;
  f.config.poll_interval = std::chrono::milliseconds(50);
  f.Make();
  test::GitRepo repo = f.Repo("shop");
  int64_t id = f.Add(repo);
  f.ScanAll({id});
  CHECK(f.repos->Get(id)->watching == WatchMode::kPoll);
  f.scans->Start();
  repo.GithubMerge(9, "polled", "Found by polling", "me@example.com");
  CHECK(RunUntil(f.io, [&] { return f.Pending() == 1; }));
}

TEST_CASE("a hotfix branch deleted unmerged is recorded only after it settles") {
  Fixture f;
  f.Make();
  test::GitRepo repo = f.Repo("svc");
  repo.Git("checkout -q -b hotfix/timeouts");
  repo.Commit("fix.txt", "1\n", "Cap the retry storm");
  repo.Git("checkout -q main");
  int64_t id = f.Add(repo);
  f.ScanAll({id});
  repo.Git("branch -q -D hotfix/timeouts");
  CHECK(f.ScanAll({id}, /*settle=*/true).empty());
  CHECK(f.Pending() == 0);
  f.io.restart();
  f.io.run();  // until the settle timer has fired and nothing is left to do
  CHECK(f.Pending() == 1);
}

TEST_CASE("a repo that vanishes is marked error and polled, and found again when it is back") {
  Fixture f;
  f.Make();
  test::GitRepo repo = f.Repo("shop");
  int64_t id = f.Add(repo);
  f.ScanAll({id});
  fs::rename(f.t / "shop", f.t / "away");
  f.ScanAll({id});
  WatchedRepo& watched = *f.repos->Get(id);
  CHECK(watched.record.state == RepoState::kError);
  CHECK(watched.watching == WatchMode::kPoll);
  fs::rename(f.t / "away", f.t / "shop");
  repo.GithubMerge(4, "while-away", "Made while it was away", "me@example.com");
  std::vector<Prompt> made = f.ScanAll({id});
  CHECK(watched.record.state == RepoState::kOk);
  REQUIRE(made.size() == 1);  // the stored state was kept: a prompt, no new baseline
  CHECK(made[0].event.pr == 4);
}

TEST_CASE("a rescan of everything takes up a [[repo]] added to the config since") {
  Fixture f;
  f.Make();
  test::GitRepo first = f.Repo("first");
  f.Add(first);
  test::GitRepo later = f.Repo("later");
  f.config.repos = {Named(later.dir().string(), "later")};
  std::optional<std::vector<Prompt>> made;
  f.scans->RescanAll([&](std::vector<Prompt> p) { made = std::move(p); });
  REQUIRE(RunUntil(f.io, [&] { return made.has_value(); }));
  WatchedRepo* taken = f.repos->Find("later");
  REQUIRE(taken != nullptr);
  CHECK(f.HasBaseline(taken->record.id));
  CHECK(f.repos->AllIds().size() == 2);
}

}  // namespace brag
