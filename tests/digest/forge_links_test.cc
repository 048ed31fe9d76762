#include "digest/forge_links.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace brag::digest {
namespace {

std::string Pr(std::string_view url, int64_t n, std::string_view hint = "") {
  std::optional<ForgeRepo> repo = ParseRemoteUrl(url, hint);
  return repo ? PullRequestUrl(*repo, n) : "<none>";
}

TEST_CASE("GitHub remotes in ssh and https form link to /pull/N") {
  const char* urls[] = {
      "git@github.com:acme/payments.git",
      "https://github.com/acme/payments.git",
      "https://github.com/acme/payments",
      "https://github.com/acme/payments/",
      "ssh://git@github.com/acme/payments.git",
      "ssh://git@ssh.github.com:443/acme/payments.git",
      "git://github.com/acme/payments.git",
  };
  for (const char* url : urls) {
    INFO(url);
    CHECK(Pr(url, 481) == "https://github.com/acme/payments/pull/481");
  }
  std::optional<ForgeRepo> repo = ParseRemoteUrl("git@github.com:acme/payments.git");
  REQUIRE(repo);
  CHECK(CommitUrl(*repo, "abc123") == "https://github.com/acme/payments/commit/abc123");
}

TEST_CASE("a digest's link is the PR's page, else the commit's, else none") {
  std::optional<ForgeRepo> repo = ParseRemoteUrl("git@gitlab.com:group/project.git");
  REQUIRE(repo);
  auto link = [](const ForgeRepo* r, int64_t pr, std::string_view oid) {
    std::string out = "x";
    AppendLink(out, r, pr, oid);
    CHECK(HasLink(r, pr, oid) == (out != "x"));
    return out;
  };
  CHECK(link(&*repo, 7, "abc") == "xhttps://gitlab.com/group/project/-/merge_requests/7");
  CHECK(link(&*repo, 0, "abc") == "xhttps://gitlab.com/group/project/-/commit/abc");
  CHECK(link(&*repo, 0, "") == "x");
  CHECK(link(nullptr, 7, "abc") == "x");
}

TEST_CASE("credentials in an https remote never reach a link") {
  CHECK(Pr("https://me:ghp_secret@github.com/acme/payments.git", 1) ==
        "https://github.com/acme/payments/pull/1");
  CHECK(Pr("https://oauth2:token@gitlab.com/g/p.git", 2) ==
        "https://gitlab.com/g/p/-/merge_requests/2");
}

TEST_CASE("GitLab remotes, subgroups included, link to merge requests") {
  CHECK(Pr("git@gitlab.com:group/sub/project.git", 7) ==
        "https://gitlab.com/group/sub/project/-/merge_requests/7");
  CHECK(Pr("https://gitlab.com/group/project.git", 7) ==
        "https://gitlab.com/group/project/-/merge_requests/7");
  std::optional<ForgeRepo> repo = ParseRemoteUrl("git@gitlab.com:group/project.git");
  REQUIRE(repo);
  CHECK(CommitUrl(*repo, "abc") == "https://gitlab.com/group/project/-/commit/abc");
}

TEST_CASE("Bitbucket Cloud and Server remotes link to their pull requests") {
  CHECK(Pr("git@bitbucket.org:team/repo.git", 5) ==
        "https://bitbucket.org/team/repo/pull-requests/5");
  CHECK(Pr("https://me@bitbucket.org/team/repo.git", 5) ==
        "https://bitbucket.org/team/repo/pull-requests/5");
  CHECK(Pr("ssh://git@bitbucket.example.com:7999/pay/repo.git", 9) ==
        "https://bitbucket.example.com/projects/PAY/repos/repo/pull-requests/9");
  CHECK(Pr("https://bitbucket.example.com/scm/pay/repo.git", 9) ==
        "https://bitbucket.example.com/projects/PAY/repos/repo/pull-requests/9");
  std::optional<ForgeRepo> repo = ParseRemoteUrl("git@bitbucket.org:team/repo.git");
  REQUIRE(repo);
  CHECK(CommitUrl(*repo, "abc") == "https://bitbucket.org/team/repo/commits/abc");
}

TEST_CASE("Azure DevOps remotes in every form link to /pullrequest/N") {
  const char* urls[] = {
      "https://dev.azure.com/org/Project/_git/repo",
      "https://org@dev.azure.com/org/Project/_git/repo",
      "git@ssh.dev.azure.com:v3/org/Project/repo",
      "https://org.visualstudio.com/Project/_git/repo",
      "https://org.visualstudio.com/DefaultCollection/Project/_git/repo",
      "org@vs-ssh.visualstudio.com:v3/org/Project/repo",
  };
  for (const char* url : urls) {
    INFO(url);
    CHECK(Pr(url, 12) == "https://dev.azure.com/org/Project/_git/repo/pullrequest/12");
  }
}

TEST_CASE("a self-hosted forge is known by the PR's forge marker") {
  CHECK(Pr("git@git.example.com:team/app.git", 3, "gitlab") ==
        "https://git.example.com/team/app/-/merge_requests/3");
  CHECK(Pr("https://git.example.com/team/app.git", 3, "github") ==
        "https://git.example.com/team/app/pull/3");
  CHECK(Pr("git@github.example.com:team/app.git", 3) ==
        "https://github.example.com/team/app/pull/3");
}

TEST_CASE("local paths and unknown hosts give no link") {
  CHECK_FALSE(ParseRemoteUrl("/srv/git/app.git"));
  CHECK_FALSE(ParseRemoteUrl("../app.git"));
  CHECK_FALSE(ParseRemoteUrl("file:///srv/git/app.git"));
  CHECK_FALSE(ParseRemoteUrl("git@git.example.com:team/app.git"));
  CHECK_FALSE(ParseRemoteUrl("git@git.example.com:team/app.git", "local"));
  CHECK_FALSE(ParseRemoteUrl(""));
  CHECK_FALSE(ParseRemoteUrl("https://github.com/"));
  CHECK_FALSE(ParseRemoteUrl("https://github.com/only-owner"));
}

}  // namespace
}  // namespace brag::digest
