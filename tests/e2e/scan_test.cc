// The real brag binary scanning real repositories' history: what it lists,
// for whom, and what --record leaves in the journal, bragd down or up.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/bragd_process.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct ScanRun {
  int code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the real brag with the world's config, stdout and stderr apart.
ScanRun Brag(const World& world, const std::string& args) {
  fs::path err = world.root() / "stderr.txt";
  CommandResult r = RunCommand("{ BRAG_CONFIG=" + ShellQuote(world.config().string()) +
                               " " BRAG_BIN " " + args + " < /dev/null 2> " +
                               ShellQuote(err.string()) + "; }");
  return ScanRun{r.code, r.output, ReadFile(err)};
}

#define REQUIRE_OK(run) REQUIRE_MESSAGE((run).code == 0, (run).err)

// A history with two PRs of mine (a GitHub merge, a squash), one of a
// teammate's and a plain commit.
GitRepo MakeHistory(const World& world, const std::string& name = "app") {
  GitRepo repo = GitRepo::Init(world.repos() / name);
  repo.Commit("README", "hello\n", "initial commit");
  repo.GithubMerge(481, "orders-index", "Add composite index on orders",
                   "me@example.com");
  repo.GithubMerge(482, "theirs", "Their work", "mate@example.com");
  repo.GithubSquash(483, "Cache the catalogue", "me@example.com");
  repo.Commit("plain.txt", "x\n", "A plain commit", "me@example.com");
  return repo;
}

std::vector<int64_t> Numbers(const std::vector<json>& items) {
  std::vector<int64_t> numbers;
  for (const json& item : items) numbers.push_back(item["pr"].get<int64_t>());
  return numbers;
}

TEST_CASE("scan --json prints one object per PR of mine with the protocol's fields") {
  World world;
  GitRepo repo = MakeHistory(world);
  ScanRun r = Brag(world, "scan " + ShellQuote(repo.dir().string()) + " --json");
  REQUIRE_OK(r);
  CHECK(r.err == "");
  std::vector<json> items = JsonLines(r.out);
  REQUIRE(items.size() == 2);
  CHECK(Numbers(items) == std::vector<int64_t>{483, 481});
  const json& merge = items[1];
  CHECK(merge["kind"] == "pr_merged");
  CHECK(merge["forge"] == "github");
  CHECK(merge["title"] == "Add composite index on orders");
  CHECK(merge["branch"] == "orders-index");
  CHECK(merge["commit"] == repo.Rev("HEAD~3"));
  CHECK(merge["authors"] == json::array({"me@example.com"}));
  CHECK(merge["time"].get<std::string>().ends_with("Z"));
  CHECK(merge["repo"] == repo.dir().string());
  CHECK(items[0]["branch"].is_null());
}

TEST_CASE("scan without --json prints a line per PR") {
  World world;
  GitRepo repo = MakeHistory(world);
  ScanRun r = Brag(world, "scan " + ShellQuote(repo.dir().string()));
  REQUIRE_OK(r);
  CHECK(
      r.out.find("github  PR #481  Add composite index on orders  (me@example.com)") !=
      std::string::npos);
  CHECK(r.out.find("PR #483") != std::string::npos);
  CHECK(r.out.find("#482") == std::string::npos);
}

TEST_CASE("scan --author lists that author's PRs, --all-authors everyone's") {
  World world;
  GitRepo repo = MakeHistory(world);
  std::string path = ShellQuote(repo.dir().string());
  ScanRun mate = Brag(world, "scan " + path + " --json --author MATE@example.com");
  REQUIRE_OK(mate);
  CHECK(Numbers(JsonLines(mate.out)) == std::vector<int64_t>{482});
  ScanRun both = Brag(world, "scan " + path +
                                 " --json --author mate@example.com --author "
                                 "me@example.com");
  CHECK(Numbers(JsonLines(both.out)) == std::vector<int64_t>{483, 482, 481});
  ScanRun all = Brag(world, "scan " + path + " --json --all-authors");
  CHECK(Numbers(JsonLines(all.out)) == std::vector<int64_t>{483, 482, 481});
  CHECK(Brag(world, "scan " + path + " --all-authors --author x@y").code == 2);
}

TEST_CASE("scan --since leaves out what was merged before") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "app");
  repo.Commit("README", "hello\n", "initial commit");
  {
    ScopedEnv date("GIT_COMMITTER_DATE", "2020-01-10T12:00:00Z");
    repo.GithubSquash(1, "Long ago", "me@example.com");
  }
  repo.GithubSquash(2, "Lately", "me@example.com");
  ScanRun r = Brag(world, "scan " + ShellQuote(repo.dir().string()) +
                              " --json --since '3 months ago'");
  REQUIRE_OK(r);
  CHECK(Numbers(JsonLines(r.out)) == std::vector<int64_t>{2});
}

