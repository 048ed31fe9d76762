// `brag setup` as a new user meets it: a fresh HOME with real repos under
// ~/code, the real brag on a pseudo-terminal, questions answered by keys, and
// what it did checked in the files, the repos' hooks folders and the journal
// against a table made by hand (which PRs are whose, and how old).
#include <doctest/doctest.h>
#include <signal.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e/bragd_process.h"
#include "e2e/pty_session.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int64_t kDay = 86400;

// A new user's home: ~/.gitconfig says me@example.com; ~/code/api has my PR
// #101 from 200 days ago and #102 from 10 days ago; ~/code/web, whose
// repo-local user.email is my work address, has #201 by that address 5 days
// ago, #202 by a colleague 3 days ago and #203 by me 45 days ago.
struct NewHome {
  TempDir home{"setup"};
  fs::path code = home.path() / "code";
  GitRepo api = GitRepo::Init(code / "api");
  GitRepo web = GitRepo::Init(code / "web");
  int64_t now = static_cast<int64_t>(std::time(nullptr));

  NewHome() {
    WriteFile(home.path() / ".gitconfig",
              "[user]\n\tname = Me\n\temail = me@example.com\n");
    fs::create_directories(home.path() / "run");
    fs::permissions(home.path() / "run", fs::perms::owner_all, fs::perm_options::replace);
    api.Commit("README", "api\n", "initial commit");
    web.Commit("README", "web\n", "initial commit");
    MergeAt(api, 101, "me@example.com", 200);
    MergeAt(api, 102, "me@example.com", 10);
    MergeAt(web, 203, "me@example.com", 45);
    MergeAt(web, 201, "me@work.example", 5);
    MergeAt(web, 202, "colleague@example.com", 3);
    web.Git("config user.email me@work.example");
  }

  void MergeAt(const GitRepo& repo, int pr, const std::string& author, int days_ago) {
    std::string date = "@" + std::to_string(now - days_ago * kDay) + " +0000";
    ScopedEnv authored("GIT_AUTHOR_DATE", date.c_str());
    ScopedEnv committed("GIT_COMMITTER_DATE", date.c_str());
    repo.GithubMerge(pr, "pr-" + std::to_string(pr), "Change " + std::to_string(pr), author);
  }

  // Shell text that runs `brag ARGS` in this home and nowhere else.
  std::string Command(const std::string& args) const {
    const fs::path& h = home.path();
    return "HOME=" + ShellQuote(h.string()) +
           " XDG_CONFIG_HOME=" + ShellQuote((h / ".config").string()) +
           " XDG_DATA_HOME=" + ShellQuote((h / ".local/share").string()) +
           " XDG_STATE_HOME=" + ShellQuote((h / ".local/state").string()) +
           " XDG_RUNTIME_DIR=" + ShellQuote((h / "run").string()) + " " + BRAG_BIN + " " +
           args;
  }
  CommandResult Brag(const std::string& args) const {
    return RunCommand(Command(args) + " </dev/null 2>&1");
  }
  fs::path ConfigFile() const { return home.path() / ".config" / "brag" / "config.toml"; }

  // The PR numbers `brag pending` lists, in its order.
  std::vector<int> PendingPrs() const {
    CommandResult pending = Brag("pending --json");
    REQUIRE(pending.code == 0);
    std::vector<int> prs;
    for (const json& p : JsonLines(pending.output)) prs.push_back(p["pr"].get<int>());
    return prs;
  }
  bool HasShim(const GitRepo& repo, const std::string& hook) const {
    fs::path file = repo.dir() / ".git" / "hooks" / hook;
    return fs::exists(file) && ReadFile(file).find("brag-hook-shim") != std::string::npos;
  }
};

// Stops the bragd a test's setup started, whatever the test's outcome.
struct StopsBragd {
  const NewHome& home;
  ~StopsBragd() { home.Brag("stop"); }
};

