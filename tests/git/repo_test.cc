// The libgit2 facade against real repositories built with the git CLI.
#include "git/repo.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

namespace fs = std::filesystem;

git::Repo OpenOk(const fs::path& path) {
  Result<git::Repo> repo = git::Repo::Open(path);
  if (!repo) FAIL(repo.error().message);
  return std::move(*repo);
}

std::vector<std::string> Oids(const std::vector<git::CommitData>& commits) {
  std::vector<std::string> oids;
  for (const git::CommitData& c : commits) oids.push_back(c.oid);
  return oids;
}

// Commits with a committer date of `unix_time`, to build skewed clocks.
std::string CommitAt(const GitRepo& repo, const std::string& message, int unix_time) {
  std::string date = std::to_string(unix_time) + " +0000";
  CommandResult r =
      RunCommand("cd " + ShellQuote(repo.dir().string()) + " && GIT_COMMITTER_DATE=" +
                 ShellQuote(date) + " GIT_AUTHOR_DATE=" + ShellQuote(date) +
                 " git commit -q --allow-empty -m " + ShellQuote(message));
  REQUIRE(r.code == 0);
  return repo.Rev();
}

TEST_CASE("a work tree and its .git folder open as the same repo") {
  TempDir tmp("repo");
  GitRepo repo = GitRepo::Init(tmp / "work");
  repo.Commit("a.txt", "a\n", "first");
  fs::path work = fs::canonical(repo.dir());

  git::Repo by_work_tree = OpenOk(repo.dir());
  CHECK(by_work_tree.DisplayPath() == work);
  CHECK(by_work_tree.CommonDir() == work / ".git");

  git::Repo by_git_dir = OpenOk(repo.dir() / ".git");
  CHECK(by_git_dir.DisplayPath() == work);
  CHECK(by_git_dir.CommonDir() == work / ".git");
}

TEST_CASE("a bare repo is known by its own folder") {
  TempDir tmp("repo");
  GitRepo bare = GitRepo::Init(tmp / "remote.git", true);
  git::Repo repo = OpenOk(bare.dir());
  fs::path dir = fs::canonical(bare.dir());
  CHECK(repo.DisplayPath() == dir);
  CHECK(repo.CommonDir() == dir);
  CHECK(repo.CommonDir().string().back() != '/');
}

TEST_CASE("a linked worktree opens as its main repo") {
  TempDir tmp("repo");
  GitRepo repo = GitRepo::Init(tmp / "main");
  repo.Commit("a.txt", "a\n", "first");
  repo.Git("worktree add -q -b side " + ShellQuote((tmp / "linked").string()));

  git::Repo linked = OpenOk(tmp / "linked");
  fs::path main = fs::canonical(repo.dir());
  CHECK(linked.CommonDir() == main / ".git");
  CHECK(linked.DisplayPath() == main);
  Result<std::optional<std::string>> side = linked.RefTip("refs/heads/side");
  REQUIRE(side.has_value());
  CHECK(*side == repo.Rev());
}

TEST_CASE("a folder that is no repo, or no folder at all, is not found") {
  TempDir tmp("repo");
  fs::create_directories(tmp / "plain");
  Result<git::Repo> plain = git::Repo::Open(tmp / "plain");
  REQUIRE_FALSE(plain.has_value());
  CHECK(plain.error().code == "not_found");
  CHECK(plain.error().message.find("plain") != std::string::npos);

  Result<git::Repo> missing = git::Repo::Open(tmp / "missing");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == "not_found");
}

TEST_CASE("a folder inside a work tree does not open the enclosing repo") {
  TempDir tmp("repo");
  GitRepo repo = GitRepo::Init(tmp / "work");
  repo.Commit("sub/a.txt", "a\n", "first");
  Result<git::Repo> sub = git::Repo::Open(repo.dir() / "sub");
  REQUIRE_FALSE(sub.has_value());
  CHECK(sub.error().code == "not_found");
}

TEST_CASE("branch refs list local and remote-tracking branches, not symbolic refs") {
  TempDir tmp("repo");
  GitRepo origin = GitRepo::Init(tmp / "origin");
  std::string first = origin.Commit("a.txt", "a\n", "first");
  origin.Git("branch feature");
  origin.Git("tag v1");
  GitRepo clone = GitRepo::Clone(origin.dir(), tmp / "clone");
  std::string second = origin.Commit("b.txt", "b\n", "second");
  clone.Git("fetch -q origin");
  REQUIRE(clone.Git("symbolic-ref refs/remotes/origin/HEAD") ==
          "refs/remotes/origin/main");

  git::Repo repo = OpenOk(clone.dir());
  Result<std::map<std::string, std::string>> refs = repo.BranchRefs();
  REQUIRE(refs.has_value());
  std::map<std::string, std::string> expected = {
      {"refs/heads/main", first},
      {"refs/remotes/origin/feature", first},
      {"refs/remotes/origin/main", second},
  };
  CHECK(*refs == expected);
}