TEST_CASE("scan --record twice records each PR once and they are pending") {
  World world;
  GitRepo repo = MakeHistory(world);
  std::string path = ShellQuote(repo.dir().string());
  ScanRun first = Brag(world, "scan " + path + " --record");
  REQUIRE_OK(first);
  CHECK(first.out.find("recorded 2 new prompts (0 already known)") !=
        std::string::npos);
  ScanRun second = Brag(world, "scan " + path + " --record --json");
  REQUIRE_OK(second);
  CHECK(JsonLines(second.out).size() == 2);
  CHECK(second.err.find("recorded 0 new prompts (2 already known)") !=
        std::string::npos);

  ScanRun pending = Brag(world, "pending --json");
  REQUIRE_OK(pending);
  std::vector<json> prompts = JsonLines(pending.out);
  REQUIRE(prompts.size() == 2);
  CHECK(Numbers(prompts) == std::vector<int64_t>{483, 481});  // newest merge first
  CHECK(prompts[0]["repo"] == repo.dir().string());
  CHECK(prompts[0]["diffstat"]["files"] == 1);
  ScanRun repos = Brag(world, "repos list --json");
  REQUIRE(JsonLines(repos.out).size() == 1);
}

TEST_CASE("scan --record with bragd running records once and bragd serves them") {
  World world;
  GitRepo repo = MakeHistory(world);
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  std::string path = ShellQuote(repo.dir().string());
  ScanRun first = Brag(world, "scan " + path + " --record");
  REQUIRE_OK(first);
  CHECK(first.out.find("recorded 2 new prompts") != std::string::npos);
  ScanRun again = Brag(world, "scan " + path + " --record");
  CHECK(again.out.find("recorded 0 new prompts (2 already known)") !=
        std::string::npos);
  protocol::Client client = bragd.Connect();
  Result<json> pending = client.Call("pending", json::object());
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 2);
}

TEST_CASE("scan reads a bare repository") {
  World world;
  GitRepo work = MakeHistory(world);
  fs::path bare = world.repos() / "app.git";
  REQUIRE(RunCommand("git clone -q --bare " + ShellQuote(work.dir().string()) + " " +
                     ShellQuote(bare.string()))
              .code == 0);
  ScanRun r = Brag(world, "scan " + ShellQuote(bare.string()) + " --json");
  REQUIRE_OK(r);
  std::vector<json> items = JsonLines(r.out);
  CHECK(Numbers(items) == std::vector<int64_t>{483, 481});
  CHECK(items[0]["repo"] == bare.string());
}

TEST_CASE("scan of a folder that is no repository fails with a clear error") {
  World world;
  fs::create_directories(world.repos() / "plain");
  ScanRun r = Brag(world, "scan " + ShellQuote((world.repos() / "plain").string()));
  CHECK(r.code == 1);
  CHECK(r.out == "");
  CHECK(r.err.starts_with("brag: error: "));
  CHECK(r.err.find("(give a folder in a git repository)") != std::string::npos);
  CHECK(Brag(world, "scan").code == 2);
}

TEST_CASE("scan of a damaged, unreadable or unsupported repo says what and where") {
  World world;
  auto fails_clearly = [&](const fs::path& repo, const std::string& why,
                           const std::string& prefix = "") {
    CommandResult r = RunCommand(prefix + " env BRAG_CONFIG=" +
                                 ShellQuote(world.config().string()) + " " BRAG_BIN
                                 " scan " + ShellQuote(repo.string()) + " </dev/null");
    CHECK_MESSAGE(r.code == 1, r.output);
    CHECK_MESSAGE(r.output.starts_with("brag: error: "), r.output);
    CHECK_MESSAGE(r.output.find(repo.string()) != std::string::npos, r.output);
    CHECK_MESSAGE(r.output.find(why) != std::string::npos, r.output);
    CHECK(r.output.find("PR #") == std::string::npos);
  };

  // A pack cut in half under the mainline's history.
  GitRepo cut = MakeHistory(world, "cut");
  cut.Git("repack -q -a -d");
  for (const auto& entry : fs::directory_iterator(cut.dir() / ".git/objects/pack")) {
    if (entry.path().extension() == ".pack") {
      fs::resize_file(entry.path(), fs::file_size(entry.path()) / 2);
    }
  }
  fails_clearly(cut.dir(), "(git could not read the repository)");

  // A ref storage libgit2 1.5 cannot read.
  GitRepo future = MakeHistory(world, "future");
  future.Git("config core.repositoryformatversion 1");
  future.Git("config extensions.refStorage reftable");
  fails_clearly(future.dir(), "refstorage");

  // A .git folder brag may not read (root reads anything: drop its
  // capabilities so the permission bits hold for it too).
  GitRepo locked = MakeHistory(world, "locked");
  fs::permissions(locked.dir() / ".git", fs::perms::none, fs::perm_options::replace);
  fails_clearly(locked.dir(), "permission denied",
                geteuid() == 0 ? "setpriv --bounding-set=-all --inh-caps=-all" : "");
  fs::permissions(locked.dir() / ".git", fs::perms::owner_all, fs::perm_options::replace);
}

