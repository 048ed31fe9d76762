// `brag digest` and `brag review` end to end: the real binaries on a journal
// filled as bragd would, with bragd down and up, and the HTML page loaded in
// headless Chromium.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e/bragd_process.h"
#include "journal/journal.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int64_t kMonday = 1763942400;  // 2025-11-24T00:00:00Z, week 2025-W48
constexpr int64_t kDay = 86400;

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A world whose journal holds one week of work in a repo whose origin is on
// GitHub: three merged PRs (two answered, one pending) and a free note.
class DigestWorld {
 public:
  DigestWorld() : utc_("TZ", "UTC") {
    tzset();
    w_.WriteConfig();
    fs::path repo = w_.repos() / "payments";
    fs::create_directories(repo);
    CommandResult init = RunCommand("git init -q " + ShellQuote(repo.string()) + " && git -C " +
                                    ShellQuote(repo.string()) +
                                    " remote add origin git@github.com:acme/payments.git");
    REQUIRE_MESSAGE(init.code == 0, init.output);
    Fill(repo.string());
  }
  ~DigestWorld() { tzset(); }

  const World& world() const { return w_; }
  CommandResult Brag(const std::string& args) const { return w_.Brag(args); }
  // stdout only: stderr goes to a file.
  CommandResult BragOut(const std::string& args) const {
    return RunCommand("{ BRAG_CONFIG=" + ShellQuote(w_.config().string()) + " " BRAG_BIN " " +
                      args + " < /dev/null 2> " +
                      ShellQuote((w_.root() / "stderr.txt").string()) + "; }");
  }
  std::string Stderr() const { return ReadFile(w_.root() / "stderr.txt"); }
  fs::path Path(const std::string& name) const { return w_.root() / name; }

 private:
  void Fill(const std::string& repo_path) {
    Result<std::unique_ptr<Journal>> j = Journal::Open(w_.journal(), Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    Journal& journal = **j;
    Result<RepoRecord> repo =
        journal.repos().AddRepo(repo_path, "payments", "added", kMonday - kDay);
    REQUIRE(repo.has_value());
    auto pr = [](char c, int64_t n, const char* title, int64_t t) {
      Event e;
      e.kind = EventKind::kPrMerged;
      e.key = e.commit = std::string(40, c);
      e.forge = "github";
      e.pr = n;
      e.title = title;
      e.authors = {"me@example.com"};
      e.commit_time = t;
      e.diffstat = {3, 42, 7};
      e.paths = {"app/orders.go"};
      return e;
    };
    Result<std::vector<Prompt>> prompts = journal.repos().RecordScan(
        repo->id, {},
        {pr('a', 481, "Add composite index on orders", kMonday + 10 * 3600),
         pr('b', 483, "Retry webhooks", kMonday + kDay),
         pr('d', 490, "Fix flaky tests", kMonday + 3 * kDay)},
        kMonday + 11 * 3600);
    REQUIRE(prompts.has_value());
    REQUIRE(journal.prompts()
                .Answer((*prompts)[0].id, "Cut checkout p95 from 1.8s to 240ms #perf",
                        kMonday + 12 * 3600)
                .has_value());
    REQUIRE(journal.prompts()
                .Answer((*prompts)[2].id, "Helped with the flaky CI tests",
                        kMonday + 3 * kDay + 3600)
                .has_value());
    NewNote note;
    note.text = "Mentored Sam through their first on-call rotation";
    note.tags = {"leadership"};
    REQUIRE(journal.prompts().AddNote(note, kMonday + 4 * kDay).has_value());
  }

  World w_;
  ScopedEnv utc_;
};

TEST_CASE("brag digest --week prints the week in Markdown with bragd down") {
  DigestWorld d;
  CommandResult r = d.BragOut("digest --week 2025-W48");
  REQUIRE_MESSAGE(r.code == 0, d.Stderr());
  CHECK(Has(r.output, "# Brag digest: week 2025-W48 (2025-11-24 to 2025-11-30)"));
  CHECK(Has(r.output, "| 3 | 0 | 3 | 1 |"));
  CHECK(Has(r.output, "[#481 Add composite index on orders]"
                      "(https://github.com/acme/payments/pull/481)"));
  CHECK(Has(r.output, "**1.8s -> 240ms (7.5x)**"));
  CHECK(Has(r.output, "`brag answer 2 \"...\"`"));
  CHECK(Has(r.output, "weak phrasing \"Helped with\""));
}

TEST_CASE("brag digest --since/--until covers that window") {
  DigestWorld d;
  CommandResult r = d.BragOut("digest --since 2025-11-27 --until 2025-12-01 --format json");
  REQUIRE_MESSAGE(r.code == 0, d.Stderr());
  json j = json::parse(r.output);
  CHECK(j["window"]["week"].is_null());
  CHECK(j["counts"]["prs_merged"] == 1);  // only #490
  CHECK(j["counts"]["notes"] == 2);       // #490's and the free note
}

TEST_CASE("brag digest --format json exposes each metric") {
  DigestWorld d;
  CommandResult r = d.BragOut("digest --week 2025-W48 --format json");
  REQUIRE_MESSAGE(r.code == 0, d.Stderr());
  json j = json::parse(r.output);
  CHECK(j["counts"] == json{{"prs_merged", 3}, {"incidents_closed", 0}, {"notes", 3},
                            {"unanswered", 1}});
  json win;
  for (const json& w : j["wins"]) {
    if (w["pr"] == 481) win = w;
  }
  REQUIRE(win.is_object());
  CHECK(win["link"] == "https://github.com/acme/payments/pull/481");
  CHECK(win["category"] == "performance");
  REQUIRE(win["metrics"].size() == 1);
  const json& m = win["metrics"][0];
  CHECK(m["unit"] == "ms");
  CHECK(m["before"] == 1800.0);
  CHECK(m["after"] == 240.0);
  CHECK(m["value"] == 240.0);
  CHECK(m["factor"] == 7.5);
  CHECK(m["direction"] == "improved");
}

TEST_CASE("brag digest -o writes the file and prints nothing") {
  DigestWorld d;
  fs::path out = d.Path("out") / "week.md";
  fs::create_directories(out.parent_path());
  WriteFile(out, "old content");
  CommandResult r = d.BragOut("digest --week 2025-W48 -o " + ShellQuote(out.string()));
  REQUIRE_MESSAGE(r.code == 0, d.Stderr());
  CHECK(r.output == "");
  CHECK(Has(ReadFile(out), "# Brag digest: week 2025-W48"));
  // Only the file itself is left: the temp file was renamed over it.
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(out.parent_path())) ++files;
  CHECK(files == 1);
}

