// What the quick hooks read from a repository as plain files, checked
// against what git itself says about the same repository.
#include "quickhook/git_files.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <zlib.h>

#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::quickhook {
namespace {

namespace fs = std::filesystem;
using test::GitRepo;

TEST_CASE("the git folder of a work tree, a linked worktree, a bare repo and $GIT_DIR") {
  test::TempDir t("quickhook");
  GitRepo repo = GitRepo::Init(t / "work");
  repo.Commit("a.txt", "a\n", "first");
  CHECK(FindGitDir(repo.dir(), nullptr) == repo.dir() / ".git");
  CHECK(FindGitDir(repo.dir(), "") == repo.dir() / ".git");
  CHECK(FindGitDir(t.path(), ".git-elsewhere") == t / ".git-elsewhere");
  CHECK(FindGitDir(t.path(), "/abs/git") == fs::path("/abs/git"));

  repo.Git("worktree add -q " + test::ShellQuote((t / "linked").string()) + " -b side");
  std::optional<fs::path> linked = FindGitDir(t / "linked", nullptr);
  REQUIRE(linked.has_value());
  CHECK(fs::equivalent(*linked, repo.dir() / ".git" / "worktrees" / "linked"));
  CHECK(fs::equivalent(CommonDir(*linked), repo.dir() / ".git"));
  CHECK(CommonDir(repo.dir() / ".git") == repo.dir() / ".git");

  GitRepo bare = GitRepo::Init(t / "bare.git", true);
  CHECK(FindGitDir(bare.dir(), nullptr) == bare.dir());
  CHECK_FALSE(FindGitDir(t / "nothing", nullptr).has_value());
}

TEST_CASE("HEAD: its branch and commit, loose, packed or detached") {
  test::TempDir t("quickhook");
  GitRepo repo = GitRepo::Init(t / "work");
  std::string first = repo.Commit("a.txt", "a\n", "first");
  std::optional<Head> head = ReadHead(repo.dir() / ".git");
  REQUIRE(head.has_value());
  CHECK(head->branch == "main");
  CHECK(head->oid == first);

  repo.Git("checkout -q -b feature/x");
  std::string second = repo.Commit("b.txt", "b\n", "second");
  repo.Git("pack-refs --all");  // no loose ref left
  REQUIRE_FALSE(fs::exists(repo.dir() / ".git" / "refs" / "heads" / "feature" / "x"));
  head = ReadHead(repo.dir() / ".git");
  REQUIRE(head.has_value());
  CHECK(head->branch == "feature/x");
  CHECK(head->oid == second);

  repo.Git("checkout -q --detach " + first);
  head = ReadHead(repo.dir() / ".git");
  REQUIRE(head.has_value());
  CHECK(head->branch == "");
  CHECK(head->oid == first);

  repo.Git("checkout -q --orphan empty");  // a branch with no commit yet
  head = ReadHead(repo.dir() / ".git");
  REQUIRE(head.has_value());
  CHECK(head->branch == "empty");
  CHECK(head->oid == "");
}

TEST_CASE("a loose commit reads as git shows it; a packed one is left to bragd") {
  test::TempDir t("quickhook");
  GitRepo repo = GitRepo::Init(t / "work");
  repo.Commit("a.txt", "a\n", "first");
  std::string oid =
      repo.Commit("b.txt", "b\n", "Cap retries\n\nBody line.\n\nImpact: 0 storms since\n",
                  "dev@example.com");
  std::optional<CommitText> commit = ReadLooseCommit(repo.dir() / ".git", oid);
  REQUIRE(commit.has_value());
  CHECK(commit->author_email == "dev@example.com");
  CHECK(std::to_string(commit->commit_time) == repo.Git("log -1 --format=%ct " + oid));
  CHECK(commit->message == repo.Git("cat-file commit " + oid).substr(
                               repo.Git("cat-file commit " + oid).find("\n\n") + 2) +
                               "\n");
  CHECK(commit->message.starts_with("Cap retries\n"));

  CHECK_FALSE(ReadLooseCommit(repo.dir() / ".git", std::string(40, '0')).has_value());
  CHECK_FALSE(ReadLooseCommit(repo.dir() / ".git", "not an oid").has_value());
  repo.Git("gc -q");
  CHECK_FALSE(ReadLooseCommit(repo.dir() / ".git", oid).has_value());
}

TEST_CASE("commit headers: signatures with spaces, a gpgsig block, a bad header") {
  std::optional<CommitText> c = ParseCommit(
      "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
      "author A B <a@b.c> 1700000000 +0100\n"
      "committer C D <c@d.e> 1700000500 -0200\n"
      "gpgsig -----BEGIN PGP SIGNATURE-----\n"
      " \n"
      " iQEz\n"
      " -----END PGP SIGNATURE-----\n"
      "\n"
      "Subject\n\nImpact: x\n");
  REQUIRE(c.has_value());
  CHECK(c->author_email == "a@b.c");
  CHECK(c->commit_time == 1700000500);
  CHECK(c->message == "Subject\n\nImpact: x\n");
  CHECK_FALSE(ParseCommit("author nobody\n\nmsg").has_value());
  CHECK_FALSE(ParseCommit("tree abc\nauthor A <a@b> 1 +0000\n").has_value());  // no body
}

TEST_CASE("remote URLs from a config file: sections, quotes, escapes, comments") {
  ConfigRemotes plain = ParseConfigRemotes(
      "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/shop.git\n"
      "\tfetch = +refs/heads/*:refs/remotes/origin/*\n[remote \"up\"]\n  URL=https://x/up.git\n");
  CHECK(plain.known);
  CHECK(plain.urls["origin"] == "git@github.com:acme/shop.git");
  CHECK(plain.urls["up"] == "https://x/up.git");

  // Section and variable names ignore case, a quoted subsection does not;
  // the older [remote.name] form is all lower case; the last url wins.
  ConfigRemotes cases = ParseConfigRemotes(
      "[REMOTE \"Origin\"]\nurl = a\n[Remote.Fork]\nurl = b\n[remote \"x\"] url = c\nurl = d\n");
  CHECK(cases.known);
  CHECK(cases.urls["Origin"] == "a");
  CHECK(cases.urls.count("origin") == 0);
  CHECK(cases.urls["fork"] == "b");
  CHECK(cases.urls["x"] == "d");

  // Values as git reads them: quotes kept out, comments outside them cut,
  // escapes, a continued line, spaces inside kept one for one, CRLF lines.
  ConfigRemotes values = ParseConfigRemotes(
      "# comment\n; another\n[remote \"q\"]\n\turl = \"https://x/a b#c\" ; note\r\n"
      "[remote \"e\"]\n\turl = https://x/\\\"e\\\\ # trailing comment\n"
      "[remote \"c\"]\n\turl = https://x/\\\n  tail\n"
      "[remote \"s\"]\n\turl =   one\t two  \n");
  CHECK(values.known);
  CHECK(values.urls["q"] == "https://x/a b#c");
  CHECK(values.urls["e"] == "https://x/\"e\\");
  CHECK(values.urls["c"] == "https://x/  tail");
  CHECK(values.urls["s"] == "one  two");

  // What it leaves to libgit2: includes, per-worktree config, bad syntax.
  CHECK_FALSE(ParseConfigRemotes("[include]\n\tpath = other\n").known);
  CHECK_FALSE(ParseConfigRemotes("[includeIf \"gitdir:~/w/\"]\n\tpath = w\n").known);
  CHECK_FALSE(ParseConfigRemotes("[extensions]\n\tworktreeConfig = true\n").known);
  CHECK_FALSE(ParseConfigRemotes("[remote \"o\"]\n\turl = \"open quote\n").known);
  CHECK_FALSE(ParseConfigRemotes("[remote \"o\"\n").known);
  CHECK_FALSE(ParseConfigRemotes("[remote \"o\"]\n\turl = bad \\q escape\n").known);
  CHECK_FALSE(ParseConfigRemotes("= no name\n").known);
  CHECK(ParseConfigRemotes("").known);
  CHECK(ParseConfigRemotes("").urls.empty());
}

TEST_CASE("remote URLs read from a repo's config agree with git config") {
  test::TempDir t("quickhook");
  GitRepo repo = GitRepo::Init(t / "work");
  repo.Commit("a.txt", "a\n", "first");
  // git writes the quoting: a URL with spaces, quotes, a backslash and '#'.
  const std::string odd = "https://example.com/a b/\"q\"\\x#y;z";
  repo.Git("remote add origin git@github.com:acme/shop.git");
  repo.Git("remote add odd " + test::ShellQuote(odd));
  repo.Git("config remote.origin.url git@gitlab.com:acme/shop.git");  // replaces it
  ConfigRemotes read = ReadConfigRemotes(repo.dir());
  REQUIRE(read.known);
  CHECK(read.urls["origin"] == repo.Git("config --get remote.origin.url"));
  CHECK(read.urls["odd"] == odd);
  CHECK(read.urls["odd"] == repo.Git("config --get remote.odd.url"));

  // A linked worktree reads the repository's config.
  repo.Git("worktree add -q " + test::ShellQuote((t / "linked").string()) + " -b side");
  CHECK(ReadConfigRemotes(t / "linked").urls == read.urls);
  // No repository there: unknown.
  CHECK_FALSE(ReadConfigRemotes(t / "nothing").known);
}

}  // namespace
}  // namespace brag::quickhook

