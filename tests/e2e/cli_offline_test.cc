// The real brag binary with bragd down: reading commands read the journal,
// writing commands write it directly, nothing typed is lost.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/bragd_process.h"
#include "journal/journal.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct BragRun {
  int code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// A temp folder with a config whose journal lives inside it, and a socket
// path where no daemon listens.
class OfflineWorld {
 public:
  OfflineWorld() {
    fs::create_directories(dir_ / "repos");
    WriteFile(config(), "[journal]\npath = \"" + journal().string() + "\"\n");
  }

  fs::path config() const { return dir_ / "config.toml"; }
  fs::path journal() const { return dir_ / "data" / "journal.db"; }
  fs::path socket() const { return dir_ / "nobody-listens.sock"; }
  fs::path repos() const { return dir_ / "repos"; }

  BragRun Brag(const std::string& args, const std::string& input = "") const {
    WriteFile(dir_ / "stdin.txt", input);
    std::string err_file = (dir_ / "stderr.txt").string();
    std::string cmd = "{ BRAG_SOCKET=" + ShellQuote(socket().string()) +
                      " BRAG_CONFIG=" + ShellQuote(config().string()) +
                      " " BRAG_BIN " " + args + " < " +
                      ShellQuote((dir_ / "stdin.txt").string()) + " 2> " +
                      ShellQuote(err_file) + "; }";
    CommandResult r = RunCommand(cmd);
    return BragRun{r.code, r.output, ReadFile(err_file)};
  }

  // Opens the journal in this process, as bragd would.
  std::unique_ptr<Journal> OpenJournal() const {
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(journal(), Journal::Mode::kReadWrite);
    REQUIRE_MESSAGE(j.has_value(), (j ? "" : j.error().message));
    return std::move(*j);
  }

  // Records a merged PR in a repo of the journal; returns the prompt's id.
  int64_t MakePrompt(int64_t pr, const std::string& title) const {
    std::unique_ptr<Journal> j = OpenJournal();
    Result<RepoRecord> repo = j->repos().AddRepo((repos() / "payments").string(),
                                                 "payments", "added", 1764400000);
    REQUIRE(repo.has_value());
    Event e;
    e.kind = EventKind::kPrMerged;
    e.key = e.commit = std::string(40, static_cast<char>('a' + pr % 6));
    e.forge = "github";
    e.pr = pr;
    e.title = title;
    e.branch = "branch-" + std::to_string(pr);
    e.authors = {"me@example.com"};
    e.commit_time = 1764400000 + pr;
    e.diffstat = {3, 42, 7};
    Result<std::vector<Prompt>> made =
        j->repos().RecordScan(repo->id, {}, {e}, 1764400100 + pr);
    REQUIRE_MESSAGE(made.has_value(), (made ? "" : made.error().message));
    REQUIRE(made->size() == 1);
    return (*made)[0].id;
  }

 private:
  TempDir dir_{"cli-offline"};
};

#define REQUIRE_OK(run) REQUIRE_MESSAGE((run).code == 0, (run).err)

TEST_CASE("a note written with bragd down shows in log --json") {
  OfflineWorld w;
  BragRun note = w.Brag("note Ran the Q3 failover drill --tag reliability");
  REQUIRE_OK(note);
  BragRun log = w.Brag("log --json");
  REQUIRE_OK(log);
  std::vector<json> entries = JsonLines(log.out);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["kind"] == "note");
  CHECK(entries[0]["text"] == "Ran the Q3 failover drill");
  CHECK(entries[0]["tags"] == json::array({"reliability"}));
}

TEST_CASE("pending --count without a journal prints 0 and creates nothing") {
  OfflineWorld w;
  BragRun r = w.Brag("pending --count");
  REQUIRE_OK(r);
  CHECK(r.out == "0\n");
  CHECK(r.err == "");
  CHECK_FALSE(fs::exists(w.journal()));
}