TEST_CASE("brag digest -o into a missing folder fails with exit 1 and the reason") {
  DigestWorld d;
  CommandResult r = d.BragOut("digest -o " + ShellQuote(d.Path("no/such/dir/x.md").string()));
  CHECK(r.code == 1);
  CHECK(Has(d.Stderr(), "brag: error: cannot write"));
  CHECK(Has(d.Stderr(), "(a file could not be read or written)"));
}

TEST_CASE("a malformed --week, or --week with --since, is a usage error (exit 2)") {
  DigestWorld d;
  for (const char* args : {"digest --week 2025-48", "digest --week 2025-W54",
                           "digest --week 2025-W48 --since monday",
                           "digest --format pdf", "digest --since notadate"}) {
    INFO(std::string(args));
    CommandResult r = d.BragOut(args);
    CHECK(r.code == 2);
    CHECK(Has(d.Stderr(), "brag: error: "));
    CHECK(r.output == "");
  }
}

TEST_CASE("brag digest without a journal prints an empty digest of this week") {
  World w;
  w.WriteConfig();
  CommandResult r = w.Brag("digest");
  REQUIRE_MESSAGE(r.code == 0, r.output);
  CHECK(Has(r.output, "# Brag digest: week "));
  CHECK(Has(r.output, "| 0 | 0 | 0 | 0 |"));
  CHECK_FALSE(fs::exists(w.journal()));
}

TEST_CASE("brag review drafts a paragraph per win: what I did -> impact -> what's next") {
  DigestWorld d;
  CommandResult r = d.BragOut("review --since 2025-11-01 --until 2025-12-01");
  REQUIRE_MESSAGE(r.code == 0, d.Stderr());
  CHECK(Has(r.output, "# Self-assessment draft: 2025-11-01 to 2025-11-30"));
  CHECK(Has(r.output,
            "## Performance & scalability\n\n"
            "Add composite index on orders (PR #481, payments). Cut checkout p95 from 1.8s to "
            "240ms (7.5x faster).\n\n"
            "> To add: the next step (what this enables, or the next target).\n"
            "> Source: payments [#481 Add composite index on orders]"
            "(https://github.com/acme/payments/pull/481)"));
  CHECK_FALSE(Has(r.output, "#perf"));
  CHECK_FALSE(Has(r.output, "_["));
  CHECK(d.Stderr() == "");
}