TEST_CASE("setup on a terminal: Enter takes each default, and every step is done") {
  NewHome home;
  StopsBragd stops{home};
  PtySession tty(home.Command("setup"));
  REQUIRE(tty.WaitFor("me@example.com (git config --global user.email)"));
  REQUIRE(tty.WaitFor("me@work.example is user.email in web"));
  REQUIRE(tty.WaitFor("Count me@work.example as you too? [Y/n] "));
  tty.Type("\r");
  REQUIRE(tty.WaitFor("Another email you commit as (Enter: none, -EMAIL drops one)> "));
  tty.Type("me@typo.example\r");
  REQUIRE(tty.WaitFor("Another email you commit as (Enter: none, -EMAIL drops one)> "));
  tty.Type("-me@typo.example\r");
  REQUIRE(tty.WaitFor("dropped me@typo.example"));
  REQUIRE(tty.WaitFor("Another email you commit as (Enter: none, -EMAIL drops one)> "));
  tty.Type("\r");
  REQUIRE(tty.WaitFor("~/code: 2 repos (api, web)"));
  REQUIRE(tty.WaitFor("Watch the repos under ~/code, and new clones there? [Y/n] "));
  tty.Type("\r");
  REQUIRE(tty.WaitFor("wrote ~/.config/brag/config.toml: [identity] emails, [scan] roots"));
  REQUIRE(tty.WaitFor("Install brag's git hooks in 2 repos?"));
  tty.Type("\r");
  REQUIRE(tty.WaitFor("hooks installed in 2 repos"));
  REQUIRE(tty.WaitFor("Start bragd now (brag start)? [Y/n] "));
  tty.Type("\r");
  REQUIRE(tty.WaitFor("bragd started (pid "));
  REQUIRE(tty.WaitFor("the last 90 days: 3 PRs of yours in 2 repos"));
  REQUIRE(tty.WaitFor("Record them as prompts, newest first? [Y/n] "));
  tty.Type("\r");
  REQUIRE(tty.WaitFor("recorded 3 prompts"));
  CHECK(tty.WaitExit() == 0);

  std::string config = ReadFile(home.ConfigFile());
  CHECK(config.find("emails = [\"me@example.com\", \"me@work.example\"]") != std::string::npos);
  CHECK(config.find("roots = [\"~/code\"]") != std::string::npos);
  for (const GitRepo* repo : {&home.api, &home.web}) {
    CHECK(home.HasShim(*repo, "post-commit"));
    CHECK(home.HasShim(*repo, "post-merge"));
  }
  // Mine in the last 90 days, newest first: #201 (5 days, the work
  // address), #102 (10 days), #203 (45 days); not #101 (200 days) nor the
  // colleague's #202.
  CHECK(home.PendingPrs() == std::vector<int>{201, 102, 203});
  CommandResult status = home.Brag("status --json");
  REQUIRE(status.code == 0);
  json s = json::parse(status.output);
  CHECK(s["running"] == true);
}

TEST_CASE("setup --yes in a script: the flags decide, and nothing is asked") {
  NewHome home;
  PtySession tty(home.Command("setup --yes --root " + ShellQuote(home.code.string()) +
                              " --no-hooks --no-autostart --backfill 30d --email me@old.example"));
  REQUIRE(tty.WaitFor("me@old.example (--email)"));
  REQUIRE(tty.WaitFor("Count me@work.example as you too? [Y/n] yes (--yes)"));
  REQUIRE(tty.WaitFor("not started (--no-autostart): `brag start` starts it"));
  REQUIRE(tty.WaitFor("the last 30 days: 2 PRs of yours in 2 repos"));
  CHECK(tty.WaitExit() == 0);
  CHECK(tty.output().find("Git hooks") == std::string::npos);
  CHECK(tty.output().find("> ") == std::string::npos);  // no question waited for a line
  std::string config = ReadFile(home.ConfigFile());
  CHECK(config.find("emails = [\"me@example.com\", \"me@old.example\", \"me@work.example\"]") !=
        std::string::npos);
  CHECK(!home.HasShim(home.api, "post-commit"));
  CHECK(home.PendingPrs() == std::vector<int>{201, 102});
  CommandResult status = home.Brag("status --json");
  CHECK(json::parse(status.output)["running"] == false);

  // Again: nothing new to write, and the PRs recorded are known already.
  CommandResult again = home.Brag("setup --yes --no-hooks --no-autostart --backfill 30d");
  CHECK(again.code == 0);
  CHECK(again.output.find("wrote ") == std::string::npos);
  CHECK(again.output.find("recorded 0 prompts (2 known already)") != std::string::npos);
  CHECK(home.PendingPrs() == std::vector<int>{201, 102});
}

TEST_CASE("setup keeps a hand-written config's comments and other keys") {
  NewHome home;
  fs::create_directories(home.ConfigFile().parent_path());
  WriteFile(home.ConfigFile(),
            "# mine\n[detect]\nmainline = [\"main\"]  # only main\n\n[identity]\n"
            "# emails = [\"nobody@example.com\"]\n");
  CommandResult r = home.Brag("setup --yes --no-hooks --no-autostart --backfill 0");
  CHECK(r.code == 0);
  CHECK(ReadFile(home.ConfigFile()) ==
        "# mine\n[detect]\nmainline = [\"main\"]  # only main\n\n[identity]\n"
        "emails = [\"me@example.com\", \"me@work.example\"]\n"
        "# emails = [\"nobody@example.com\"]\n\n[scan]\nroots = [\"~/code\"]\n");
  CHECK(r.output.find("PRs you already merged") == std::string::npos);
  CHECK(home.PendingPrs().empty());
}

TEST_CASE("setup without a terminal needs --yes; q stops it and writes nothing") {
  NewHome home;
  CommandResult r = home.Brag("setup");
  CHECK(r.code == 2);
  CHECK(r.output.find("pass --yes") != std::string::npos);
  CHECK(!fs::exists(home.ConfigFile()));

  PtySession tty(home.Command("setup"));
  REQUIRE(tty.WaitFor("Count me@work.example as you too? [Y/n] "));
  tty.Type("q\r");
  REQUIRE(tty.WaitFor("setup stopped"));
  CHECK(tty.WaitExit() == 1);
  CHECK(!fs::exists(home.ConfigFile()));
  CHECK(!home.HasShim(home.api, "post-commit"));

  CommandResult bad = home.Brag("setup --yes --backfill soon");
  CHECK(bad.code == 2);
  CHECK(bad.output.find("--backfill soon is no duration") != std::string::npos);
}

}  // namespace
}  // namespace brag::test
