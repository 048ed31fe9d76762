// Impact: trailers no hook filed are filed from the repo: the user's only,
// once (whether the hook, a rewrite or an earlier scan filed them), within
// the walk's bounds, with the branch they were found on.
#include "methods/unfiled_trailers.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "methods/commit_methods.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::GitRepo;

struct Fixture {
  test::TempDir t{"unfiled-trailers"};
  std::unique_ptr<Journal> journal;
  GitRepo repo = GitRepo::Init(t / "svc");
  std::optional<git::Repo> git;
  TrailerScan scan;

  Fixture() {
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(t / "journal.db", Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    journal = std::move(*j);
    repo.Commit("README", "hello\n", "initial\n\nImpact: before anything\n");
    git::EnsureInit();
    Result<git::Repo> opened = git::Repo::Open(repo.dir());
    REQUIRE(opened.has_value());
    git.emplace(std::move(*opened));
    scan.identities = {"ME@example.com"};
    scan.now = 1000;
  }
  int File(std::set<std::string>* walked) {
    Result<int> filed = FileUnfiledTrailers(*journal, *git, scan, walked);
    REQUIRE_MESSAGE(filed.has_value(), filed.error().message);
    return *filed;
  }
  int File() {
    std::set<std::string> fresh;
    return File(&fresh);
  }
  std::map<std::string, std::string> BranchOf() {
    Result<std::vector<CommitRecord>> c =
        journal->commits().Commits(repo.dir().string());
    REQUIRE(c.has_value());
    std::map<std::string, std::string> out;
    for (const CommitRecord& r : *c) out[r.oid] = r.branch;
    return out;
  }
  size_t Notes() {
    LogQuery q;
    q.kind = "note";
    Result<std::vector<LogEntry>> log = journal->history().Log(q);
    REQUIRE(log.has_value());
    return log->size();
  }
};

TEST_CASE("the user's trailers are filed once, with their branch; others' and plain commits not") {
  Fixture f;
  std::string mine = f.repo.Commit("a", "a\n", "Mine\n\nImpact: p95 halved\n");
  f.repo.Commit("b", "b\n", "Theirs\n\nImpact: not mine\n", "them@example.com");
  f.repo.Commit("c", "c\n", "Plain work\n");
  f.repo.Git("checkout -q -b topic");
  std::string topic = f.repo.Commit("d", "d\n", "On topic\n\nImpact: topic impact\n");
  f.repo.Git("checkout -q main");

  std::set<std::string> walked;
  CHECK(f.File(&walked) == 3);  // "initial", mine, topic
  std::map<std::string, std::string> branch = f.BranchOf();
  CHECK(branch.size() == 3);
  CHECK(branch[mine] == "main");
  CHECK(branch[topic] == "topic");
  CHECK(f.Notes() == 3);
  CHECK(walked.size() == 2);  // both tips read

  // Again with the same tips known: nothing walked, nothing filed.
  CHECK(f.File(&walked) == 0);
  // A new run (no tips known) reads them all again and files nothing.
  CHECK(f.File() == 0);
  CHECK(f.Notes() == 3);
}

TEST_CASE("what the hook filed, or a rewrite moved, is not filed again") {
  Fixture f;
  f.scan.since = 0;
  std::string first = f.repo.Commit("a", "a\n", "Index\n\nImpact: 18ms\n");
  REQUIRE(RecordCommitMethod(*f.journal, {{"repo", f.repo.dir().string()}, {"oid", first}},
                             100)
              .has_value());
  CHECK(f.File() == 1);  // only "initial"
  f.repo.Git("commit -q --amend -m 'Index (composite)' -m 'Impact: 18ms'");
  std::string second = f.repo.Rev();
  REQUIRE(RewriteCommitsMethod(*f.journal,
                               {{"repo", f.repo.dir().string()},
                                {"moves", json::array({json::array({first, second})})}},
                               100)
              .has_value());
  CHECK(f.File() == 0);
  CHECK(f.Notes() == 2);
}

TEST_CASE("the walk stops at its commit limit and at its time bound") {
  Fixture f;
  f.repo.Commit("a", "a\n", "One\n\nImpact: one\n");
  f.repo.Commit("b", "b\n", "Two\n\nImpact: two\n");
  f.repo.Commit("c", "c\n", "Three\n\nImpact: three\n");
  f.scan.since = f.git->Commit(f.repo.Rev()).value().commit_time + 3600;
  CHECK(f.File() == 0);  // all older than the bound
  f.scan.since = 0;
  f.scan.limit = 2;
  CHECK(f.File() == 2);
  CHECK(f.Notes() == 2);
  f.scan.limit = 500;
  CHECK(f.File() == 2);  // the other two of the four
  CHECK(f.Notes() == 4);
}

TEST_CASE("amends read from the reflog move a filed note along, as post-rewrite would") {
  Fixture f;
  std::string a = f.repo.Commit("a", "a\n", "Index\n\nImpact: 18ms\n");
  CHECK(f.File() == 2);  // "initial" and a
  f.repo.Git("commit -q --amend -m 'Index (composite)' -m 'Impact: 18ms'");
  std::string a1 = f.repo.Rev();
  f.repo.Git("commit -q --amend -m 'Index (composite, analyzed)' -m 'Impact: 12ms'");
  std::string a2 = f.repo.Rev();
  f.scan.rewrites = {{a, a1}, {a1, a2}};
  CHECK(f.File() == 1);  // a2, whose own trailer wins
  std::map<std::string, std::string> branch = f.BranchOf();
  CHECK(branch.count(a) == 0);
  CHECK(branch.count(a1) == 0);
  CHECK(branch.count(a2) == 1);
  CHECK(f.Notes() == 2);
  CHECK(f.File() == 0);  // applied again: nothing to move, nothing to file
  CHECK(f.Notes() == 2);
}

}  // namespace
}  // namespace brag