TEST_CASE("scan of a linked worktree lists the PRs of its repo") {
  World world;
  GitRepo repo = MakeHistory(world);
  fs::path linked = world.repos() / "linked";
  repo.Git("worktree add -q " + ShellQuote(linked.string()) + " -b side");
  ScanRun r = Brag(world, "scan " + ShellQuote(linked.string()) + " --json");
  REQUIRE_OK(r);
  std::vector<json> items = JsonLines(r.out);
  CHECK(Numbers(items) == std::vector<int64_t>{483, 481});
  REQUIRE(!items.empty());
  CHECK(items[0]["repo"] == repo.dir().string());  // the repo, not the worktree
}

TEST_CASE("on a terminal scan shows a progress line and wipes it; piped, it shows none") {
  World world;
  GitRepo repo = MakeHistory(world);
  // script(1) runs brag on a pseudo-terminal and copies what it wrote.
  std::string scan = "BRAG_CONFIG=" + ShellQuote(world.config().string()) +
                     " " BRAG_BIN " scan " + ShellQuote(repo.dir().string());
  CommandResult tty =
      RunCommand("script -qec " + ShellQuote(scan) + " /dev/null < /dev/null");
  REQUIRE_MESSAGE(tty.code == 0, tty.output);
  size_t progress = tty.output.find("\rscanned 7 commits, 3 PRs...");
  CHECK_MESSAGE(progress != std::string::npos, tty.output);
  CHECK(tty.output.find("\r\033[K", progress) != std::string::npos);  // wiped
  CHECK(tty.output.find("PR #481") != std::string::npos);

  ScanRun piped = Brag(world, "scan " + ShellQuote(repo.dir().string()));
  REQUIRE_OK(piped);
  CHECK(piped.err.find("scanned") == std::string::npos);
}

TEST_CASE("scan lists a merged hotfix branch as an incident closed, recorded once") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "svc");
  repo.Commit("README", "hello\n", "initial commit");
  repo.Git("checkout -q -b hotfix/timeouts");
  repo.Commit("a.txt", "1\n", "Cap the retries");
  repo.Commit("b.txt", "2\n", "Alert on retry storms");
  repo.Git("checkout -q main");
  repo.Git(
      "merge -q --no-ff -m 'Merge pull request #90 from acme/hotfix/timeouts' -m "
      "'Stop the retry storm' hotfix/timeouts",
      "merger@example.com");
  std::string path = ShellQuote(repo.dir().string());
  ScanRun r = Brag(world, "scan " + path + " --json");
  REQUIRE_OK(r);
  std::vector<json> items = JsonLines(r.out);
  REQUIRE(items.size() == 1);
  CHECK(items[0]["kind"] == "incident_closed");
  CHECK(items[0]["branch"] == "hotfix/timeouts");
  CHECK(items[0]["pr"] == 90);
  CHECK(items[0]["title"] == "Stop the retry storm");
  CHECK(items[0]["incident"]["commits"] == 2);
  CHECK(items[0]["incident"]["merged"] == true);
  CHECK(items[0]["incident"]["duration_s"].is_number());

  ScanRun human = Brag(world, "scan " + path);
  CHECK(human.out.find("incident, PR #90  Stop the retry storm") != std::string::npos);

  REQUIRE_OK(Brag(world, "scan " + path + " --record"));
  ScanRun again = Brag(world, "scan " + path + " --record");
  CHECK(again.out.find("recorded 0 new prompts (1 already known)") != std::string::npos);
  ScanRun pending = Brag(world, "pending --json");
  std::vector<json> prompts = JsonLines(pending.out);
  REQUIRE(prompts.size() == 1);
  CHECK(prompts[0]["kind"] == "incident_closed");
  CHECK(prompts[0]["incident"]["commits"] == 2);
}

}  // namespace
}  // namespace brag::test
