// `brag doctor` on a terminal, with the real binaries and real repos: each
// check a line with its fix, bragd down or up, a broken journal or config
// named, and --json for scripts.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "e2e/bragd_process.h"
#include "e2e/pty_session.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Two watched repos: "mine", where the identity merged a PR, and "work",
// whose repo-local user.email is not the identity's.
class DoctorWorld {
 public:
  DoctorWorld() {
    world_.WriteConfig("[identity]\nemails = [\"me@example.com\"]\n");
    GitRepo mine = GitRepo::Init(world_.repos() / "mine");
    mine.Commit("README", "hello\n", "Initial commit");
    mine.GithubMerge(7, "orders-index", "Add composite index on orders",
                     "me@example.com");
    GitRepo work = GitRepo::Init(world_.repos() / "work");
    work.Git("config user.email me@work.example");
    work.Commit("main.c", "int main;\n", "Start", "me@work.example");
    for (const char* name : {"mine", "work"}) {
      CommandResult added =
          world_.Brag("repos add " + (world_.repos() / name).string());
      REQUIRE_MESSAGE(added.code == 0, added.output);
    }
  }
  const World& world() const { return world_; }

  // `brag doctor ARGS` on a pseudo-terminal.
  std::string Command(const std::string& args = "") const {
    return "BRAG_CONFIG=" + ShellQuote(world_.config().string()) +
           " exec " BRAG_BIN " doctor " + args;
  }

 private:
  World world_;
};

const json* Named(const json& report, const std::string& name) {
  for (const json& c : report["checks"]) {
    if (c["name"] == name) return &c;
  }
  return nullptr;
}

TEST_CASE(
    "brag doctor with bragd down fails its first check with the command to start it") {
  DoctorWorld w;
  PtySession tty(w.Command());
  CHECK(tty.WaitFor("fail  bragd: not running"));
  CHECK(tty.WaitFor("      \u2192 brag start\r\n"));
  // The other checks still run, from the journal and the config.
  CHECK(tty.WaitFor("ok    journal: "));
  CHECK(tty.WaitFor("ok    repos: 2 repos watched, all readable"));
  CHECK(tty.WaitFor("ok    identity: me@example.com: yours in 1 of 2 watched repos"));
  CHECK(tty.WaitFor("warn  repo emails: work commits as me@work.example"));
  CHECK(tty.WaitFor("ok    inotify: "));
  CHECK_MESSAGE(tty.WaitExit() == 1, tty.output());
}

TEST_CASE(
    "brag doctor with bragd up passes, and names the config line for a repo's other "
    "email") {
  DoctorWorld w;
  BragdProcess bragd(w.world());
  REQUIRE(bragd.WaitReady());
  PtySession tty(w.Command());
  CHECK(tty.WaitFor("ok    bragd: running (pid " + std::to_string(bragd.pid())));
  CHECK(tty.WaitFor("ok    config: "));
  CHECK(tty.WaitFor("ok    journal: "));
  CHECK(tty.WaitFor("integrity_check ok"));
  CHECK(tty.WaitFor("ok    repos: 2 repos watched, all readable"));
  CHECK(tty.WaitFor("warn  repo emails: work commits as me@work.example"));
  CHECK(tty.WaitFor("      \u2192 if it is you, add to " + w.world().config().string() +
                    ": [identity] emails = [\"me@example.com\", \"me@work.example\"]"));
  CHECK(tty.WaitFor("ok    inotify: "));
  CHECK(tty.WaitFor("(bragd: "));
  // Warnings only (autostart, the email): no failure.
  CHECK_MESSAGE(tty.WaitExit() == 0, tty.output());
  CHECK(tty.output().find("fail ") == std::string::npos);
}

TEST_CASE("brag doctor fails a journal that is not a database, naming it") {
  DoctorWorld w;
  fs::path copy = w.world().root() / "copy.db";
  fs::copy_file(w.world().journal(), copy);
  std::string bytes = ReadFile(copy);
  WriteFile(copy, std::string(100, '\xff') + bytes.substr(100));
  WriteFile(w.world().config(), "[journal]\npath = \"" + copy.string() +
                                    "\"\n[daemon]\nsocket = \"" +
                                    w.world().socket().string() + "\"\n");
  PtySession tty(w.Command());
  CHECK_MESSAGE(tty.WaitFor("fail  journal: " + copy.string()), tty.output());
  CHECK(
      tty.WaitFor("\u2192 brag stop, then copy a backup of it over " + copy.string()));
  CHECK(tty.WaitExit() == 1);
}

TEST_CASE(
    "brag doctor runs with a config that does not parse, and fails it at its line") {
  DoctorWorld w;
  WriteFile(w.world().config(), "[identity]\nemails = [\"me@example.com\"\n");
  PtySession tty(w.Command());
  CHECK(tty.WaitFor("fail  bragd: "));
  CHECK(tty.WaitFor("fail  config: " + w.world().config().string() + ":"));
  CHECK(tty.WaitFor("\u2192 fix that line, then brag reload"));
  CHECK(tty.WaitExit() == 1);
}

TEST_CASE(
    "brag doctor --json is one object with every check, its status, detail and fix") {
  DoctorWorld w;
  CommandResult run = w.world().Brag("doctor --json");
  CHECK(run.code == 1);  // bragd is down
  json report = json::parse(run.output);
  REQUIRE(report["checks"].is_array());
  for (const char* name : {"bragd", "autostart", "config", "journal", "repos",
                           "identity", "repo emails", "hooks", "inotify"}) {
    CHECK_MESSAGE(Named(report, name) != nullptr, name);
  }
  for (const json& c : report["checks"]) {
    std::string status = c["status"];
    CHECK((status == "ok" || status == "warn" || status == "fail"));
    CHECK(c["detail"].is_string());
    CHECK((status == "ok") == c["fix"].is_null());
  }
  REQUIRE(Named(report, "bragd"));
  CHECK((*Named(report, "bragd"))["status"] == "fail");
  CHECK((*Named(report, "bragd"))["fix"] == "brag start");
  CHECK((*Named(report, "identity"))["status"] == "ok");
}

TEST_CASE("brag doctor fails a watched repo that is gone, with the command to drop it") {
  DoctorWorld w;
  fs::remove_all(w.world().repos() / "work");
  CommandResult run = w.world().Brag("doctor --json");
  CHECK(run.code == 1);
  json report = json::parse(run.output);
  const json* repos = Named(report, "repos");
  REQUIRE(repos);
  CHECK((*repos)["status"] == "fail");
  CHECK_MESSAGE((*repos)["detail"].get<std::string>().starts_with(
                    "2 repos watched; cannot read work: "),
                (*repos)["detail"]);
  CHECK(((*repos)["fix"].get<std::string>().starts_with("brag repos rm work, ")));
  // The identity is still seen in the other.
  CHECK((*Named(report, "identity"))["detail"] ==
        "me@example.com: yours in 1 of 1 watched repo");
}

TEST_CASE("brag doctor warns about hooks missing where some of brag's are installed") {
  DoctorWorld w;
  fs::path mine = w.world().repos() / "mine";
  REQUIRE(w.world().Brag("hooks install " + mine.string()).code == 0);
  fs::remove(mine / ".git" / "hooks" / "post-rewrite");
  json report = json::parse(w.world().Brag("doctor --json").output);
  const json* hooks = Named(report, "hooks");
  REQUIRE(hooks);
  CHECK((*hooks)["status"] == "warn");
  CHECK((*hooks)["detail"] == "mine: post-rewrite missing");
  CHECK((*hooks)["fix"] == "brag hooks install " + mine.string());
}

}  // namespace
}  // namespace brag::test
