// One detection pass over real repositories: baseline, the user's PRs arriving
// on mainlines through local and remote-tracking refs, and what is not theirs.
#include "watch/ref_scan.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using RefMap = std::map<std::string, std::string>;

DetectRules Rules() {
  DetectRules rules;
  rules.mainlines = {"main", "master"};
  rules.remotes = {"origin", "upstream"};
  rules.identities = {"Me@Example.com"};
  return rules;
}

ScanOutcome Scan(const GitRepo& repo, const RefMap& previous, bool has_baseline = true,
                 size_t walk_limit = 5000) {
  Result<git::Repo> opened = git::Repo::Open(repo.dir());
  if (!opened) FAIL(opened.error().message);
  Result<ScanOutcome> outcome =
      ScanRefs(*opened, previous, has_baseline, Rules(), walk_limit);
  if (!outcome) FAIL(outcome.error().message);
  return std::move(*outcome);
}

RefMap Baseline(const GitRepo& repo) {
  ScanOutcome outcome = Scan(repo, {}, false);
  REQUIRE(outcome.baseline);
  REQUIRE(outcome.events.empty());
  return outcome.refs;
}

// A work tree with one commit on main, as most cases start.
struct Workspace {
  TempDir tmp{"scan"};
  GitRepo work = GitRepo::Init(tmp / "work");
  std::string root = work.Commit("README", "hello\n", "initial");
};

// A bare remote, the forge's side of it (where PRs are merged and pushed
// from) and the user's clone that brag watches.
struct Remote {
  TempDir tmp{"scan"};
  GitRepo bare = GitRepo::Init(tmp / "origin.git", true);
  GitRepo forge = Seed(GitRepo::Clone(bare.dir(), tmp / "forge"));
  GitRepo mine = GitRepo::Clone(bare.dir(), tmp / "mine");

  static GitRepo Seed(GitRepo forge) {
    forge.Commit("README", "hello\n", "initial");
    forge.Git("push -q origin main");
    return forge;
  }
};

TEST_CASE_FIXTURE(Workspace, "the first scan sets a baseline and reports nothing") {
  work.GithubMerge(1, "old", "Old work of mine", "me@example.com");
  work.Git("branch master");
  work.Git("branch feature");
  ScanOutcome outcome = Scan(work, {}, false);
  CHECK(outcome.baseline);
  CHECK(outcome.events.empty());
  RefMap expected = {{"refs/heads/main", work.Rev()},
                     {"refs/heads/master", work.Rev()}};
  CHECK(outcome.refs == expected);
}

TEST_CASE_FIXTURE(Remote, "the baseline follows remote-tracking mainlines only") {
  forge.Git("push -q origin main:feature");
  mine.Git("fetch -q origin");
  ScanOutcome outcome = Scan(mine, {}, false);
  RefMap expected = {{"refs/heads/main", mine.Rev()},
                     {"refs/remotes/origin/main", mine.Rev()}};
  CHECK(outcome.refs == expected);
}

TEST_CASE_FIXTURE(Workspace, "a scan where nothing moved reports nothing") {
  RefMap previous = Baseline(work);
  ScanOutcome outcome = Scan(work, previous);
  CHECK_FALSE(outcome.baseline);
  CHECK(outcome.events.empty());
  CHECK(outcome.refs == previous);
}

TEST_CASE_FIXTURE(Workspace,
                  "a GitHub merge of my branch is one event with every field") {
  RefMap previous = Baseline(work);
  std::string merge = work.GithubMerge(42, "add-index", "Add composite index on orders",
                                       "me@example.com");
  ScanOutcome outcome = Scan(work, previous);
  CHECK(outcome.refs.at("refs/heads/main") == merge);
  REQUIRE(outcome.events.size() == 1);
  const Event& e = outcome.events[0];
  CHECK(e.kind == EventKind::kPrMerged);
  CHECK(e.key == merge);
  CHECK(e.commit == merge);
  CHECK(e.forge == "github");
  CHECK(e.pr == 42);
  CHECK(e.title == "Add composite index on orders");
  CHECK(e.branch == "add-index");
  CHECK(e.authors == std::vector<std::string>{"me@example.com"});
  CHECK(e.commit_time > 1600000000);
  CHECK(e.diffstat.files == 1);
  CHECK(e.diffstat.insertions == 1);
  CHECK(e.diffstat.deletions == 0);
  CHECK(e.paths == std::vector<std::string>{"add-index.txt"});
  CHECK(e.id == 0);
  CHECK(e.repo_id == 0);
  CHECK(e.created == 0);
}