TEST_CASE("reading commands without a journal show empty results") {
  OfflineWorld w;
  CHECK(w.Brag("log --json").out == "");
  CHECK(w.Brag("repos list --json").out == "");
  BragRun status = w.Brag("status --json");
  REQUIRE_OK(status);
  json s = json::parse(status.out);
  CHECK(s["running"] == false);
  CHECK(s["pending"] == 0);
  CHECK(s["journal"] == w.journal().string());
  CHECK(s["socket"] == w.socket().string());
  CHECK_FALSE(fs::exists(w.journal()));
}

TEST_CASE("repos add of a git repo with bragd down is listed by repos list") {
  OfflineWorld w;
  GitRepo repo = GitRepo::Init(w.repos() / "app");
  repo.Commit("README", "hello\n", "initial commit");
  BragRun add =
      w.Brag("repos add " + ShellQuote(repo.dir().string()) + " --name myapp");
  REQUIRE_OK(add);
  CHECK(add.out.find("baseline") != std::string::npos);
  BragRun list = w.Brag("repos list --json");
  REQUIRE_OK(list);
  std::vector<json> repos = JsonLines(list.out);
  REQUIRE(repos.size() == 1);
  CHECK(repos[0]["path"] == fs::canonical(repo.dir()).string());
  CHECK(repos[0]["name"] == "myapp");
  CHECK(repos[0]["source"] == "added");

  SUBCASE("and repos rm takes it off the list") {
    REQUIRE_OK(w.Brag("repos rm myapp"));
    CHECK(w.Brag("repos list --json").out == "");
  }
}

TEST_CASE("repos add of a folder that is no git repo fails clearly") {
  OfflineWorld w;
  fs::create_directories(w.repos() / "plain");
  BragRun r = w.Brag("repos add " + ShellQuote((w.repos() / "plain").string()));
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("brag: error: "));
  CHECK(r.err.find("is not a git repository (give a folder in a git repository)\n") !=
        std::string::npos);
}

TEST_CASE("a broken config exits 78 naming file, line and column") {
  OfflineWorld w;
  WriteFile(w.config(), "[journal]\npath = 42\n");
  BragRun r = w.Brag("pending");
  CHECK(r.code == 78);
  CHECK(r.err.find("brag: error: " + w.config().string() + ":2:") != std::string::npos);
  CHECK(r.err.find("(fix the config file)") != std::string::npos);
}

TEST_CASE("an unknown config key is a warning, not an error") {
  OfflineWorld w;
  WriteFile(w.config(), "[journal]\npath = \"" + w.journal().string() +
                            "\"\n[detect]\nmainlin = [\"main\"]\n");
  BragRun r = w.Brag("pending --count");
  REQUIRE_OK(r);
  CHECK(r.out == "0\n");
  CHECK(r.err.starts_with("brag: warning: "));
  CHECK(r.err.find("mainlin") != std::string::npos);
}

TEST_CASE("an unknown subcommand exits 2") {
  OfflineWorld w;
  BragRun r = w.Brag("frobnicate");
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("brag: error: unknown command \"frobnicate\" (one of: "));
}

TEST_CASE("answer with bragd down files the note, and log shows it with its PR") {
  OfflineWorld w;
  int64_t id = w.MakePrompt(481, "Add composite index on orders");
  BragRun pending = w.Brag("pending --json");
  REQUIRE_OK(pending);
  std::vector<json> prompts = JsonLines(pending.out);
  REQUIRE(prompts.size() == 1);
  CHECK(prompts[0]["id"] == id);

  REQUIRE_OK(w.Brag("answer " + std::to_string(id) + " 'p95 3.4s -> 18ms'"));
  BragRun log = w.Brag("log --json --kind pr_merged");
  REQUIRE_OK(log);
  std::vector<json> entries = JsonLines(log.out);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["pr"] == 481);
  CHECK(entries[0]["title"] == "Add composite index on orders");
  CHECK(entries[0]["note"] == "p95 3.4s -> 18ms");
  CHECK(w.Brag("pending --count").out == "0\n");

  SUBCASE("a note that starts with a dash follows --") {
    int64_t other = w.MakePrompt(482, "Cut the cache");
    REQUIRE_OK(w.Brag("answer " + std::to_string(other) + " -- -40% p99 latency"));
    CHECK(JsonLines(w.Brag("log --json --limit 1 --kind pr_merged").out)[0]["note"] ==
          "-40% p99 latency");
  }
  SUBCASE("answering it twice says with what it was answered, and keeps the text") {
    BragRun again = w.Brag("answer " + std::to_string(id) + " again");
    CHECK(again.code == 1);
    CHECK_MESSAGE(again.err.find("was answered elsewhere, with \"p95 3.4s -> 18ms\" (your "
                                 "text was not filed)") != std::string::npos,
                  again.err);
    CHECK(again.err.find("brag note --repo ") != std::string::npos);
    CHECK(again.err.find("-- 'again'") != std::string::npos);
  }
}