namespace brag::quickhook {
namespace {

std::string Deflate(const std::string& raw) {
  uLongf size = compressBound(raw.size());
  std::string out(size, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(out.data()), &size,
                   reinterpret_cast<const Bytef*>(raw.data()), raw.size()) == Z_OK);
  out.resize(size);
  return out;
}

TEST_CASE("HEAD text and packed-refs are parsed from buffers") {
  std::string ref;
  std::optional<Head> head = ParseHeadText("ref: refs/heads/feature/x\n", &ref);
  REQUIRE(head.has_value());
  CHECK(ref == "refs/heads/feature/x");
  CHECK(head->branch == "feature/x");
  CHECK(head->oid.empty());
  const std::string oid(40, 'b');
  head = ParseHeadText(oid + "\n", &ref);
  REQUIRE(head.has_value());
  CHECK(ref.empty());
  CHECK(head->oid == oid);
  CHECK_FALSE(ParseHeadText("garbage", &ref).has_value());
  std::string packed = "# pack-refs with: peeled\n" + std::string(40, 'c') +
                       " refs/heads/other\n" + oid + " refs/heads/main\n^" +
                       std::string(40, 'd') + "\n";
  CHECK(FindPackedRef(packed, "refs/heads/main") == oid);
  CHECK(FindPackedRef(packed, "refs/heads/none").empty());
}

TEST_CASE("a loose object inflates and parses as a commit; a zip bomb does not inflate") {
  using namespace std::string_literals;
  const std::string object =
      "commit 60\0tree x\nauthor A <a@example.com> 5 +0000\n"
      "committer C <c@example.com> 7 +0000\n\nsubject\n"s;
  std::optional<std::string> inflated = InflateObject(Deflate(object));
  REQUIRE(inflated.has_value());
  std::optional<CommitText> commit = ParseCommitObject(*inflated);
  REQUIRE(commit.has_value());
  CHECK(commit->author_email == "a@example.com");
  CHECK(commit->commit_time == 7);
  CHECK(commit->message == "subject\n");
  CHECK_FALSE(InflateObject("not zlib").has_value());
  // 65 MiB of zeros deflate to ~64 KB; inflating stops at the cap.
  std::string zeros(kMaxLooseObjectBytes + 1024 * 1024, '\0');
  zeros.replace(0, 8, "commit 0");
  std::string bomb = Deflate(zeros);
  CHECK(bomb.size() < 1024 * 1024);
  CHECK_FALSE(InflateObject(bomb).has_value());
}

}  // namespace
}  // namespace brag::quickhook