TEST_CASE_FIXTURE(Workspace, "a squash merge of mine is one event") {
  RefMap previous = Baseline(work);
  std::string squash = work.GithubSquash(7, "Speed up login", "ME@example.com");
  ScanOutcome outcome = Scan(work, previous);
  REQUIRE(outcome.events.size() == 1);
  const Event& e = outcome.events[0];
  CHECK(e.commit == squash);
  CHECK(e.forge == "github");
  CHECK(e.pr == 7);
  CHECK(e.title == "Speed up login");
  CHECK(e.branch.empty());
  CHECK(e.authors == std::vector<std::string>{"me@example.com"});
  CHECK(e.paths == std::vector<std::string>{"squash-7.txt"});
}

TEST_CASE_FIXTURE(Workspace, "a teammate's merge or squash makes no event") {
  RefMap previous = Baseline(work);
  // Pressing the merge button does not make a PR mine.
  work.GithubMerge(3, "their-feature", "Their feature", "bob@example.com", "main",
                   "me@example.com");
  work.GithubSquash(4, "Their fix", "bob@example.com");
  work.Commit("notes.txt", "x\n", "a plain commit of mine");
  ScanOutcome outcome = Scan(work, previous);
  CHECK(outcome.events.empty());
  CHECK(outcome.refs.at("refs/heads/main") == work.Rev());
}

TEST_CASE_FIXTURE(Workspace, "a squash co-authored by me is mine") {
  RefMap previous = Baseline(work);
  work.GithubSquash(8, "Pair on retries", "bob@example.com", "main",
                    "Co-authored-by: Me <ME@Example.com>");
  ScanOutcome outcome = Scan(work, previous);
  REQUIRE(outcome.events.size() == 1);
  CHECK(outcome.events[0].pr == 8);
  CHECK(outcome.events[0].authors ==
        std::vector<std::string>{"bob@example.com", "me@example.com"});
}

TEST_CASE_FIXTURE(Workspace, "a merge with one commit of mine among others is mine") {
  RefMap previous = Baseline(work);
  work.Git("checkout -q -b shared");
  work.Commit("a.txt", "a\n", "bob starts", "bob@example.com");
  work.Commit("b.txt", "b\n", "I help", "me@example.com");
  work.Git("checkout -q main");
  work.Git(
      "merge -q --no-ff -m 'Merge pull request #9 from bob/shared' -m 'Shared work' "
      "shared",
      "bob@example.com");
  ScanOutcome outcome = Scan(work, previous);
  REQUIRE(outcome.events.size() == 1);
  CHECK(outcome.events[0].branch == "shared");
  CHECK(outcome.events[0].authors ==
        std::vector<std::string>{"bob@example.com", "me@example.com"});
  CHECK(outcome.events[0].diffstat.files == 2);
}

TEST_CASE_FIXTURE(Workspace, "several PRs in one scan come oldest first") {
  RefMap previous = Baseline(work);
  std::string first = work.GithubSquash(10, "First", "me@example.com");
  std::string second = work.GithubMerge(11, "second", "Second", "me@example.com");
  std::string third = work.GithubSquash(12, "Third", "me@example.com");
  ScanOutcome outcome = Scan(work, previous);
  REQUIRE(outcome.events.size() == 3);
  CHECK(outcome.events[0].commit == first);
  CHECK(outcome.events[1].commit == second);
  CHECK(outcome.events[2].commit == third);
}

TEST_CASE_FIXTURE(Workspace, "a walk limit bounds how far back a scan looks") {
  RefMap previous = Baseline(work);
  work.GithubSquash(10, "First", "me@example.com");
  std::string second = work.GithubSquash(11, "Second", "me@example.com");
  ScanOutcome outcome = Scan(work, previous, true, 1);
  REQUIRE(outcome.events.size() == 1);
  CHECK(outcome.events[0].commit == second);
}