TEST_CASE("brag review pipes the draft through polish_command") {
  DigestWorld d;
  d.world().WriteConfig("[digest]\npolish_command = \"tr a-z A-Z\"\n");
  CommandResult r = d.BragOut("review --since 2025-11-01 --until 2025-12-01");
  REQUIRE_MESSAGE(r.code == 0, d.Stderr());
  CHECK(Has(r.output, "# SELF-ASSESSMENT DRAFT: 2025-11-01 TO 2025-11-30"));
  CHECK(d.Stderr() == "");
}

TEST_CASE("a polish_command from a config others may write is never run") {
  DigestWorld d;
  std::filesystem::path ran = d.world().root() / "polish-ran";
  json toml_string = "touch " + ran.string() + "; tr a-z A-Z";
  d.world().WriteConfig("[digest]\npolish_command = " + toml_string.dump() + "\n");
  SUBCASE("the file is writable by everyone") {
    REQUIRE(chmod(d.world().config().c_str(), 0666) == 0);
  }
  SUBCASE("the file belongs to another user") {
    if (geteuid() != 0) {
      MESSAGE("skipped: giving a file to another user needs root");
      return;
    }
    REQUIRE(chown(d.world().config().c_str(), 12345, 12345) == 0);
  }
  CommandResult r = d.BragOut("review --since 2025-11-01 --until 2025-12-01");
  REQUIRE_MESSAGE(r.code == 0, d.Stderr());
  CHECK(Has(r.output, "# Self-assessment draft: 2025-11-01 to 2025-11-30"));
  CHECK_FALSE(std::filesystem::exists(ran));
  CHECK(Has(d.Stderr(), "polish_command will not be run"));
  CHECK(Has(d.Stderr(), d.world().config().string()));
}

TEST_CASE("a failing or silent polish_command keeps the draft, with a warning") {
  DigestWorld d;
  for (std::string command :
       {"echo broken >&2; exit 3", "cat >/dev/null", "nonexistent-polisher"}) {
    INFO(command);
    json toml_string = command;
    d.world().WriteConfig("[digest]\npolish_command = " + toml_string.dump() + "\n");
    CommandResult r = d.BragOut("review --since 2025-11-01 --until 2025-12-01");
    REQUIRE_MESSAGE(r.code == 0, d.Stderr());
    CHECK(Has(r.output, "# Self-assessment draft: 2025-11-01 to 2025-11-30"));
    CHECK(Has(d.Stderr(), "brag: warning: polish_command failed"));
  }
}

TEST_CASE("with bragd up, brag digest prints the same, and bragd serves the digest method") {
  DigestWorld d;
  CommandResult down = d.BragOut("digest --week 2025-W48");
  REQUIRE(down.code == 0);
  BragdProcess bragd(d.world());
  REQUIRE_MESSAGE(bragd.WaitReady(), bragd.Log());
  CommandResult up = d.BragOut("digest --week 2025-W48");
  REQUIRE_MESSAGE(up.code == 0, d.Stderr());
  CHECK(up.output == down.output);

  protocol::Client client = bragd.Connect();
  Result<json> r = client.Call("digest", {{"week", "2025-W48"}, {"format", "json"}});
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  CHECK((*r)["format"] == "json");
  CHECK((*r)["week"] == "2025-W48");
  json digest = json::parse((*r)["text"].get<std::string>());
  CHECK(digest["counts"]["prs_merged"] == 3);
  Result<json> md = client.Call("digest", {{"week", "2025-W48"}});
  REQUIRE(md.has_value());
  CHECK((*md)["text"] == down.output);
  Result<json> bad = client.Call("digest", {{"week", "2025-48"}});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == "bad_request");
  CHECK(bragd.Stop() == 0);
}