TEST_CASE("a packed ref is read like a loose one") {
  TempDir tmp("repo");
  GitRepo origin = GitRepo::Init(tmp / "origin");
  std::string first = origin.Commit("a.txt", "a\n", "first");
  origin.Git("pack-refs --all");
  git::Repo repo = OpenOk(origin.dir());
  Result<std::map<std::string, std::string>> refs = repo.BranchRefs();
  REQUIRE(refs.has_value());
  CHECK(refs->at("refs/heads/main") == first);
  Result<std::optional<std::string>> tip = repo.RefTip("refs/heads/main");
  REQUIRE(tip.has_value());
  CHECK(*tip == first);
}

TEST_CASE("a ref tip is its commit, or nothing when the ref does not exist") {
  TempDir tmp("repo");
  GitRepo work = GitRepo::Init(tmp / "work");
  std::string first = work.Commit("a.txt", "a\n", "first");
  git::Repo repo = OpenOk(work.dir());

  Result<std::optional<std::string>> main = repo.RefTip("refs/heads/main");
  REQUIRE(main.has_value());
  CHECK(*main == first);
  Result<std::optional<std::string>> none = repo.RefTip("refs/remotes/origin/main");
  REQUIRE(none.has_value());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("a ref to a missing commit is an error") {
  TempDir tmp("repo");
  GitRepo work = GitRepo::Init(tmp / "work");
  work.Commit("a.txt", "a\n", "first");
  WriteFile(work.dir() / ".git/refs/heads/broken", std::string(40, '1') + "\n");
  git::Repo repo = OpenOk(work.dir());
  Result<std::optional<std::string>> broken = repo.RefTip("refs/heads/broken");
  REQUIRE_FALSE(broken.has_value());
  CHECK(broken.error().code == "git");
  CHECK(broken.error().message.find(fs::canonical(work.dir()).string()) !=
        std::string::npos);
}

TEST_CASE("a commit reads with its parents, message, author and times") {
  TempDir tmp("repo");
  GitRepo work = GitRepo::Init(tmp / "work");
  std::string first = work.Commit("a.txt", "a\n", "first");
  std::string second = work.Commit("a.txt", "b\n", "second\n\nbody", "Al@Example.com");
  git::Repo repo = OpenOk(work.dir());

  Result<git::CommitData> c = repo.Commit(second);
  REQUIRE(c.has_value());
  CHECK(c->oid == second);
  CHECK(c->parents == std::vector<std::string>{first});
  CHECK(c->message == "second\n\nbody\n");
  CHECK(c->author_name == "Al");
  CHECK(c->author_email == "Al@Example.com");
  CHECK(c->time > 1600000000);
  CHECK(c->commit_time >= c->time);

  Result<git::CommitData> bad = repo.Commit("not-an-oid");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == "git");
}

TEST_CASE("a commit's author is read through the repo's .mailmap") {
  TempDir tmp("repo");
  GitRepo work = GitRepo::Init(tmp / "work");
  work.Commit(".mailmap", "Me <me@example.com> <old@laptop.local>\n", "mailmap");
  std::string old = work.Commit("a.txt", "a\n", "from the laptop", "old@laptop.local");
  git::Repo repo = OpenOk(work.dir());
  Result<git::CommitData> c = repo.Commit(old);
  REQUIRE(c.has_value());
  CHECK(c->author_email == "me@example.com");
  CHECK(c->author_name == "Me");
}

// main: c1 - c2 - M - c3, where M merges f1 - f2 branched from c2.
struct MergedHistory {
  TempDir tmp{"repo"};
  GitRepo work = GitRepo::Init(tmp / "work");
  std::string c1 = work.Commit("a.txt", "1\n", "c1");
  std::string c2 = work.Commit("a.txt", "2\n", "c2");
  std::string f1, f2, merge, c3;

  MergedHistory() {
    work.Git("checkout -q -b feature");
    f1 = work.Commit("f.txt", "1\n", "f1", "al@example.com");
    f2 = work.Commit("f.txt", "2\n", "f2", "bo@example.com");
    work.Git("checkout -q main");
    work.Git("merge -q --no-ff --no-edit feature");
    merge = work.Rev();
    c3 = work.Commit("a.txt", "3\n", "c3");
  }
};

TEST_CASE_FIXTURE(
    MergedHistory,
    "new first-parent commits skip the side branch and stop at hidden tips") {
  git::Repo repo = OpenOk(work.dir());
  auto commits = repo.NewFirstParentCommits(c3, {c1}, 100);
  REQUIRE(commits.has_value());
  CHECK(Oids(*commits) == std::vector<std::string>{c3, merge, c2});
}

TEST_CASE_FIXTURE(MergedHistory, "a hidden side-branch tip hides its commits only") {
  git::Repo repo = OpenOk(work.dir());
  auto commits = repo.NewFirstParentCommits(c3, {f2, c2}, 100);
  REQUIRE(commits.has_value());
  CHECK(Oids(*commits) == std::vector<std::string>{c3, merge});
  auto up_to_merge = repo.NewFirstParentCommits(c3, {merge}, 100);
  REQUIRE(up_to_merge.has_value());
  CHECK(Oids(*up_to_merge) == std::vector<std::string>{c3});
}

