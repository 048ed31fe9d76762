// Which mainline commits are PRs (DESIGN §5), from their shape alone.
#include "detect/forge_marker.h"

#include <doctest/doctest.h>

namespace brag::detect {
namespace {

const std::vector<std::string> kMainlines = {"main", "master", "trunk", "develop"};

std::optional<ForgeMarker> Classify(const std::string& message, int parents) {
  CommitFacts facts;
  facts.oid = std::string(40, 'a');
  facts.parent_count = parents;
  facts.message = message;
  facts.author_email = "me@example.com";
  return ClassifyCommit(facts, kMainlines);
}

TEST_CASE("a GitHub merge commit is a PR with its number, branch and title") {
  auto m = Classify(
      "Merge pull request #42 from alice/add-index\n\nAdd composite index on orders\n",
      2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "github");
  CHECK(m->number == 42);
  CHECK(m->branch == "add-index");
  CHECK(m->title == "Add composite index on orders");
  CHECK(m->is_merge);
}

TEST_CASE("a GitHub merge keeps the slashes of its branch name") {
  auto m = Classify("Merge pull request #7 from alice/feat/x\n\nX\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->branch == "feat/x");
}

TEST_CASE("a GitHub merge without a body takes its subject as title") {
  auto m = Classify("Merge pull request #7 from alice/feat\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->title == "Merge pull request #7 from alice/feat");
}

TEST_CASE("a GitHub merge title is the first non-empty line of the body") {
  auto m = Classify("Merge pull request #8 from a/b\n\n\n  Fix the thing  \nmore\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->title == "Fix the thing");
}

TEST_CASE("a merge-pull-request subject on a one-parent commit is no GitHub merge") {
  CHECK_FALSE(Classify("Merge pull request #7 from alice/feat\n\nX\n", 1).has_value());
}

TEST_CASE("a GitHub squash is a PR titled without its number") {
  auto m = Classify("Add composite index on orders (#42)\n\n* wip\n* more\n", 1);
  REQUIRE(m.has_value());
  CHECK(m->forge == "github");
  CHECK(m->number == 42);
  CHECK(m->title == "Add composite index on orders");
  CHECK(m->branch.empty());
  CHECK_FALSE(m->is_merge);
}

TEST_CASE("a squash subject may end in whitespace") {
  auto m = Classify("Speed up login (#9)  \r\n", 1);
  REQUIRE(m.has_value());
  CHECK(m->number == 9);
  CHECK(m->title == "Speed up login");
}

TEST_CASE("a PR number that is not at the end of the subject is a mere reference") {
  CHECK_FALSE(Classify("Follow-up to (#12): tidy names\n", 1).has_value());
  CHECK_FALSE(Classify("Revert \"Add thing (#12)\"\n", 1).has_value());
  CHECK_FALSE(Classify("Fix thing (#)\n", 1).has_value());
  CHECK_FALSE(Classify("Fix thing (#12a)\n", 1).has_value());
  CHECK_FALSE(Classify("Fix thing\n\nSee (#12)\n", 1).has_value());
  CHECK_FALSE(Classify("(#12)\n", 1).has_value());
}

TEST_CASE("a plain commit, a root commit and an octopus merge are no PRs") {
  CHECK_FALSE(Classify("Fix a typo\n", 1).has_value());
  CHECK_FALSE(Classify("Initial commit (#1)\n", 0).has_value());
  CHECK_FALSE(Classify("Merge branches 'a', 'b' and 'c'\n", 3).has_value());
  CHECK_FALSE(Classify("Merge pull request #3 from a/b\n\nX\n", 3).has_value());
}

TEST_CASE("a local merge of a branch is a local PR named after the branch") {
  auto m = Classify("Merge branch 'feature'\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "local");
  CHECK(m->number == 0);
  CHECK(m->branch == "feature");
  CHECK(m->title == "Merge branch 'feature'");
  CHECK(m->is_merge);

  auto into = Classify("Merge branch 'fix/login' into main\n", 2);
  REQUIRE(into.has_value());
  CHECK(into->branch == "fix/login");
}

TEST_CASE("a local merge of a remote-tracking branch drops the remote") {
  auto m = Classify("Merge remote-tracking branch 'origin/feature/x'\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "local");
  CHECK(m->branch == "feature/x");
}

TEST_CASE("merging a mainline or pulling is a sync, not a PR") {
  CHECK_FALSE(Classify("Merge branch 'main' of github.com:o/r\n", 2).has_value());
  CHECK_FALSE(
      Classify("Merge branch 'main' of https://github.com/o/r\n", 2).has_value());
  CHECK_FALSE(Classify("Merge remote-tracking branch 'origin/main'\n", 2).has_value());
  CHECK_FALSE(Classify("Merge remote-tracking branch 'upstream/develop' into main\n", 2)
                  .has_value());
  CHECK_FALSE(Classify("Merge branch 'master'\n", 2).has_value());
  CHECK_FALSE(Classify("Merge branch 'trunk' into feature\n", 2).has_value());
}

TEST_CASE("a merge with a message of its own and no forge marker is no PR") {
  CHECK_FALSE(
      Classify("Bring in the new billing flow\n\nLong story.\n", 2).has_value());
}

TEST_CASE("pulling a topic branch from another repo is a local PR of that branch") {
  auto m = Classify("Merge branch 'feature' of https://github.com/o/r into main\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->forge == "local");
  CHECK(m->branch == "feature");
}

TEST_CASE("a branch counts as a mainline only by its exact name") {
  auto m = Classify("Merge branch 'main-fix'\n", 2);
  REQUIRE(m.has_value());
  CHECK(m->branch == "main-fix");
}

TEST_CASE("co-authors are read from Co-authored-by trailers, any case") {
  std::string message =
      "Add index (#4)\n\n"
      "* first try\n\n"
      "Co-authored-by: Alice <alice@example.com>\n"
      "co-authored-by: Bob B. <Bob@Example.com>\n"
      "CO-AUTHORED-BY:Carol<carol@example.com>\n"
      "Signed-off-by: Dan <dan@example.com>\n";
  std::vector<std::string> emails = CoAuthorEmails(message);
  CHECK(emails == std::vector<std::string>{"alice@example.com", "Bob@Example.com",
                                           "carol@example.com"});
}

TEST_CASE("co-author lines without an email, or in the subject, name no one") {
  CHECK(CoAuthorEmails("Co-authored-by: X <x@example.com>\n").empty());
  CHECK(CoAuthorEmails("Fix\n\nCo-authored-by: Nobody\nCo-authored-by: <>\n").empty());
  CHECK(CoAuthorEmails("Fix\n\nCo-authored-by-bot: A <a@example.com>\n").empty());
  CHECK(CoAuthorEmails("").empty());
}

TEST_CASE("co-authors in the body of a squash count as well as the final ones") {
  std::string message =
      "Add index (#4)\n\n"
      "* wip\n"
      "  Co-authored-by: Alice <alice@example.com>\n\n"
      "* done\n\n"
      "Co-authored-by: Bob <bob@example.com>\n";
  CHECK(CoAuthorEmails(message) ==
        std::vector<std::string>{"alice@example.com", "bob@example.com"});
}

TEST_CASE("an identity matches whatever the case and surrounding spaces") {
  std::vector<std::string> ids = {"Me@Example.com", " work@corp.example "};
  CHECK(IsIdentity("me@example.com", ids));
  CHECK(IsIdentity("ME@EXAMPLE.COM ", ids));
  CHECK(IsIdentity("work@corp.example", ids));
  CHECK_FALSE(IsIdentity("you@example.com", ids));
  CHECK_FALSE(IsIdentity("me@example.co", ids));
  CHECK_FALSE(IsIdentity("", ids));
  CHECK_FALSE(IsIdentity("me@example.com", {}));
}

}  // namespace
}  // namespace brag::detect

#include "detect/author_set.h"

namespace brag::detect {

TEST_CASE("an author set keeps each email once, lower-cased and trimmed, in order") {
  AuthorSet set;
  set.Add(" Me@Example.com ");
  set.Add("pal@example.com");
  set.Add("me@example.COM");
  set.Add("   ");
  CHECK(set.Take() == std::vector<std::string>{"me@example.com", "pal@example.com"});
}

}  // namespace brag::detect
