// Every forge shape of DESIGN §5 beyond GitHub's, and the look-alikes that
// must stay no PR. Trailers are given as git::ParseTrailers would read them.
#include <doctest/doctest.h>

#include "detect/forge_marker.h"

namespace brag::detect {
namespace {

using Trailers = std::vector<std::pair<std::string, std::string>>;

const std::vector<std::string> kMainlines = {"main", "master", "develop"};

std::optional<ForgeMarker> Classify(const std::string& message, int parents,
                                    Trailers trailers = {}) {
  CommitFacts facts;
  facts.oid = std::string(40, 'b');
  facts.parent_count = parents;
  facts.message = message;
  facts.author_email = "me@example.com";
  facts.trailers = std::move(trailers);
  return ClassifyCommit(facts, kMainlines);
}

TEST_CASE("a GitLab merge commit is an MR with its number, branch and title") {
  auto m = Classify(
      "Merge branch 'feature/login' into 'main'\n\n"
      "Speed up login\n\n"
      "Closes #4\n\n"
      "See merge request group/sub/project!123\n",
      2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "gitlab");
  CHECK(m->number == 123);
  CHECK(m->branch == "feature/login");
  CHECK(m->title == "Speed up login");
  CHECK(m->is_merge);
}

TEST_CASE("a GitLab merge may name its MR by URL") {
  auto m = Classify(
      "Merge branch 'fix' into 'main'\n\n"
      "Fix the cache\n\n"
      "See merge request https://gitlab.example.com/grp/proj/-/merge_requests/77\n",
      2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "gitlab");
  CHECK(m->number == 77);
  CHECK(m->branch == "fix");
  CHECK(m->title == "Fix the cache");
}

TEST_CASE("a GitLab merge with no title in its body takes its subject") {
  auto m = Classify("Merge branch 'fix' into 'main'\n\nSee merge request g/p!5\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->number == 5);
  CHECK(m->title == "Merge branch 'fix' into 'main'");
}

TEST_CASE("a GitLab squash that kept its merge request line is an MR") {
  auto m = Classify("Speed up login\n\nSee merge request group/project!9\n", 1);
  REQUIRE(m.has_value());
  CHECK(m->forge == "gitlab");
  CHECK(m->number == 9);
  CHECK(m->title == "Speed up login");
  CHECK(m->branch.empty());
  CHECK_FALSE(m->is_merge);
}

TEST_CASE("a GitLab merge of a mainline into a branch is a sync") {
  CHECK_FALSE(Classify("Merge branch 'main' into 'feature'\n\n"
                       "Update feature\n\nSee merge request g/p!8\n",
                       2)
                  .has_value());
  CHECK_FALSE(Classify("Merge branch 'main' into 'feature'\n", 2).has_value());
}

TEST_CASE("a merge of a mainline into a feature branch is a sync") {
  CHECK_FALSE(Classify("Merge branch 'main' into feature\n", 2).has_value());
  CHECK_FALSE(Classify("Merge branch 'develop' into feature/x\n", 2).has_value());
}

TEST_CASE("a merge request line that names no number marks nothing") {
  auto m = Classify("Merge branch 'fix' into 'main'\n\nSee merge request g/p!\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "local");
  CHECK_FALSE(Classify("Fix\n\nSee merge request soon\n", 1).has_value());
}

TEST_CASE("a Bitbucket Cloud merge is a PR titled by its body") {
  auto m = Classify(
      "Merged in feature/x (pull request #31)\n\n"
      "Add retries\n\n"
      "Approved-by: Bob <bob@example.com>\n",
      2, {{"Approved-by", "Bob <bob@example.com>"}});
  REQUIRE(m.has_value());
  CHECK(m->forge == "bitbucket");
  CHECK(m->number == 31);
  CHECK(m->branch == "feature/x");
  CHECK(m->title == "Add retries");
  CHECK(m->is_merge);
}

TEST_CASE("a Bitbucket Cloud squash with only trailers is titled by its subject") {
  auto m = Classify(
      "Merged in fix (pull request #4)\n\nApproved-by: Bob <bob@example.com>\n", 1,
      {{"Approved-by", "Bob <bob@example.com>"}});
  REQUIRE(m.has_value());
  CHECK(m->forge == "bitbucket");
  CHECK(m->number == 4);
  CHECK(m->branch == "fix");
  CHECK(m->title == "Merged in fix (pull request #4)");
  CHECK_FALSE(m->is_merge);
}

TEST_CASE("a Bitbucket Server merge names its source branch in its subject") {
  auto m = Classify(
      "Merge pull request #12 in PROJ/repo from feature/x to main\n\n"
      "* commit 'abc123':\n  wip\n",
      2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "bitbucket");
  CHECK(m->number == 12);
  CHECK(m->branch == "feature/x");
  CHECK(m->title == "Merge pull request #12 in PROJ/repo from feature/x to main");
  CHECK(m->is_merge);

  auto titled =
      Classify("Merge pull request #13 in PROJ/repo from fix to main\n\nFix it\n", 2);
  REQUIRE(titled.has_value());
  CHECK(titled->title == "Fix it");
}

TEST_CASE("a Bitbucket Server pull request subject takes its branch from the body") {
  auto m = Classify(
      "Pull request #45: Add composite index\n\n"
      "Merge in PROJ/repo from feature/index to main\n\n"
      "* commit 'abc123':\n  Add index\n",
      2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "bitbucket");
  CHECK(m->number == 45);
  CHECK(m->branch == "feature/index");
  CHECK(m->title == "Add composite index");
  CHECK(m->is_merge);

  auto squash = Classify(
      "Pull request #46: Tidy\n\nMerge in PROJ/repo from ~ME/repo:tidy to main\n", 1);
  REQUIRE(squash.has_value());
  CHECK(squash->branch == "tidy");
  CHECK_FALSE(squash->is_merge);
}

TEST_CASE("a pull request subject without Bitbucket's merge line is no PR") {
  CHECK_FALSE(Classify("Pull request #45: Add index\n\nSome text\n", 1).has_value());
}

TEST_CASE("an Azure DevOps merge or squash is a PR of no known branch") {
  auto m = Classify("Merged PR 123: Add composite index\n\nDetails\n", 1);
  REQUIRE(m.has_value());
  CHECK(m->forge == "azure");
  CHECK(m->number == 123);
  CHECK(m->title == "Add composite index");
  CHECK(m->branch.empty());
  CHECK_FALSE(m->is_merge);

  auto merge = Classify("Merged PR 7: Fix\n", 2);
  REQUIRE(merge.has_value());
  CHECK(merge->forge == "azure");
  CHECK(merge->is_merge);
}

TEST_CASE("Merged PR in the body but not the subject is no Azure PR") {
  CHECK_FALSE(Classify("Fix a typo\n\nMerged PR 123: Add index\n", 1).has_value());
  // A merge with a custom subject and no marker of its own is no PR at all.
  CHECK_FALSE(Classify("Fix a typo\n\nMerged PR 123: Add index\n", 2).has_value());
}

TEST_CASE("a Gerrit change is recognised by its Reviewed-on trailer") {
  std::string message =
      "Add composite index\n\nLonger text.\n\n"
      "Change-Id: I0123456789abcdef\n"
      "Reviewed-on: https://review.example.com/c/project/+/4567\n";
  auto m = Classify(message, 1,
                    {{"Change-Id", "I0123456789abcdef"},
                     {"Reviewed-on", "https://review.example.com/c/project/+/4567"}});
  REQUIRE(m.has_value());
  CHECK(m->forge == "gerrit");
  CHECK(m->number == 4567);
  CHECK(m->title == "Add composite index");
  CHECK(m->branch.empty());
  CHECK_FALSE(m->is_merge);

  auto old = Classify("Fix\n\nReviewed-on: https://review.example.com/890\n", 1,
                      {{"Reviewed-on", "https://review.example.com/890"}});
  REQUIRE(old.has_value());
  CHECK(old->number == 890);
}

TEST_CASE("a Reviewed-on line outside the trailer block is no Gerrit change") {
  // ParseTrailers finds no trailer in such a message; the body is not read.
  CHECK_FALSE(
      Classify("Fix\n\nReviewed-on: https://r.example.com/c/p/+/1\nwas wrong.\n", 1)
          .has_value());
  CHECK_FALSE(
      Classify("Fix\n\nSee\n", 1, {{"Reviewed-on", "https://r.example.com/c/p"}})
          .has_value());
}

TEST_CASE("a Phabricator revision is recognised by its Differential Revision line") {
  auto m = Classify(
      "[X86] Fold loads\n\nSummary: faster.\n\n"
      "Differential Revision: https://reviews.llvm.org/D1234\n",
      1);
  REQUIRE(m.has_value());
  CHECK(m->forge == "phabricator");
  CHECK(m->number == 1234);
  CHECK(m->title == "[X86] Fold loads");
  CHECK_FALSE(m->is_merge);

  auto bare = Classify("Fix\n\nDifferential Revision: D77\n", 1);
  REQUIRE(bare.has_value());
  CHECK(bare->number == 77);
}

TEST_CASE("a Differential Revision line in the middle of the body is no revision") {
  CHECK_FALSE(
      Classify("Fix\n\nDifferential Revision: D77\n\nMore text.\n", 1).has_value());
  CHECK_FALSE(Classify("Fix\n\nDifferential Revision: none\n", 1).has_value());
}

TEST_CASE("a GitHub squash suffix still needs to end the subject") {
  CHECK_FALSE(Classify("Follow-up to (#12) for login\n", 1).has_value());
  auto m = Classify("Speed up login (#12)\n", 1);
  REQUIRE(m.has_value());
  CHECK(m->forge == "github");
}

}  // namespace
}  // namespace brag::detect