TEST_CASE_FIXTURE(MergedHistory, "a walk stops at its limit, newest first") {
  git::Repo repo = OpenOk(work.dir());
  auto commits = repo.NewFirstParentCommits(c3, {}, 2);
  REQUIRE(commits.has_value());
  CHECK(Oids(*commits) == std::vector<std::string>{c3, merge});
  auto all = repo.NewFirstParentCommits(c3, {}, 1000);
  REQUIRE(all.has_value());
  CHECK(all->back().oid == c1);
}

TEST_CASE_FIXTURE(MergedHistory, "unknown or malformed hidden tips are ignored") {
  git::Repo repo = OpenOk(work.dir());
  auto commits =
      repo.NewFirstParentCommits(c3, {std::string(40, '0'), "junk", merge}, 100);
  REQUIRE(commits.has_value());
  CHECK(Oids(*commits) == std::vector<std::string>{c3});
}

TEST_CASE_FIXTURE(MergedHistory, "an unknown tip is an error") {
  git::Repo repo = OpenOk(work.dir());
  auto commits = repo.NewFirstParentCommits(std::string(40, '0'), {}, 100);
  REQUIRE_FALSE(commits.has_value());
  CHECK(commits.error().code == "git");
}

TEST_CASE_FIXTURE(MergedHistory, "a range holds what a merge brought in") {
  git::Repo repo = OpenOk(work.dir());
  Result<git::CommitData> m = repo.Commit(merge);
  REQUIRE(m.has_value());
  REQUIRE(m->parents.size() == 2);
  auto range = repo.Range(m->parents[0], m->parents[1], 100);
  REQUIRE(range.has_value());
  CHECK(Oids(*range) == std::vector<std::string>{f2, f1});
  CHECK((*range)[0].author_email == "bo@example.com");
  auto limited = repo.Range(m->parents[0], m->parents[1], 1);
  REQUIRE(limited.has_value());
  CHECK(limited->size() == 1);
}

TEST_CASE("a first-parent walk lists children first even when clocks are skewed") {
  TempDir tmp("repo");
  GitRepo work = GitRepo::Init(tmp / "work");
  std::string a = CommitAt(work, "a", 1700003000);
  work.Git("checkout -q -b side");
  CommitAt(work, "s", 1700009000);
  work.Git("checkout -q main");
  std::string b = CommitAt(work, "b", 1700001000);
  work.Git("merge -q --no-ff --no-commit side");
  std::string m = CommitAt(work, "m", 1700000500);
  std::string c = CommitAt(work, "c", 1700002000);
  git::Repo repo = OpenOk(work.dir());
  auto commits = repo.NewFirstParentCommits(c, {a}, 100);
  REQUIRE(commits.has_value());
  CHECK(Oids(*commits) == std::vector<std::string>{c, m, b});
}

TEST_CASE("a diff against the first parent counts files, lines and paths") {
  TempDir tmp("repo");
  GitRepo work = GitRepo::Init(tmp / "work");
  std::string root = work.Commit("a.txt", "1\n2\n3\n", "root");
  work.Commit("gone.txt", "x\ny\n", "add gone");
  WriteFile(work.dir() / "a.txt", "1\ntwo\n3\n4\n");
  WriteFile(work.dir() / "src/new.cc", "int x;\n");
  work.Git("rm -q gone.txt");
  work.Git("add -A");
  work.Git("commit -q -m change");
  git::Repo repo = OpenOk(work.dir());

  auto diff = repo.DiffAgainstFirstParent(work.Rev());
  REQUIRE(diff.has_value());
  CHECK(diff->first.files == 3);
  CHECK(diff->first.insertions == 3);
  CHECK(diff->first.deletions == 3);
  std::vector<std::string> paths = diff->second;
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"a.txt", "gone.txt", "src/new.cc"});

  auto first = repo.DiffAgainstFirstParent(root);
  REQUIRE(first.has_value());
  CHECK(first->first.files == 1);
  CHECK(first->first.insertions == 3);
  CHECK(first->first.deletions == 0);
  CHECK(first->second == std::vector<std::string>{"a.txt"});
}

TEST_CASE_FIXTURE(MergedHistory, "a merge's diff is what it brought to its mainline") {
  git::Repo repo = OpenOk(work.dir());
  auto diff = repo.DiffAgainstFirstParent(merge);
  REQUIRE(diff.has_value());
  CHECK(diff->first.files == 1);
  CHECK(diff->second == std::vector<std::string>{"f.txt"});
}

TEST_CASE("the global user email is read from the user's git config") {
  std::optional<std::string> email = git::GlobalUserEmail();
  REQUIRE(email.has_value());
  CHECK(*email == "me@example.com");
}

}  // namespace
}  // namespace brag::test