TEST_CASE_FIXTURE(Remote,
                  "a merge that arrives via main and origin/main is one event") {
  RefMap previous = Baseline(mine);
  std::string merge =
      forge.GithubMerge(5, "fast-login", "Fast login", "me@example.com");
  forge.Git("push -q origin main");
  mine.Git("pull -q --ff-only");
  ScanOutcome outcome = Scan(mine, previous);
  CHECK(outcome.refs.at("refs/heads/main") == merge);
  CHECK(outcome.refs.at("refs/remotes/origin/main") == merge);
  REQUIRE(outcome.events.size() == 1);
  CHECK(outcome.events[0].commit == merge);
  CHECK(outcome.events[0].pr == 5);
}

TEST_CASE_FIXTURE(Remote,
                  "a PR already seen on origin/main is not reported again on main") {
  RefMap previous = Baseline(mine);
  std::string merge =
      forge.GithubMerge(5, "fast-login", "Fast login", "me@example.com");
  forge.Git("push -q origin main");

  mine.Git("fetch -q origin");
  ScanOutcome fetched = Scan(mine, previous);
  REQUIRE(fetched.events.size() == 1);
  CHECK(fetched.events[0].commit == merge);
  CHECK(fetched.refs.at("refs/heads/main") != merge);

  mine.Git("merge -q --ff-only origin/main");
  ScanOutcome pulled = Scan(mine, fetched.refs);
  CHECK(pulled.refs.at("refs/heads/main") == merge);
  CHECK(pulled.events.empty());
}

TEST_CASE_FIXTURE(Remote, "a sync merge from a pull makes no event") {
  RefMap previous = Baseline(mine);
  forge.Commit("theirs.txt", "x\n", "their change", "bob@example.com");
  forge.Git("push -q origin main");
  mine.Commit("mine.txt", "y\n", "my change");
  mine.Git("pull -q --no-rebase --no-edit origin main");
  REQUIRE(mine.Git("log -1 --format=%s").starts_with("Merge branch 'main' of "));
  ScanOutcome outcome = Scan(mine, previous);
  CHECK(outcome.events.empty());
  CHECK(outcome.refs.at("refs/heads/main") == mine.Rev());
}

TEST_CASE_FIXTURE(Workspace, "a local merge of my branch is a local event") {
  RefMap previous = Baseline(work);
  std::string merge = work.LocalMerge("retry-budget", "me@example.com");
  ScanOutcome outcome = Scan(work, previous);
  REQUIRE(outcome.events.size() == 1);
  const Event& e = outcome.events[0];
  CHECK(e.commit == merge);
  CHECK(e.forge == "local");
  CHECK(e.pr == 0);
  CHECK(e.branch == "retry-budget");
  CHECK(e.title == "Merge branch 'retry-budget'");
  CHECK(e.paths == std::vector<std::string>{"retry-budget.txt"});
}

TEST_CASE_FIXTURE(Workspace, "a local merge of a teammate's branch makes no event") {
  RefMap previous = Baseline(work);
  work.LocalMerge("their-branch", "bob@example.com");
  CHECK(Scan(work, previous).events.empty());
}

TEST_CASE_FIXTURE(Workspace, "a PR merged into a side branch is not reported itself") {
  RefMap previous = Baseline(work);
  work.Git("branch staging");
  work.GithubMerge(5, "inner", "Inner work", "me@example.com", "staging");
  work.Git("checkout -q main");
  work.Git("merge -q --no-ff --no-edit staging", "bob@example.com");
  std::string staging_merge = work.Rev();
  ScanOutcome outcome = Scan(work, previous);
  // Only the merge on main's first-parent chain counts; it brought my commit.
  REQUIRE(outcome.events.size() == 1);
  CHECK(outcome.events[0].commit == staging_merge);
  CHECK(outcome.events[0].forge == "local");
  CHECK(outcome.events[0].branch == "staging");
  CHECK(outcome.events[0].pr == 0);
}

TEST_CASE_FIXTURE(Workspace, "a mainline that appears after the baseline is scanned") {
  RefMap previous = Baseline(work);
  work.Git("checkout -q -b master");
  std::string squash = work.GithubSquash(20, "On master", "me@example.com", "master");
  ScanOutcome outcome = Scan(work, previous);
  CHECK(outcome.refs.at("refs/heads/master") == squash);
  REQUIRE(outcome.events.size() == 1);
  CHECK(outcome.events[0].commit == squash);
}

