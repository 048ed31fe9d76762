// The history pass over real repositories: which PRs of a repo's history it
// finds, whose they are, and that it agrees with the daemon's detection pass.
#include "scan/history_scan.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "support/git_fixture.h"
#include "support/temp_dir.h"
#include "watch/ref_scan.h"

namespace brag::test {
namespace {

constexpr const char* kMe = "me@example.com";
constexpr const char* kMate = "mate@example.com";

HistoryQuery Query(std::vector<std::string> identities = {"Me@Example.com"}) {
  HistoryQuery query;
  query.mainlines = {"main", "master"};
  query.remotes = {"origin", "upstream"};
  query.identities = std::move(identities);
  return query;
}

HistoryScan Scan(const GitRepo& repo, const HistoryQuery& query) {
  Result<git::Repo> opened = git::Repo::Open(repo.dir());
  if (!opened) FAIL(opened.error().message);
  Result<HistoryScan> scan = ScanHistory(*opened, query);
  if (!scan) FAIL(scan.error().message);
  return std::move(*scan);
}

std::vector<int64_t> Numbers(const HistoryScan& scan) {
  std::vector<int64_t> numbers;
  for (const Event& e : scan.events) numbers.push_back(e.pr);
  return numbers;
}

struct Workspace {
  TempDir tmp{"hscan"};
  GitRepo work = GitRepo::Init(tmp / "work");
  std::string root = work.Commit("README", "hello\n", "initial");
};

TEST_CASE_FIXTURE(Workspace,
                  "a GitHub merge of my branch is found with the authors of P1..P2") {
  work.Git("checkout -q -b orders-index");
  work.Commit("a.txt", "a\n", "Start the index", kMate);
  work.Commit("b.txt", "b\n", "Finish the index", kMe);
  work.Git("checkout -q main");
  work.Commit("other.txt", "x\n", "Meanwhile on main", kMate);
  work.Git(
      "merge -q --no-ff -m 'Merge pull request #42 from owner/orders-index' -m "
      "'Add composite index on orders' orders-index",
      "merger@example.com");
  std::string merge = work.Rev();
  HistoryScan scan = Scan(work, Query());
  CHECK(scan.ref == "refs/heads/main");
  CHECK(scan.tip == merge);
  CHECK(scan.totals.commits == 5);
  CHECK(scan.totals.prs == 1);
  REQUIRE(scan.events.size() == 1);
  const Event& e = scan.events[0];
  CHECK(e.kind == EventKind::kPrMerged);
  CHECK(e.key == merge);
  CHECK(e.commit == merge);
  CHECK(e.forge == "github");
  CHECK(e.pr == 42);
  CHECK(e.title == "Add composite index on orders");
  CHECK(e.branch == "orders-index");
  CHECK(e.authors == std::vector<std::string>{kMate, kMe});
  CHECK(e.commit_time > 1600000000);
}

TEST_CASE_FIXTURE(Workspace, "a squash merge of mine is found") {
  std::string squash = work.GithubSquash(7, "Cache the catalogue", kMe);
  HistoryScan scan = Scan(work, Query());
  REQUIRE(scan.events.size() == 1);
  CHECK(scan.events[0].commit == squash);
  CHECK(scan.events[0].pr == 7);
  CHECK(scan.events[0].title == "Cache the catalogue");
  CHECK(scan.events[0].authors == std::vector<std::string>{kMe});
}

TEST_CASE_FIXTURE(Workspace,
                  "a teammate's PRs are left out unless every author is asked for") {
  work.GithubMerge(1, "mine", "Mine", kMe);
  work.GithubMerge(2, "theirs", "Theirs", kMate);
  work.GithubSquash(3, "Their squash", kMate);
  CHECK(Numbers(Scan(work, Query())) == std::vector<int64_t>{1});
  CHECK(Numbers(Scan(work, Query({}))) == std::vector<int64_t>{1, 2, 3});
  CHECK(Numbers(Scan(work, Query({kMate}))) == std::vector<int64_t>{2, 3});
}

TEST_CASE_FIXTURE(Workspace, "a squash co-authored by me is mine") {
  work.GithubSquash(9, "Pair on retries", kMate, "main",
                    "Co-authored-by: Me <ME@example.com>");
  HistoryScan scan = Scan(work, Query());
  REQUIRE(scan.events.size() == 1);
  CHECK(scan.events[0].authors == std::vector<std::string>{kMate, kMe});
}

TEST_CASE_FIXTURE(Workspace,
                  "a merged branch with a commit co-authored by me is mine") {
  work.Git("checkout -q -b pairing");
  work.Commit("p.txt", "p\n", "Pair on it\n\nCo-authored-by: Me <me@example.com>",
              kMate);
  work.Git("checkout -q main");
  work.Git(
      "merge -q --no-ff -m 'Merge pull request #5 from owner/pairing' -m "
      "'Pairing' pairing",
      "merger@example.com");
  HistoryScan scan = Scan(work, Query());
  REQUIRE(scan.events.size() == 1);
  CHECK(scan.events[0].pr == 5);
  CHECK(scan.events[0].authors == std::vector<std::string>{kMate, kMe});
}

HistoryQuery IncidentQuery() {
  HistoryQuery query = Query();
  query.incident_globs = {"incident/*", "hotfix/*"};
  return query;
}

TEST_CASE_FIXTURE(Workspace, "a merged hotfix branch of mine is an incident closed") {
  work.Git("checkout -q -b hotfix/login");
  std::string first = work.Commit("a.txt", "a\n", "Stop the login loop", kMe);
  work.Commit("b.txt", "b\n", "Add a regression test", kMate);
  work.Git("checkout -q main");
  work.Git("merge -q --no-ff --no-edit hotfix/login", kMate);
  HistoryScan scan = Scan(work, IncidentQuery());
  REQUIRE(scan.events.size() == 1);
  const Event& e = scan.events[0];
  CHECK(e.kind == EventKind::kIncidentClosed);
  CHECK(e.key == "hotfix/login@" + first);
  CHECK(e.branch == "hotfix/login");
  CHECK(e.forge == "local");
  CHECK(e.commit == work.Rev());
  CHECK(e.commit_count == 2);
  CHECK(e.merged);
  CHECK(e.opened > 0);
  CHECK(e.opened <= e.commit_time);
  CHECK(e.authors == std::vector<std::string>{kMate, kMe});
}

TEST_CASE_FIXTURE(Workspace, "an incident merged as a PR keeps the PR's number and title") {
  work.Git("checkout -q -b incident/db-pool");
  work.Commit("a.txt", "a\n", "Shrink the pool", kMe);
  work.Git("checkout -q main");
  work.Git(
      "merge -q --no-ff -m 'Merge pull request #9 from acme/incident/db-pool' -m "
      "'Stop the connection storm' incident/db-pool",
      "merger@example.com");
  HistoryScan scan = Scan(work, IncidentQuery());
  REQUIRE(scan.events.size() == 1);
  CHECK(scan.events[0].kind == EventKind::kIncidentClosed);
  CHECK(scan.events[0].pr == 9);
  CHECK(scan.events[0].forge == "github");
  CHECK(scan.events[0].title == "Stop the connection storm");
  CHECK(scan.events[0].commit_count == 1);
  // Without incident globs it is the PR it also is.
  HistoryScan plain = Scan(work, Query());
  REQUIRE(plain.events.size() == 1);
  CHECK(plain.events[0].kind == EventKind::kPrMerged);
}

TEST_CASE_FIXTURE(Workspace, "a teammate's hotfix is nobody's incident of mine") {
  work.Git("checkout -q -b hotfix/theirs");
  work.Commit("a.txt", "a\n", "Their fix", kMate);
  work.Git("checkout -q main");
  work.Git("merge -q --no-ff --no-edit hotfix/theirs", kMate);
  CHECK(Scan(work, IncidentQuery()).events.empty());
  HistoryQuery everyone = IncidentQuery();
  everyone.identities.clear();
  HistoryScan all = Scan(work, everyone);
  REQUIRE(all.events.size() == 1);
  CHECK(all.events[0].kind == EventKind::kIncidentClosed);
}

TEST_CASE_FIXTURE(Workspace, "only PRs merged within since and until are listed") {
  {
    ScopedEnv date("GIT_COMMITTER_DATE", "2026-01-10T12:00:00Z");
    work.GithubSquash(1, "January", kMe);
  }
  {
    ScopedEnv date("GIT_COMMITTER_DATE", "2026-02-10T12:00:00Z");
    work.GithubMerge(2, "february", "February", kMe);
  }
  {
    ScopedEnv date("GIT_COMMITTER_DATE", "2026-03-10T12:00:00Z");
    work.GithubSquash(3, "March", kMe);
  }
  HistoryQuery query = Query();
  query.since = 1769904000;  // 2026-02-01
  query.until = 1772323200;  // 2026-03-01
  CHECK(Numbers(Scan(work, query)) == std::vector<int64_t>{2});
  query.until.reset();
  CHECK(Numbers(Scan(work, query)) == std::vector<int64_t>{2, 3});
}

TEST_CASE_FIXTURE(Workspace,
                  "a PR merged into a side branch is not one of the mainline's") {
  work.Git("checkout -q -b spring-sale");
  work.GithubMerge(11, "fix", "Fix on the side branch", kMe, "spring-sale");
  work.Git("checkout -q main");
  work.GithubMerge(12, "feature", "Feature on main", kMe);
  work.Git(
      "merge -q --no-ff -m 'Merge pull request #13 from owner/spring-sale' -m "
      "'Bring the side branch back' spring-sale",
      "merger@example.com");
  HistoryScan scan = Scan(work, Query());
  CHECK(Numbers(scan) == std::vector<int64_t>{12, 13});
  // #13 brings #11's branch: its authors are those of P1..P2.
  CHECK(scan.events.back().authors ==
        std::vector<std::string>{kMe, "merger@example.com"});
}

TEST_CASE_FIXTURE(Workspace, "--branch walks another branch's first-parent chain") {
  work.Git("checkout -q -b release");
  work.GithubSquash(21, "Release fix", kMe, "release");
  work.Git("checkout -q main");
  HistoryQuery query = Query();
  CHECK(Scan(work, query).events.empty());
  query.branch = "release";
  HistoryScan scan = Scan(work, query);
  CHECK(scan.ref == "release");
  CHECK(Numbers(scan) == std::vector<int64_t>{21});
}

TEST_CASE("a bare clone is scanned on its mainline, else on a remote-tracking one") {
  TempDir tmp("hscan");
  GitRepo work = GitRepo::Init(tmp / "work");
  work.Commit("README", "hello\n", "initial");
  work.GithubMerge(31, "one", "One", kMe);
  GitRepo bare(tmp / "bare.git");
  RunCommand("git clone -q --bare " + ShellQuote(work.dir().string()) + " " +
             ShellQuote(bare.dir().string()));
  HistoryScan scan = Scan(bare, Query());
  CHECK(scan.ref == "refs/heads/main");
  CHECK(Numbers(scan) == std::vector<int64_t>{31});

  GitRepo clone = GitRepo::Clone(work.dir(), tmp / "clone");
  clone.Git("checkout -q -b topic");
  clone.Git("branch -q -D main");
  HistoryScan remote = Scan(clone, Query());
  CHECK(remote.ref == "refs/remotes/origin/main");
  CHECK(Numbers(remote) == std::vector<int64_t>{31});
}

TEST_CASE("a path that is no repository cannot be opened") {
  TempDir tmp("hscan");
  Result<git::Repo> repo = git::Repo::Open(tmp.path());
  REQUIRE_FALSE(repo.has_value());
  CHECK(repo.error().code == "not_found");
}

// The scan and the daemon's detection pass must agree on every commit.
TEST_CASE_FIXTURE(Workspace, "the scan finds what the daemon's pass finds") {
  DetectRules rules;
  rules.mainlines = {"main", "master"};
  rules.remotes = {"origin"};
  rules.identities = {kMe};
  Result<git::Repo> opened = git::Repo::Open(work.dir());
  REQUIRE(opened.has_value());
  Result<ScanOutcome> baseline = ScanRefs(*opened, {}, false, rules);
  REQUIRE(baseline.has_value());

  work.GithubMerge(1, "a", "Mine", kMe);
  work.GithubMerge(2, "b", "Theirs", kMate);
  work.GithubSquash(3, "Squash of mine", kMe);
  work.GithubSquash(4, "Co-authored", kMate, "main",
                    "Co-authored-by: M <me@example.com>");
  work.LocalMerge("local-topic", kMe);
  work.Commit("plain.txt", "x\n", "A plain commit (no PR)", kMe);
  work.Git("checkout -q -b side");
  work.GithubMerge(5, "c", "Side PR", kMe, "side");
  work.Git("checkout -q main");
  work.Git("merge -q --no-ff --no-edit side", kMate);

  Result<ScanOutcome> daemon = ScanRefs(*opened, baseline->refs, true, rules);
  REQUIRE(daemon.has_value());
  HistoryQuery query = Query({kMe});
  HistoryScan scan = Scan(work, query);
  REQUIRE(scan.events.size() == daemon->events.size());
  std::map<std::string, const Event*> by_commit;
  for (const Event& e : daemon->events) by_commit[e.commit] = &e;
  for (const Event& e : scan.events) {
    CAPTURE(e.title);
    REQUIRE(by_commit.count(e.commit) == 1);
    const Event& d = *by_commit[e.commit];
    CHECK(e.forge == d.forge);
    CHECK(e.pr == d.pr);
    CHECK(e.title == d.title);
    CHECK(e.branch == d.branch);
    CHECK(e.authors == d.authors);
    CHECK(e.commit_time == d.commit_time);
  }
}

// The shapes of issue 13: sync merges, Merge tag, a custom release merge, a
// pr/N branch, a merge titled by the PR and co-author-only PRs, judged the
// same by the scan and the daemon's pass, under both `coauthor` rules.
TEST_CASE_FIXTURE(
    Workspace, "the scan and the daemon agree on sync merges and co-author-only PRs") {
  Result<git::Repo> opened = git::Repo::Open(work.dir());
  REQUIRE(opened.has_value());
  DetectRules rules;
  rules.mainlines = {"main", "master"};
  rules.remotes = {"origin"};
  rules.identities = {kMe};
  Result<ScanOutcome> baseline = ScanRefs(*opened, {}, false, rules);
  REQUIRE(baseline.has_value());

  work.GithubMerge(1, "a", "Mine", kMe);
  work.Git("checkout -q -b 2.2.x");
  work.Commit("port.txt", "p\n", "Fix on the maintenance branch", kMe);
  work.Git("checkout -q main");
  work.Git("merge -q --no-ff --no-edit 2.2.x", kMe);  // Merge branch '2.2.x'
  work.LocalMerge("pr/5853", kMe);
  work.Git("checkout -q -b pyproject");
  work.Commit("pyproject.toml", "x\n", "Add pyproject", kMe);
  work.Git("checkout -q main");
  work.Git("merge -q --no-ff -m 'Switch to pyproject.toml (#2438)' pyproject", kMate);
  work.Git("checkout -q -b rel");
  work.Commit("VERSION", "1.0\n", "Version 1.0", kMe);
  work.Git("tag -a v1.0 -m v1.0");
  work.Git("checkout -q main");
  work.Git("merge -q --no-ff --no-edit v1.0", kMe);  // Merge tag 'v1.0'
  work.Git("checkout -q -b rel2");
  work.Commit("VERSION", "2.0\n", "Version 2.0", kMe);
  work.Git("checkout -q main");
  work.Git("merge -q --no-ff -m 'Release 2.0' rel2", kMe);
  work.GithubSquash(9, "Pair on retries", kMate, "main",
                    "Co-authored-by: Me <me@example.com>");
  work.Git("checkout -q -b pairing");
  work.Commit("p.txt", "p\n", "Pair on it\n\nCo-authored-by: Me <me@example.com>",
              kMate);
  work.Git("checkout -q main");
  work.Git(
      "merge -q --no-ff -m 'Merge pull request #10 from mate/pairing' -m Pairing "
      "pairing",
      kMate);
  work.GithubMerge(11, "theirs", "Theirs", kMate);

  struct Expected {
    detect::CoauthorRule rule;
    std::vector<int64_t> numbers;
  };
  for (const Expected& want :
       {Expected{detect::CoauthorRule::kPrompt, {1, 5853, 2438, 9, 10}},
        Expected{detect::CoauthorRule::kIgnore, {1, 5853, 2438}}}) {
    CAPTURE(static_cast<int>(want.rule));
    rules.coauthor = want.rule;
    Result<ScanOutcome> daemon = ScanRefs(*opened, baseline->refs, true, rules);
    REQUIRE(daemon.has_value());
    std::vector<int64_t> daemon_numbers;
    for (const Event& e : daemon->events) daemon_numbers.push_back(e.pr);
    HistoryQuery query = Query({kMe});
    query.coauthor = want.rule;
    HistoryScan scan = Scan(work, query);
    CHECK(Numbers(scan) == want.numbers);
    CHECK(daemon_numbers == want.numbers);
    REQUIRE(scan.events.size() == daemon->events.size());
    for (size_t i = 0; i < scan.events.size(); ++i) {
      CHECK(scan.events[i].commit == daemon->events[i].commit);
      CHECK(scan.events[i].forge == daemon->events[i].forge);
      CHECK(scan.events[i].branch == daemon->events[i].branch);
      CHECK(scan.events[i].authors == daemon->events[i].authors);
    }
    // Every merge counts among the PRs the scan saw, anyone's: the sync,
    // tag and release merges do not.
    CHECK(scan.totals.prs == 6);
  }
}

}  // namespace
}  // namespace brag::test
