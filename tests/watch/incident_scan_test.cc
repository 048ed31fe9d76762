// Incident and hotfix branches through a real detection pass: open, then
// closed by a merge into a mainline or by deletion (local or pruned remote).
#include "watch/incident_scan.h"

#include <doctest/doctest.h>

#include "support/git_fixture.h"
#include "support/temp_dir.h"
#include "watch/ref_scan.h"

namespace brag::test {
namespace {

using RefMap = std::map<std::string, std::string>;

DetectRules IncidentRules() {
  DetectRules rules;
  rules.mainlines = {"main"};
  rules.remotes = {"origin"};
  rules.identities = {"me@example.com"};
  rules.incident_globs = {"incident/*", "hotfix/*", "inc-*", "sev*/*"};
  return rules;
}

ScanOutcome ScanAt(const GitRepo& repo, const RefMap& previous, int64_t now,
                   bool has_baseline = true) {
  Result<git::Repo> opened = git::Repo::Open(repo.dir());
  REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
  Result<ScanOutcome> outcome =
      ScanRefs(*opened, previous, has_baseline, IncidentRules(), 5000, now);
  REQUIRE_MESSAGE(outcome.has_value(), (outcome ? "" : outcome.error().message));
  return std::move(*outcome);
}

struct Repo {
  TempDir tmp{"incident"};
  GitRepo work = GitRepo::Init(tmp / "work");
  std::string root = work.Commit("README", "hello\n", "initial");
};

}  // namespace

TEST_CASE("incident names drop refs/heads and the remote, and only globs match") {
  DetectRules rules = IncidentRules();
  CHECK(IncidentName("refs/heads/incident/db-failover", rules) == "incident/db-failover");
  CHECK(IncidentName("refs/remotes/origin/hotfix/login", rules) == "hotfix/login");
  CHECK(IncidentName("refs/heads/inc-4711", rules) == "inc-4711");
  CHECK(IncidentName("refs/heads/sev1/payments", rules) == "sev1/payments");
  CHECK(IncidentName("refs/heads/feature/x", rules) == "");
  CHECK(IncidentName("refs/remotes/fork/hotfix/login", rules) == "");  // not a followed remote
  CHECK(IncidentName("refs/tags/hotfix/1", rules) == "");
}

TEST_CASE_FIXTURE(Repo, "a hotfix branch of mine merged into main closes one incident") {
  work.Git("checkout -q -b hotfix/login");
  std::string first = work.Commit("fix1.txt", "1\n", "Stop the login loop");
  work.Commit("fix2.txt", "2\n", "Add a regression test");
  work.Git("checkout -q main");
  RefMap base = ScanAt(work, {}, 1000, false).refs;
  CHECK(base.count("refs/heads/hotfix/login") == 1);

  ScanOutcome open = ScanAt(work, base, 1100);
  CHECK(open.events.empty());  // still open

  work.Git("merge -q --no-ff --no-edit hotfix/login");
  ScanOutcome closed = ScanAt(work, open.refs, 1200);
  std::vector<Event> incidents;
  for (const Event& e : closed.events) {
    if (e.kind == EventKind::kIncidentClosed) incidents.push_back(e);
  }
  REQUIRE(incidents.size() == 1);
  CHECK(closed.events.size() == 1);  // the local merge is the incident, not a PR too
  const Event& e = incidents[0];
  CHECK(e.key == "hotfix/login@" + first);
  CHECK(e.forge == "local");
  CHECK(e.commit == work.Rev());
  CHECK(e.branch == "hotfix/login");
  CHECK(e.merged);
  CHECK(e.commit_count == 2);
  CHECK(e.commit_time == 1200);
  CHECK(e.opened > 0);
  CHECK(e.authors == std::vector<std::string>{"me@example.com"});

  // Once closed, later scans (branch kept or deleted) say nothing more.
  ScanOutcome later = ScanAt(work, closed.refs, 1300);
  CHECK(later.events.empty());
  work.Git("branch -q -d hotfix/login");
  CHECK(ScanAt(work, later.refs, 1400).events.empty());
}

TEST_CASE_FIXTURE(Repo, "a hotfix that lands as a PR is one event: the incident with its PR") {
  work.Git("checkout -q -b hotfix/queue");
  std::string first = work.Commit("q1.txt", "1\n", "Drain the stuck queue");
  work.Commit("q2.txt", "2\n", "Alert on queue age");
  work.Git("checkout -q main");
  RefMap base = ScanAt(work, {}, 1000, false).refs;
  work.Git(
      "merge -q --no-ff -m 'Merge pull request #77 from acme/hotfix/queue' -m "
      "'Unstick the billing queue' hotfix/queue",
      "merger@example.com");
  ScanOutcome closed = ScanAt(work, base, 2000);
  REQUIRE(closed.events.size() == 1);
  const Event& e = closed.events[0];
  CHECK(e.kind == EventKind::kIncidentClosed);
  CHECK(e.key == "hotfix/queue@" + first);
  CHECK(e.branch == "hotfix/queue");
  CHECK(e.forge == "github");
  CHECK(e.pr == 77);
  CHECK(e.title == "Unstick the billing queue");
  CHECK(e.commit == work.Rev());
  CHECK(e.commit_count == 2);
  CHECK(e.merged);
  CHECK(e.diffstat.files == 2);
}

TEST_CASE_FIXTURE(Repo, "a branch name used again for a later incident is a new incident") {
  work.Git("checkout -q -b hotfix/db");
  work.Commit("a.txt", "1\n", "Raise the pool");
  work.Git("checkout -q main");
  RefMap base = ScanAt(work, {}, 1000, false).refs;
  work.Git("merge -q --no-ff --no-edit hotfix/db");
  work.Git("branch -q -d hotfix/db");
  ScanOutcome first = ScanAt(work, base, 1100);
  work.Git("checkout -q -b hotfix/db");
  work.Commit("b.txt", "1\n", "Shed load at the edge");
  work.Git("checkout -q main");
  ScanOutcome reopened = ScanAt(work, first.refs, 1200);
  CHECK(reopened.events.empty());
  work.Git("merge -q --no-ff --no-edit hotfix/db");
  ScanOutcome second = ScanAt(work, reopened.refs, 1300);
  std::vector<std::string> keys;
  for (const ScanOutcome* o : {&first, &second}) {
    for (const Event& e : o->events) {
      if (e.kind == EventKind::kIncidentClosed) keys.push_back(e.key);
    }
  }
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].starts_with("hotfix/db@"));
  CHECK(keys[1].starts_with("hotfix/db@"));
  CHECK(keys[0] != keys[1]);
}