TEST_CASE_FIXTURE(Workspace,
                  "a new mainline holding only known commits reports nothing") {
  work.GithubSquash(21, "Known", "me@example.com");
  RefMap previous = Baseline(work);
  work.Git("branch master");
  ScanOutcome outcome = Scan(work, previous);
  CHECK(outcome.refs.count("refs/heads/master") == 1);
  CHECK(outcome.events.empty());
}

TEST_CASE_FIXTURE(Workspace,
                  "a mainline that disappeared is simply no longer followed") {
  work.Git("branch master");
  RefMap previous = Baseline(work);
  REQUIRE(previous.count("refs/heads/master") == 1);
  work.Git("branch -q -D master");
  ScanOutcome outcome = Scan(work, previous);
  CHECK(outcome.refs.count("refs/heads/master") == 0);
  CHECK(outcome.refs.count("refs/heads/main") == 1);
  CHECK(outcome.events.empty());
}

TEST_CASE_FIXTURE(Workspace, "a force-pushed mainline hides nothing it should not") {
  work.GithubSquash(30, "Kept", "me@example.com");
  RefMap previous = Baseline(work);
  work.Git("reset -q --hard HEAD~1");
  std::string redo = work.GithubSquash(31, "Redone", "me@example.com");
  ScanOutcome outcome = Scan(work, previous);
  REQUIRE(outcome.events.size() == 1);
  CHECK(outcome.events[0].commit == redo);
}

TEST_CASE_FIXTURE(Workspace, "a mainline ref to a missing commit is an error") {
  RefMap previous = Baseline(work);
  WriteFile(work.dir() / ".git/refs/heads/master", std::string(40, '1') + "\n");
  Result<git::Repo> repo = git::Repo::Open(work.dir());
  REQUIRE(repo.has_value());
  Result<ScanOutcome> outcome = ScanRefs(*repo, previous, true, Rules());
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().code == "git");
  CHECK(outcome.error().message.find("refs/heads/master") != std::string::npos);
}

}  // namespace
}  // namespace brag::test

namespace brag::test {

TEST_CASE("a repo with no mainline at its baseline does not flood its history later") {
  TempDir tmp{"scan"};
  GitRepo work = GitRepo::Init(tmp / "work");
  work.Git("checkout -q -b wip");
  work.Commit("README", "hello\n", "initial");
  RefMap base = Baseline(work);
  CHECK(base.empty());
  // Years of my PRs arrive at once, e.g. main is created from them.
  work.GithubSquash(1, "Old work", "me@example.com", "wip");
  work.GithubSquash(2, "More old work", "me@example.com", "wip");
  work.Git("branch main wip");
  ScanOutcome outcome = Scan(work, base);
  CHECK(outcome.baseline);
  CHECK(outcome.events.empty());
  CHECK(outcome.refs.count("refs/heads/main") == 1);
  // From then on, new merges are reported as usual.
  work.Git("checkout -q main");
  work.GithubSquash(3, "New work", "me@example.com");
  ScanOutcome next = Scan(work, outcome.refs);
  REQUIRE(next.events.size() == 1);
  CHECK(next.events[0].pr == 3);
}

}  // namespace brag::test

