// DESIGN §5 as issue 13 left it: GitHub merges titled by the PR, local
// merges only with git's own subjects and only of topic branches (their
// number from a pr/N-style branch or "(PR #N)"), `[detect] long_lived`,
// `Merge tag` and unmarked merges that are no PRs, and `[detect] coauthor`.
// Every expectation is a hand-written row.
#include <doctest/doctest.h>

#include "detect/forge_marker.h"

namespace brag::detect {
namespace {

std::optional<ForgeMarker> Classify(const std::string& subject, int parents,
                                    const DetectOptions& options) {
  CommitFacts facts;
  facts.oid = std::string(40, 'c');
  facts.parent_count = parents;
  facts.message = subject + "\n";
  facts.author_email = "me@example.com";
  return ClassifyCommit(facts, options);
}

DetectOptions Defaults() {
  DetectOptions options;
  options.mainlines = {"main", "master", "trunk", "develop"};
  return options;
}

// A row: the subject of a commit with `parents` parents, and what it is.
struct Row {
  const char* subject;
  int parents;
  const char* forge;  // nullptr: no PR
  int64_t number;
  const char* branch;
};

void CheckRows(const std::vector<Row>& rows, const DetectOptions& options) {
  for (const Row& row : rows) {
    CAPTURE(row.subject);
    std::optional<ForgeMarker> m = Classify(row.subject, row.parents, options);
    if (row.forge == nullptr) {
      CHECK_FALSE(m.has_value());
      continue;
    }
    REQUIRE(m.has_value());
    CHECK(m->forge == row.forge);
    CHECK(m->number == row.number);
    CHECK(m->branch == row.branch);
  }
}

TEST_CASE("a merge commit titled by the PR is a GitHub PR with its number") {
  std::optional<ForgeMarker> m =
      Classify("Switch to pyproject.toml (#2438)", 2, Defaults());
  REQUIRE(m.has_value());
  CHECK(m->forge == "github");
  CHECK(m->number == 2438);
  CHECK(m->title == "Switch to pyproject.toml");
  CHECK(m->branch.empty());
  CHECK(m->is_merge);
  CheckRows(
      {
          {"Bump actions/checkout from 4.1.1 to 4.1.2 (#5420)", 2, "github", 5420, ""},
          {"release version 3.0.3 (#5461)", 2, "github", 5461, ""},
          {"fix (#12) in the docs", 2, nullptr, 0, ""},
          {"(#12)", 2, nullptr, 0, ""},
          {"Add a thing (#x)", 2, nullptr, 0, ""},
      },
      Defaults());
}

TEST_CASE("a local merge takes its number from a pr/N-style branch or (PR #N)") {
  CheckRows(
      {
          {"Merge branch 'pr/5853'", 2, "local", 5853, "pr/5853"},
          {"Merge branch 'pull/17'", 2, "local", 17, "pull/17"},
          {"Merge branch 'pr-42' into main", 2, "local", 42, "pr-42"},
          {"Merge branch '5853'", 2, "local", 5853, "5853"},
          {"Merge remote-tracking branch 'origin/pr/88'", 2, "local", 88, "pr/88"},
          {"Merge branch 'origin/pr/99'", 2, "local", 99, "pr/99"},
          {"Merge branch 'upstream/pull/7' into main", 2, "local", 7, "pull/7"},
          {"Merge branch 'fix-login' (PR #5712)", 2, "local", 5712, "fix-login"},
          {"Merge branch 'fix-login' into main (PR #5712)", 2, "local", 5712,
           "fix-login"},
          {"Merge branch 'fix-login'", 2, "local", 0, "fix-login"},
          {"Merge branch 'pr/x'", 2, "local", 0, "pr/x"},
          {"Merge branch 'pr/0'", 2, "local", 0, "pr/0"},
          {"Merge branch 'pr-12-login'", 2, "local", 0, "pr-12-login"},
          {"Merge branch 'feature' of github.com:o/r", 2, "local", 0, "feature"},
          {"Merge branch 'feature' of https://example.com/r.git into main", 2, "local",
           0, "feature"},
          {"Merge remote branch 'mattd/extensions-docs'", 2, "local", 0,
           "extensions-docs"},
          {"Merge remote-tracking branch 'plaes/testing-redirects'", 2, "local", 0,
           "testing-redirects"},
          {"Merge branch 'new-dispatch' into blueprints", 2, "local", 0,
           "new-dispatch"},
      },
      Defaults());
}

TEST_CASE("a merge of a long-lived branch is a sync, whatever the remote") {
  CheckRows(
      {
          {"Merge branch '8.1.x'", 2, nullptr, 0, ""},
          {"Merge remote-tracking branch 'origin/8.0.x'", 2, nullptr, 0, ""},
          {"Merge remote-tracking branch 'origin/2.3.x' into main", 2, nullptr, 0, ""},
          {"Merge remote-tracking branch 'upstream/0.10-maintenance'", 2, nullptr, 0,
           ""},
          {"Merge remote-tracking branch 'sourya/master'", 2, nullptr, 0, ""},
          {"Merge branch 'origin/2.2.x'", 2, nullptr, 0, ""},
          {"Merge branch 'stable'", 2, nullptr, 0, ""},
          {"Merge branch 'stable-3'", 2, nullptr, 0, ""},
          {"Merge branch 'development'", 2, nullptr, 0, ""},
          {"Merge branch 'dev'", 2, nullptr, 0, ""},
          {"Merge branch 'next'", 2, nullptr, 0, ""},
          {"Merge branch 'release-2.0'", 2, nullptr, 0, ""},
          {"Merge branch 'release/3.1' into main", 2, nullptr, 0, ""},
          {"Merge branch '0.10-maintenance'", 2, nullptr, 0, ""},
          {"Merge branch '2.0'", 2, nullptr, 0, ""},
          {"Merge branch '10.4.2'", 2, nullptr, 0, ""},
          {"Merge branch 'v2'", 2, nullptr, 0, ""},
          {"Merge branch 'v1.4.x' into main", 2, nullptr, 0, ""},
          {"Merge branch 'main' into feature", 2, nullptr, 0, ""},
          {"Merge branch 'develop'", 2, nullptr, 0, ""},
          {"Merge branch 'trunk' of github.com:o/r", 2, nullptr, 0, ""},
          // A pull of a topic branch into itself.
          {"Merge branch 'blueprints' of github.com:m/f into blueprints", 2, nullptr, 0,
           ""},
          {"Merge remote-tracking branch 'origin/pip' into pip", 2, nullptr, 0, ""},
          // Names that only look long-lived are topics.
          {"Merge branch 'devops-docs'", 2, "local", 0, "devops-docs"},
          {"Merge branch 'fix-2.0-crash'", 2, "local", 0, "fix-2.0-crash"},
          {"Merge branch 'nextjs-example'", 2, "local", 0, "nextjs-example"},
          {"Merge branch 'vendor-update'", 2, "local", 0, "vendor-update"},
      },
      Defaults());
}

TEST_CASE("a forge merge of a long-lived branch is a sync, a fork's mainline is not") {
  CheckRows(
      {
          {"Merge pull request #4835 from TehBrian/2.2.x", 2, nullptr, 0, ""},
          {"Merge pull request #5102 from pallets/release-2.3.2", 2, nullptr, 0, ""},
          {"Merge pull request #2962 from garenchan/dev", 2, nullptr, 0, ""},
          {"Merge pull request #77 from o/stable", 2, nullptr, 0, ""},
          {"Merged in release/2.0 (pull request #9)", 2, nullptr, 0, ""},
          {"Merge pull request #5077 from EtiennePelletier/master", 2, "github", 5077,
           "master"},
          {"Merge pull request #4686 from Jalkhov/main", 2, "github", 4686, "main"},
          {"Merge pull request #5 from o/feature/2.0-docs", 2, "github", 5,
           "feature/2.0-docs"},
          {"Merged in feature/x (pull request #10)", 2, "bitbucket", 10, "feature/x"},
      },
      Defaults());
  CHECK_FALSE(Classify("Merge branch 'release-1.2' into 'main'\n\nRelease\n\n"
                       "See merge request g/p!4",
                       2, Defaults())
                  .has_value());
  std::optional<ForgeMarker> mr =
      Classify("Merge branch 'login' into 'main'\n\nLogin\n\nSee merge request g/p!4",
               2, Defaults());
  REQUIRE(mr.has_value());
  CHECK(mr->forge == "gitlab");
  CHECK(mr->number == 4);
}

TEST_CASE("Merge tag, Merge commit and a merge with a message of its own are no PRs") {
  CheckRows(
      {
          {"Merge tag 'v1.2.0'", 2, nullptr, 0, ""},
          {"Merge tag 'v1.2.0' into main", 2, nullptr, 0, ""},
          {"Merge tag 'for-linus' of git://git.kernel.org/pub/x", 2, nullptr, 0, ""},
          {"Merge commit 'abc1234'", 2, nullptr, 0, ""},
          {"Release 3.0", 2, nullptr, 0, ""},
          {"merged with 0.7-maintenance", 2, nullptr, 0, ""},
          {"Merge branch '0.8-maintenance' and push to 0.9", 2, nullptr, 0, ""},
          {"Merge branch 'login' and fix the tests", 2, nullptr, 0, ""},
          {"Merge pull request from GHSA-m2qf-hxjv-5gpq", 2, nullptr, 0, ""},
          {"Merge branch ''", 2, nullptr, 0, ""},
          {"Merge branch 'x' into", 2, nullptr, 0, ""},
          {"Merge branch 'login'", 1, nullptr, 0, ""},
      },
      Defaults());
}

TEST_CASE("long_lived and remotes replace the defaults") {
  DetectOptions options = Defaults();
  options.long_lived = {"prod", "hotfix-*"};
  options.remotes = {"fork"};
  CheckRows(
      {
          {"Merge branch 'prod'", 2, nullptr, 0, ""},
          {"Merge branch 'fork/prod'", 2, nullptr, 0, ""},
          {"Merge branch 'hotfix-12'", 2, nullptr, 0, ""},
          {"Merge pull request #3 from o/prod", 2, nullptr, 0, ""},
          {"Merge branch '2.2.x'", 2, "local", 0, "2.2.x"},
          {"Merge branch 'origin/pr/5'", 2, "local", 0, "origin/pr/5"},
          {"Merge branch 'fork/pr/5'", 2, "local", 5, "pr/5"},
          // Mainlines stay long-lived whatever the globs.
          {"Merge branch 'main'", 2, nullptr, 0, ""},
      },
      options);
  options.long_lived.clear();
  CHECK(Classify("Merge branch 'stable'", 2, options).has_value());
  CHECK_FALSE(Classify("Merge branch 'master'", 2, options).has_value());
}

TEST_CASE("the default long-lived globs are those of DESIGN §5") {
  CHECK(DetectOptions::DefaultLongLived() ==
        std::vector<std::string>{"dev", "development", "next", "stable*", "release*",
                                 "*maint*", "*.x", "[0-9]*.*[0-9]", "v[0-9]*"});
  DetectOptions options = Defaults();
  CHECK(IsLongLived("origin/2.2.x", options));
  CHECK(IsLongLived("main", options));
  CHECK(IsLongLived("upstream/stable", options));
  CHECK_FALSE(IsLongLived("feature/x", options));
  CHECK_FALSE(IsLongLived("5853", options));
}

TEST_CASE("with coauthor ignore, a PR the user only co-authored is not theirs") {
  const std::vector<std::string> me = {"Me@Example.com"};
  struct Case {
    std::vector<std::string> commit_authors;
    std::vector<std::string> authors;
    bool prompt;
    bool ignore;
  };
  const std::vector<Case> cases = {
      {{"mate@example.com"}, {"mate@example.com", "me@example.com"}, true, false},
      {{"me@example.com"}, {"me@example.com"}, true, true},
      {{"mate@example.com", "me@example.com"},
       {"mate@example.com", "me@example.com"},
       true,
       true},
      {{"mate@example.com"}, {"mate@example.com"}, false, false},
      {{}, {}, false, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.authors.size());
    CHECK(IsUsersPr(c.commit_authors, c.authors, me, CoauthorRule::kPrompt) ==
          c.prompt);
    CHECK(IsUsersPr(c.commit_authors, c.authors, me, CoauthorRule::kIgnore) ==
          c.ignore);
  }
}

}  // namespace
}  // namespace brag::detect