TEST_CASE_FIXTURE(Repo, "an incident branch deleted unmerged is closed, not merged") {
  work.Git("checkout -q -b incident/db-outage");
  work.Commit("probe.txt", "1\n", "Try a smaller pool");
  work.Git("checkout -q main");
  RefMap base = ScanAt(work, {}, 1000, false).refs;
  work.Git("branch -q -D incident/db-outage");
  ScanOutcome closed = ScanAt(work, base, 2000);
  REQUIRE(closed.events.size() == 1);
  CHECK(closed.events[0].kind == EventKind::kIncidentClosed);
  CHECK_FALSE(closed.events[0].merged);
  CHECK(closed.events[0].commit_count == 1);
}

TEST_CASE_FIXTURE(Repo, "a teammate's incident makes no event") {
  work.Git("checkout -q -b incident/theirs");
  work.Commit("t.txt", "1\n", "Their fix", "teammate@example.com");
  work.Git("checkout -q main");
  RefMap base = ScanAt(work, {}, 1000, false).refs;
  work.Git("merge -q --no-ff --no-edit incident/theirs", "teammate@example.com");
  ScanOutcome after = ScanAt(work, base, 2000);
  for (const Event& e : after.events) CHECK(e.kind != EventKind::kIncidentClosed);
}

TEST_CASE("local and remote copies of an incident are one, closed by a prune after fetch") {
  TempDir tmp{"incident"};
  GitRepo bare = GitRepo::Init(tmp / "origin.git", true);
  GitRepo forge = GitRepo::Clone(bare.dir(), tmp / "forge");
  forge.Commit("README", "hello\n", "initial");
  forge.Git("push -q origin main");
  forge.Git("checkout -q -b hotfix/cache");
  std::string first = forge.Commit("cache.txt", "1\n", "Bound the cache", "me@example.com");
  forge.Git("push -q origin hotfix/cache");
  GitRepo mine = GitRepo::Clone(bare.dir(), tmp / "mine");
  mine.Git("checkout -q hotfix/cache");  // a local copy tracking the remote one
  mine.Git("checkout -q main");
  RefMap base = ScanAt(mine, {}, 1000, false).refs;
  CHECK(base.count("refs/heads/hotfix/cache") == 1);
  CHECK(base.count("refs/remotes/origin/hotfix/cache") == 1);

  // Merged on the forge and the branch deleted there; I fetch with prune.
  forge.Git("checkout -q main");
  forge.Git("merge -q --no-ff --no-edit hotfix/cache");
  forge.Git("push -q origin main :hotfix/cache");
  mine.Git("fetch -q --prune origin");
  ScanOutcome closed = ScanAt(mine, base, 2000);
  int incidents = 0;
  for (const Event& e : closed.events) {
    if (e.kind != EventKind::kIncidentClosed) continue;
    ++incidents;
    CHECK(e.key == "hotfix/cache@" + first);
    CHECK(e.merged);
  }
  CHECK(incidents == 1);
}

}  // namespace brag::test

