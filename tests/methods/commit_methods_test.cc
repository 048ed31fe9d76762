// commit.record as the quick hook sends it (no diff, maybe no oid) is
// completed from the repo; the repo is filed under its main path whichever
// path git ran the hook in; and the spool is filed through the same methods.
#include "methods/commit_methods.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "methods/spool_drain.h"
#include "spool/spool.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::GitRepo;

struct Fixture {
  test::TempDir t{"commit-methods"};
  fs::path journal_path = t / "journal.db";
  std::unique_ptr<Journal> journal;
  GitRepo repo = GitRepo::Init(t / "svc");

  Fixture() {
    Result<std::unique_ptr<Journal>> j = Journal::Open(journal_path, Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    journal = std::move(*j);
    repo.Commit("README", "hello\n", "initial");
  }
  std::vector<CommitRecord> Commits() {
    Result<std::vector<CommitRecord>> c =
        journal->commits().Commits(repo.dir().string());
    REQUIRE(c.has_value());
    return *c;
  }
};

TEST_CASE("commit.record with only a repo files HEAD, read whole from the repo") {
  Fixture f;
  f.repo.Git("checkout -q -b orders-index");
  std::string oid = f.repo.Commit("db/q.sql", "create index;\nanalyze;\n",
                                  "Index orders\n\nImpact: p95 3.4s -> 18ms\n",
                                  "dev@example.com");
  Result<json> r = RecordCommitMethod(*f.journal, {{"repo", f.repo.dir().string()}}, 100);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK((*r)["commit"] == oid);
  CHECK((*r)["note"]["text"] == "p95 3.4s -> 18ms");
  std::vector<CommitRecord> commits = f.Commits();
  REQUIRE(commits.size() == 1);
  CHECK(commits[0].subject == "Index orders");
  CHECK(commits[0].branch == "orders-index");
  CHECK(commits[0].author == "dev@example.com");
  CHECK(commits[0].diffstat.files == 1);
  CHECK(commits[0].diffstat.insertions == 2);
  CHECK(commits[0].paths == std::vector<std::string>{"db/q.sql"});
}

TEST_CASE("what the hook read is kept; only the diff is added") {
  Fixture f;
  std::string oid = f.repo.Commit("a.txt", "a\n", "Real subject\n\nImpact: real\n");
  Result<json> r = RecordCommitMethod(*f.journal,
                                      {{"repo", f.repo.dir().string()},
                                       {"oid", oid},
                                       {"branch", "main"},
                                       {"subject", "As the hook read it"},
                                       {"impact", "as the hook read it"}},
                                      100);
  REQUIRE(r.has_value());
  CHECK((*r)["note"]["text"] == "as the hook read it");
  std::vector<CommitRecord> commits = f.Commits();
  REQUIRE(commits.size() == 1);
  CHECK(commits[0].subject == "As the hook read it");
  CHECK(commits[0].paths == std::vector<std::string>{"a.txt"});
}

TEST_CASE("a linked worktree's commit is filed under the main repo, and moves there too") {
  Fixture f;
  fs::path linked = f.t / "linked";
  f.repo.Git("worktree add -q " + test::ShellQuote(linked.string()) + " -b side");
  GitRepo wt(linked);
  std::string first = wt.Commit("b.txt", "b\n", "Side work\n\nImpact: 2x faster\n");
  REQUIRE(RecordCommitMethod(*f.journal, {{"repo", linked.string()}}, 100).has_value());
  REQUIRE(f.Commits().size() == 1);
  CHECK(f.Commits()[0].oid == first);
  wt.Git("commit -q --amend -m " + test::ShellQuote("Side work\n\nImpact: 2x faster\n"));
  std::string second = wt.Rev();
  REQUIRE(RecordCommitMethod(*f.journal, {{"repo", linked.string()}}, 101).has_value());
  Result<json> moved = RewriteCommitsMethod(
      *f.journal,
      {{"repo", linked.string()}, {"moves", json::array({json::array({first, second})})}}, 102);
  REQUIRE(moved.has_value());
  std::vector<CommitRecord> commits = f.Commits();
  REQUIRE(commits.size() == 1);
  CHECK(commits[0].oid == second);
}

TEST_CASE("a vanished repo's record is filed with what the hook read") {
  Fixture f;
  Result<json> r = RecordCommitMethod(*f.journal,
                                      {{"repo", (f.t / "gone").string()},
                                       {"oid", std::string(40, 'a')},
                                       {"subject", "Made before the repo went"},
                                       {"impact", "kept anyway"}},
                                      100);
  REQUIRE(r.has_value());
  CHECK((*r)["note"]["text"] == "kept anyway");
  // Without an oid there is nothing to file.
  Result<json> none = RecordCommitMethod(*f.journal, {{"repo", (f.t / "gone").string()}}, 100);
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == "bad_request");
}

TEST_CASE("the spool is filed through the methods; a refused record is set aside") {
  Fixture f;
  std::string oid = f.repo.Commit("a.txt", "a\n", "Spooled\n\nImpact: 0 pages\n");
  fs::path spool = spool::SpoolPath(f.journal_path);
  REQUIRE(spool::Append(spool, "commit.record", {{"repo", f.repo.dir().string()}, {"oid", oid}}, 1)
              .has_value());
  REQUIRE(spool::Append(spool, "answer", {{"prompt", 1}}, 2).has_value());  // not a hook's
  Result<spool::DrainReport> r = DrainHookSpool(*f.journal, f.journal_path, 100);
  REQUIRE(r.has_value());
  CHECK(r->done == 1);
  CHECK(r->rejected == 1);
  REQUIRE(f.Commits().size() == 1);
  CHECK(f.Commits()[0].subject == "Spooled");
  std::ifstream rejected(spool::RejectedPath(f.journal_path));
  std::string text((std::istreambuf_iterator<char>(rejected)), std::istreambuf_iterator<char>());
  CHECK(text.find("not a hook's method: answer") != std::string::npos);
}

}  // namespace
}  // namespace brag