namespace brag::test {

// On main: a branch with one commit by `author`, merged with --no-ff by
// `merger` with the message `paragraphs` (one `-m` each), as a forge writes it.
std::string ForgeStyleMerge(const GitRepo& repo, const std::string& branch,
                            const std::vector<std::string>& paragraphs,
                            const std::string& author,
                            const std::string& merger = "merger@example.com") {
  repo.Git("checkout -q -b " + ShellQuote(branch) + " main");
  repo.Commit(branch + ".txt", branch + "\n", "work on " + branch, author);
  repo.Git("checkout -q main");
  std::string args = "merge -q --no-ff";
  for (const std::string& paragraph : paragraphs)
    args += " -m " + ShellQuote(paragraph);
  repo.Git(args + " " + ShellQuote(branch), merger);
  return repo.Rev();
}

// The one event a scan after `previous` reports.
Event OnlyEvent(const GitRepo& repo, const RefMap& previous) {
  ScanOutcome outcome = Scan(repo, previous);
  REQUIRE(outcome.events.size() == 1);
  return outcome.events[0];
}

TEST_CASE_FIXTURE(Workspace, "a GitLab merge of my branch is one GitLab event") {
  RefMap previous = Baseline(work);
  std::string merge = ForgeStyleMerge(
      work, "feat",
      {"Merge branch 'feat' into 'main'", "Title", "See merge request grp/proj!12"},
      "me@example.com");
  Event e = OnlyEvent(work, previous);
  CHECK(e.commit == merge);
  CHECK(e.forge == "gitlab");
  CHECK(e.pr == 12);
  CHECK(e.title == "Title");
  CHECK(e.branch == "feat");
  CHECK(e.paths == std::vector<std::string>{"feat.txt"});
}

TEST_CASE_FIXTURE(Workspace, "a teammate's GitLab merge makes no event") {
  RefMap previous = Baseline(work);
  ForgeStyleMerge(
      work, "theirs",
      {"Merge branch 'theirs' into 'main'", "Theirs", "See merge request grp/proj!13"},
      "bob@example.com", "me@example.com");
  CHECK(Scan(work, previous).events.empty());
}

TEST_CASE_FIXTURE(Workspace, "a Bitbucket Server merge of my branch is one event") {
  RefMap previous = Baseline(work);
  std::string merge =
      ForgeStyleMerge(work, "feature/retries",
                      {"Pull request #34: Add retries",
                       "Merge in PROJ/repo from feature/retries to main"},
                      "me@example.com");
  Event e = OnlyEvent(work, previous);
  CHECK(e.commit == merge);
  CHECK(e.forge == "bitbucket");
  CHECK(e.pr == 34);
  CHECK(e.title == "Add retries");
  CHECK(e.branch == "feature/retries");
}

TEST_CASE_FIXTURE(Workspace, "an Azure DevOps squash of mine is one event") {
  RefMap previous = Baseline(work);
  std::string squash =
      work.Commit("azure.txt", "x\n", "Merged PR 56: Speed up login\n\nDetails.");
  Event e = OnlyEvent(work, previous);
  CHECK(e.commit == squash);
  CHECK(e.forge == "azure");
  CHECK(e.pr == 56);
  CHECK(e.title == "Speed up login");
  CHECK(e.branch.empty());
}

TEST_CASE_FIXTURE(Workspace, "a Gerrit change of mine is one event") {
  RefMap previous = Baseline(work);
  std::string change = work.Commit(
      "gerrit.txt", "x\n",
      "Add composite index\n\nWhy it helps.\n\nChange-Id: I0123456789abcdef\n"
      "Reviewed-on: https://review.example.com/c/proj/+/789\n"
      "Reviewed-by: Bob <bob@example.com>");
  Event e = OnlyEvent(work, previous);
  CHECK(e.commit == change);
  CHECK(e.forge == "gerrit");
  CHECK(e.pr == 789);
  CHECK(e.title == "Add composite index");
  CHECK(e.authors == std::vector<std::string>{"me@example.com"});
}

TEST_CASE_FIXTURE(Workspace, "a Phabricator revision of mine is one event") {
  RefMap previous = Baseline(work);
  std::string revision =
      work.Commit("phab.txt", "x\n",
                  "[X86] Fold loads\n\nSummary: faster.\n\n"
                  "Differential Revision: https://reviews.example.com/D1234");
  Event e = OnlyEvent(work, previous);
  CHECK(e.commit == revision);
  CHECK(e.forge == "phabricator");
  CHECK(e.pr == 1234);
  CHECK(e.title == "[X86] Fold loads");
}

TEST_CASE_FIXTURE(Workspace, "a Reviewed-on line in the middle of a body is no PR") {
  RefMap previous = Baseline(work);
  work.Commit("note.txt", "x\n",
              "Fix login\n\nReviewed-on: https://review.example.com/c/proj/+/5\n"
              "was the wrong change.\n\nMore words.");
  CHECK(Scan(work, previous).events.empty());
}

}  // namespace brag::test