namespace brag::test {
namespace {

git::ReflogEntry Entry(const std::string& from, const std::string& to, int64_t time,
                       const std::string& message) {
  return git::ReflogEntry{from, to, time, message};
}

std::vector<Event> Missed(const GitRepo& repo, const std::vector<IncidentSighting>& sightings,
                          const RefMap& previous) {
  Result<git::Repo> opened = git::Repo::Open(repo.dir());
  REQUIRE(opened.has_value());
  Result<std::map<std::string, std::string>> now = opened->BranchRefs();
  REQUIRE(now.has_value());
  Result<std::vector<Event>> missed =
      MissedIncidents(*opened, sightings, previous, *now, IncidentRules(), 2000);
  REQUIRE_MESSAGE(missed.has_value(), (missed ? "" : missed.error().message));
  return *missed;
}

}  // namespace

TEST_CASE("the HEAD reflog names the incident branches worked on, their tips and bases") {
  const std::string m0(40, '0'), m1(40, '1'), h1(40, 'a'), h2(40, 'b'), f1(40, 'f');
  std::vector<git::ReflogEntry> entries = {
      Entry(m0, m0, 50, "checkout: moving from main to hotfix/old"),  // before `since`
      Entry(m0, m0, 60, "checkout: moving from hotfix/old to main"),
      Entry(m0, m0, 100, "checkout: moving from main to hotfix/a"),
      Entry(m0, h1, 101, "commit: Cap the retry storm"),
      Entry(h1, h2, 102, "commit (amend): Cap the retry storm"),
      Entry(h2, m0, 103, "checkout: moving from hotfix/a to main"),
      Entry(m0, h2, 104, "merge hotfix/a: Fast-forward"),
      Entry(h2, h2, 105, "checkout: moving from main to feature/x"),
      Entry(h2, f1, 106, "commit: Not an incident"),
      Entry(f1, m1, 107, "checkout: moving from feature/x to incident/db"),
  };
  std::string branch;
  std::vector<IncidentSighting> seen = ReflogSightings(entries, 100, IncidentRules(), &branch);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].name == "hotfix/a");
  CHECK(seen[0].tip == h2);   // the latest commit on it
  CHECK(seen[0].base == m0);  // where HEAD was as it was checked out
  CHECK(seen[1].name == "incident/db");
  CHECK(seen[1].tip == m1);
  CHECK(seen[1].base == f1);
  CHECK(branch == "incident/db");

  // The next chunk goes on from the branch the last one ended on.
  std::vector<IncidentSighting> next =
      ReflogSightings({Entry(m1, h1, 200, "commit: Fail over")}, 100, IncidentRules(), &branch);
  REQUIRE(next.size() == 1);
  CHECK(next[0].name == "incident/db");
  CHECK(next[0].tip == h1);
  CHECK(next[0].base == "");
}

TEST_CASE_FIXTURE(Repo, "an incident born and closed between scans is found from the reflog") {
  RefMap base = ScanAt(work, {}, 1000, false).refs;  // main only
  work.Git("checkout -q -b hotfix/a");
  std::string first = work.Commit("fix1.txt", "1\n", "Stop the login loop");
  work.Commit("fix2.txt", "2\n", "Add a regression test");
  work.Git("checkout -q main");
  work.Git("merge -q --ff-only hotfix/a");
  work.Git("branch -q -d hotfix/a");
  work.Git("checkout -q -b hotfix/theirs");
  work.Commit("x.txt", "x\n", "Not mine", "them@example.com");
  work.Git("checkout -q main");
  work.Git("branch -q -D hotfix/theirs");
  work.Git("checkout -q -b hotfix/open");
  work.Commit("o.txt", "o\n", "Still open");
  work.Git("checkout -q main");

  Result<git::ReflogChunk> chunk = git::ReadReflog(work.dir() / ".git" / "logs" / "HEAD", 0);
  REQUIRE(chunk.has_value());
  CHECK(chunk->end == std::filesystem::file_size(work.dir() / ".git" / "logs" / "HEAD"));
  std::string branch;
  std::vector<IncidentSighting> seen = ReflogSightings(chunk->entries, 0, IncidentRules(), &branch);
  CHECK(seen.size() == 3);
  CHECK(branch == "main");

  std::vector<Event> missed = Missed(work, seen, base);
  REQUIRE(missed.size() == 1);  // not someone else's, not the open one
  CHECK(missed[0].kind == EventKind::kIncidentClosed);
  CHECK(missed[0].key == IncidentKey("hotfix/a", first));  // as the live path keys it
  CHECK(missed[0].merged);
  CHECK(missed[0].commit_count == 2);

  // One the stored state held is the live path's: not reported here again.
  RefMap held = base;
  held["refs/heads/hotfix/a"] = seen[0].tip;
  CHECK(Missed(work, seen, held).empty());
  // Nothing once read to the end: a second read starts there.
  Result<git::ReflogChunk> again =
      git::ReadReflog(work.dir() / ".git" / "logs" / "HEAD", chunk->end);
  REQUIRE(again.has_value());
  CHECK(again->entries.empty());
}

}  // namespace brag::test
