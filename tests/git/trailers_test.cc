// ParseTrailers: libgit2's reading of a message's trailer block.
#include <doctest/doctest.h>

#include "git/repo.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::git {
namespace {

using Trailers = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("a Gerrit message's trailers are read in order") {
  std::string message =
      "Add composite index\n\n"
      "Longer text: with a colon.\n\n"
      "Change-Id: I0123456789abcdef\n"
      "Reviewed-on: https://review.example.com/c/project/+/4567\n"
      "Reviewed-by: Bob <bob@example.com>\n"
      "Tested-by: CI Bot <ci@example.com>\n";
  CHECK(ParseTrailers(message) ==
        Trailers{{"Change-Id", "I0123456789abcdef"},
                 {"Reviewed-on", "https://review.example.com/c/project/+/4567"},
                 {"Reviewed-by", "Bob <bob@example.com>"},
                 {"Tested-by", "CI Bot <ci@example.com>"}});
}

TEST_CASE("a Phabricator message has no trailer under git's rules") {
  // "Differential Revision" holds a space, which git allows in no key: the
  // classifier reads that line from the last paragraph itself.
  CHECK(ParseTrailers("[X86] Fold loads\n\nSummary: faster.\n\n"
                      "Differential Revision: https://reviews.llvm.org/D1234\n")
            .empty());
  CHECK(ParseTrailers("Fix\n\nReviewers: bob\n"
                      "Differential Revision: https://reviews.llvm.org/D1234\n")
            .empty());
}

TEST_CASE("a Phabricator message with hyphenated keys has trailers") {
  CHECK(ParseTrailers("Fix\n\nReviewed-By: bob\nDifferential-Revision: D12\n") ==
        Trailers{{"Reviewed-By", "bob"}, {"Differential-Revision", "D12"}});
}

TEST_CASE("a message without trailers has none") {
  CHECK(ParseTrailers("Fix a typo\n").empty());
  CHECK(ParseTrailers("Fix: a typo\n").empty());
  CHECK(ParseTrailers("Fix a typo\n\nIt was wrong.\n").empty());
  CHECK(ParseTrailers("").empty());
}

TEST_CASE("a trailer-like line in the middle of the body is no trailer") {
  CHECK(ParseTrailers("Fix\n\nReviewed-on: https://r.example.com/c/p/+/1\n"
                      "was wrong, see above.\n\nThanks to all.\n")
            .empty());
  CHECK(ParseTrailers("Fix\n\nReviewed-on: https://r.example.com/c/p/+/1\n\n"
                      "More text.\n")
            .empty());
}

TEST_CASE("a subject alone holds no trailer") {
  CHECK(ParseTrailers("Reviewed-on: https://r.example.com/c/p/+/1\n").empty());
}

TEST_CASE("a trailer value keeps its continuation lines") {
  Trailers trailers = ParseTrailers("Fix\n\nNote: one\n two\nAcked-by: A\n");
  REQUIRE(trailers.size() == 2);
  CHECK(trailers[0].first == "Note");
  CHECK(trailers[0].second == "one\n two");
}

TEST_CASE("a commit read from a repo carries its trailers") {
  test::TempDir tmp("trailers");
  test::GitRepo repo = test::GitRepo::Init(tmp / "work");
  std::string oid = repo.Commit(
      "a.txt", "a\n", "Fix\n\nChange-Id: I1\nReviewed-on: https://r.example.com/2");
  Result<Repo> opened = Repo::Open(repo.dir());
  REQUIRE(opened.has_value());
  Result<CommitData> commit = opened->Commit(oid);
  REQUIRE(commit.has_value());
  CHECK(commit->trailers ==
        Trailers{{"Change-Id", "I1"}, {"Reviewed-on", "https://r.example.com/2"}});
}

}  // namespace
}  // namespace brag::git