// Issue 14's regression: the socket's digest once rendered with the built-in
// categories and ignored the user's [[digest.category]] rules.
TEST_CASE("the socket digest honours a [[digest.category]] rule of the config") {
  DigestWorld d;
  d.world().WriteConfig(
      "[[digest.category]]\nid = \"performance\"\ntitle = \"Speed work\"\n"
      "[[digest.category]]\nid = \"quality\"\ntitle = \"Test quality\"\n"
      "tags = [\"quality\"]\nwords = [\"flaky\", \"flakes\"]\n");
  CommandResult down = d.BragOut("digest --week 2025-W48");
  REQUIRE_MESSAGE(down.code == 0, d.Stderr());
  CHECK(down.output.find("### Speed work (1)") != std::string::npos);
  BragdProcess bragd(d.world());
  REQUIRE_MESSAGE(bragd.WaitReady(), bragd.Log());
  protocol::Client client = bragd.Connect();
  Result<json> md = client.Call("digest", {{"week", "2025-W48"}});
  REQUIRE_MESSAGE(md.has_value(), (md ? "" : md.error().message));
  std::string text = (*md)["text"].get<std::string>();
  CHECK_MESSAGE(text.find("### Speed work (1)") != std::string::npos, text);
  CHECK(text.find("Performance & scalability") == std::string::npos);
  CHECK(text == down.output);
  CHECK(bragd.Stop() == 0);
}

TEST_CASE("the HTML digest loads in headless Chromium without errors, chart drawn") {
  if (RunCommand("command -v chromium").code != 0) {
    WARN_MESSAGE(false, "chromium is not installed: skipped (scripts/dev.sh test installs it)");
    return;
  }
  DigestWorld d;
  fs::path html = d.Path("week.html");
  CommandResult r = d.BragOut("digest --week 2025-W48 --format html -o " +
                              ShellQuote(html.string()));
  REQUIRE_MESSAGE(r.code == 0, d.Stderr());
  std::string page = ReadFile(html);
  CHECK_FALSE(Has(page, "<script"));
  CHECK_FALSE(Has(page, "src="));
  fs::path profile = d.Path("chromium-profile");
  fs::path log = d.Path("chromium.log");
  CommandResult dom = RunCommand(
      "timeout 120 chromium --headless=new --no-sandbox --disable-gpu --no-first-run "
      "--user-data-dir=" + ShellQuote(profile.string()) +
      " --enable-logging=stderr --v=0 --dump-dom " + ShellQuote("file://" + html.string()) +
      " 2> " + ShellQuote(log.string()));
  REQUIRE_MESSAGE(dom.code == 0, ReadFile(log));
  CHECK(Has(dom.output, "<h1>Brag digest: week 2025-W48</h1>"));
  CHECK(Count(dom.output, "<svg") == 2);
  CHECK(Count(dom.output, "<rect class=\"bar day\"") == 7);
  // performance, leadership, devex
  CHECK(Count(dom.output, "<rect class=\"bar cat\"") == 3);
  std::string console = ReadFile(log);
  CHECK_FALSE(Has(console, ":CONSOLE"));
  CHECK_FALSE(Has(console, "Uncaught"));
  CHECK_FALSE(Has(console, "Failed to load resource"));
}

}  // namespace
}  // namespace brag::test

namespace brag::test {
namespace {

// Break 13: until/since of +-2^63 were signed overflow in bragd's digest.
TEST_CASE("bragd refuses a digest window outside 1970..9999 and keeps serving") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  for (const auto& [params, name] :
       std::vector<std::pair<json, std::string>>{{json{{"until", max}}, "until"},
                                                 {json{{"until", min}}, "until"},
                                                 {json{{"since", min}}, "since"},
                                                 {json{{"since", max}, {"until", max}}, "since"}}) {
    INFO(params.dump());
    Result<json> r = c.Call("digest", params);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "bad_request");
    CHECK_MESSAGE(r.error().message.find(name) != std::string::npos, r.error().message);
    CHECK_MESSAGE(r.error().message.find("out of range") != std::string::npos,
                  r.error().message);
  }
  REQUIRE(c.Call("status").has_value());
  // The CLI's dates take the same bounds.
  CommandResult cli = world.Brag("digest --since 9223372036854775807");
  CHECK(cli.code != 0);
  CHECK_MESSAGE(cli.output.find("out of range") != std::string::npos, cli.output);
  CHECK(bragd.Stop(SIGTERM) == 0);
}

}  // namespace
}  // namespace brag::test