TEST_CASE("answer on a prompt that does not exist fails with not_found") {
  OfflineWorld w;
  BragRun r = w.Brag("answer 999 something");
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("brag: error: "));
  CHECK(r.err ==
        "brag: error: no prompt with id 999 (see brag pending for the prompts "
        "waiting)\n");
}

TEST_CASE("snooze and dismiss with bragd down take prompts off the pending list") {
  OfflineWorld w;
  int64_t first = w.MakePrompt(1, "One");
  int64_t second = w.MakePrompt(2, "Two");
  REQUIRE_OK(w.Brag("snooze " + std::to_string(first) + " 2h"));
  REQUIRE_OK(w.Brag("dismiss " + std::to_string(second)));
  CHECK(w.Brag("pending --count").out == "0\n");
  BragRun bad = w.Brag("snooze " + std::to_string(first) + " whenever");
  CHECK(bad.code == 1);
  CHECK(bad.err ==
        "brag: error: cannot snooze to that time ('whenever' is not a time to come; try "
        "2h, 1d, tomorrow, monday, next week, 14:00 or 2026-12-10)\n");
}

TEST_CASE("prompt --once answers the newest pending prompt from stdin") {
  OfflineWorld w;
  w.MakePrompt(481, "Drop the legacy table");
  int64_t first = w.MakePrompt(482, "Add composite index on orders");  // merged later
  BragRun r = w.Brag("prompt --once", "my impact note\n");
  REQUIRE_OK(r);
  CHECK(r.out.find("PR #482") != std::string::npos);
  CHECK(r.out.find("3 files, +42 -7") != std::string::npos);
  std::vector<json> entries = JsonLines(w.Brag("log --json --kind pr_merged").out);
  REQUIRE(entries.size() == 2);
  json answered = entries[1]["prompt"] == first ? entries[1] : entries[0];
  CHECK(answered["note"] == "my impact note");
  CHECK(w.Brag("pending --count").out == "1\n");
}

TEST_CASE("prompt without --once needs bragd once the pending ones are done") {
  OfflineWorld w;
  w.MakePrompt(481, "Add composite index on orders");
  BragRun r = w.Brag("prompt", "noted\n");
  CHECK(r.code == 69);
  CHECK(r.err == "brag: error: bragd is not running (cannot wait for new prompts)\n");
  CHECK(w.Brag("pending --count").out == "0\n");
}

TEST_CASE("prompt ends quietly at end of input") {
  OfflineWorld w;
  w.MakePrompt(481, "Add composite index on orders");
  BragRun r = w.Brag("prompt");
  CHECK(r.code == 0);
  CHECK(w.Brag("pending --count").out == "1\n");
}

TEST_CASE("human output of pending and log has no colour when not a terminal") {
  OfflineWorld w;
  w.MakePrompt(481, "Add composite index on orders");
  BragRun pending = w.Brag("pending");
  REQUIRE_OK(pending);
  CHECK(pending.out.find("payments  PR #481  Add composite index on orders") !=
        std::string::npos);
  CHECK(pending.out.find('\x1b') == std::string::npos);
  BragRun log = w.Brag("log");
  REQUIRE_OK(log);
  CHECK(log.out.find("(no note)") != std::string::npos);
}

}  // namespace
}  // namespace brag::test
