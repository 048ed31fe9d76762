// brag's words for people, through the real binaries: errors as "brag: error:
// <what> (<why>)" in English, "did you mean", brag help, tables that line up,
// a note filed this second in the digest, the review's skeleton of PRs to
// fill in, the HTML digest's code spans, repos add from a subfolder. Every
// expected text is written here by hand.
#include <doctest/doctest.h>

#include <chrono>
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

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Returns once the wall clock has just entered a new second, so that what
// runs next shares its second (each brag run takes some milliseconds). A
// poll of the clock, not a sleep.
void AtStartOfSecond() {
  using std::chrono::system_clock;
  auto second = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               system_clock::now().time_since_epoch())
        .count();
  };
  for (int64_t start = second(); second() == start;) {
  }
}

// Columns the test's own texts take on a terminal: its CJK characters are
// two wide, everything else it uses one.
size_t Columns(const std::string& text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xE3 ? 2 : 1;
  }
  return n;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

// A world whose journal holds merged PRs waiting for notes, bragd down.
struct PromptWorld {
  PromptWorld() { world.WriteConfig(); }

  int64_t MakePrompt(int64_t pr, const std::string& title, const std::string& repo_name,
                     int64_t when) {
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(world.journal(), Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    fs::path path = world.repos() / repo_name;
    Result<RepoRecord> repo =
        (*j)->repos().AddRepo(path.string(), repo_name, "added", when - 100);
    REQUIRE(repo.has_value());
    Event e;
    e.kind = EventKind::kPrMerged;
    e.key = e.commit = std::string(40, static_cast<char>('a' + pr % 6));
    e.forge = "github";
    e.pr = pr;
    e.title = title;
    e.branch = "b" + std::to_string(pr);
    e.authors = {"me@example.com"};
    e.commit_time = when;
    Result<std::vector<Prompt>> made = (*j)->repos().RecordScan(repo->id, {}, {e}, when + 10);
    REQUIRE(made.has_value());
    REQUIRE(made->size() == 1);
    return (*made)[0].id;
  }

  World world;
};

constexpr int64_t kNov29 = 1764374400;  // 2025-11-29T00:00:00Z

TEST_CASE("words: a mistyped command offers the one meant, and exits 2") {
  World world;
  world.WriteConfig();
  CommandResult r = world.Brag("stauts");
  CHECK(r.code == 2);
  CHECK(r.output ==
        "brag: error: unknown command \"stauts\" (did you mean \"status\"?)\n");
  CommandResult help = world.Brag("help stauts");
  CHECK(help.code == 2);
  CHECK(help.output == r.output);
}

TEST_CASE("words: brag help and brag help COMMAND print what --help prints") {
  World world;
  world.WriteConfig();
  CommandResult help = world.Brag("help");
  CHECK(help.code == 0);
  CHECK(help.output == world.Brag("--help").output);
  CommandResult digest = world.Brag("help digest");
  CHECK(digest.code == 0);
  CHECK(digest.output == world.Brag("digest --help").output);
  CHECK(Has(digest.output, "--week"));
}

TEST_CASE("words: errors read in English, the protocol's words only under --json") {
  PromptWorld p;
  int64_t id = p.MakePrompt(481, "Add composite index on orders", "payments", kNov29);

  CommandResult abc = p.world.Brag("answer abc 'a note'");
  CHECK(abc.code == 2);
  CHECK(abc.output ==
        "brag: error: \"abc\" is not a prompt id (ids are whole numbers "
        "from 1; see brag pending)\n");

  REQUIRE(p.world.Brag("answer " + std::to_string(id) + " 'p95 3.4s -> 18ms'").code ==
          0);
  CommandResult again = p.world.Brag("answer " + std::to_string(id) + " 'q'");
  CHECK(again.code == 1);
  CHECK_MESSAGE(again.output.find("brag: error: prompt " + std::to_string(id) +
                                   " was answered elsewhere, with \"p95 3.4s -> 18ms\" "
                                   "(your text was not filed)\n") == 0,
                again.output);

  CommandResult past = p.world.Brag("snooze 99 2020-01-01");
  CHECK(past.code == 1);
  CHECK(past.output ==
        "brag: error: cannot snooze to that time ('2020-01-01' is in the past)\n");

  CommandResult review = p.world.Brag("review --since 2027-01-01");
  CHECK(review.code == 1);
  CHECK(review.output.starts_with(
      "brag: error: cannot make the review for those dates (it would start on "
      "2027-01-01 and end on "));
  CHECK(review.output.ends_with("; the start must come first)\n"));

  for (const CommandResult& r : {abc, again, past, review}) {
    INFO(r.output);
    for (const char* word : {"bad_request", "not_found", "conflict", "parameter \"",
                             "digest:", "snooze:", "(usage)", "Could not convert"}) {
      CHECK_MESSAGE(!Has(r.output, word), word);
    }
  }

  // --json keeps the protocol's code, for scripts.
  fs::create_directories(p.world.root() / "plain");
  std::string plain = ShellQuote((p.world.root() / "plain").string());
  CommandResult scan_json = p.world.Brag("scan --json " + plain);
  CHECK(scan_json.code == 1);
  CHECK(scan_json.output.ends_with(" (not_found)\n"));
  CommandResult scan = p.world.Brag("scan " + plain);
  CHECK(scan.code == 1);
  CHECK(scan.output.ends_with(" (give a folder in a git repository)\n"));
}

TEST_CASE("words: pending and log line up under a header, wide titles included") {
  PromptWorld p;
  p.MakePrompt(7, "日本語のタイトル", "web", kNov29);
  p.MakePrompt(4810, "Add index", "payments-service", kNov29 + 60);
  p.MakePrompt(12, "Fix", "api", kNov29 + 120);
  for (const std::string& command : {std::string("pending"), std::string("log")}) {
    CommandResult r = p.world.Brag(command);
    INFO(command, "\n", r.output);
    REQUIRE(r.code == 0);
    std::vector<std::string> lines = Lines(r.output);
    REQUIRE(lines.size() == 4);
    std::string head = lines[0];
    // Each header word's column is where every row's cell starts.
    for (const char* column : {"REPO", "WHAT", "TITLE"}) {
      size_t at = head.find(column);
      REQUIRE(at != std::string::npos);
      for (size_t i = 1; i < lines.size(); ++i) {
        // The cell starts after two spaces, at the header's column.
        bool found = false;
        for (size_t b = 0; b < lines[i].size(); ++b) {
          if ((static_cast<unsigned char>(lines[i][b]) & 0xC0) == 0x80) continue;
          if (Columns(lines[i].substr(0, b)) != at) continue;
          found = b >= 2 && lines[i].substr(b - 2, 2) == "  " && lines[i][b] != ' ';
          break;
        }
        CHECK_MESSAGE(found, column, " in: ", lines[i]);
      }
    }
    // The last column of pending (MERGED) lines up after the wide title too.
    if (command == "pending") {
      size_t age = head.find("MERGED");
      for (size_t i = 1; i < lines.size(); ++i) {
        size_t ago = lines[i].rfind("  ");
        CHECK_MESSAGE(Columns(lines[i].substr(0, ago + 2)) == age, lines[i]);
      }
    }
  }
  // --json is as it was: one object per prompt.
  std::vector<json> prompts = JsonLines(p.world.Brag("pending --json").output);
  CHECK(prompts.size() == 3);
}

TEST_CASE("words: the review of PRs with no notes is a skeleton of them to fill in") {
  PromptWorld p;
  int64_t first =
      p.MakePrompt(481, "Add composite index on orders", "payments", kNov29);
  int64_t second =
      p.MakePrompt(482, "Drop the legacy table", "payments", kNov29 + 3600);
  CommandResult r = p.world.Brag("review --since 2025-11-01 --until 2025-12-31");
  REQUIRE(r.code == 0);
  INFO(r.output);
  CHECK_FALSE(Has(r.output, "No notes in this period.\n"));
  CHECK(Has(r.output,
            "## To fill in\n\nNo notes in this period yet: 2 merged PRs wait "
            "for one."));
  CHECK(
      Has(r.output, "### Add composite index on orders (PR #481, payments), merged "));
  CHECK(Has(r.output, "### Drop the legacy table (PR #482, payments), merged "));
  CHECK(Has(r.output, "> Fill in: `brag answer " + std::to_string(first) + " \""));
  CHECK(Has(r.output, "> Fill in: `brag answer " + std::to_string(second) + " \""));
  CHECK(Has(r.output, "`brag pending`"));
}

TEST_CASE(
    "words: a note filed this second is in the digest and the review, bragd down") {
  World world;
  world.WriteConfig();
  AtStartOfSecond();
  REQUIRE(world.Brag("note 'Ran the failover drill in 4m'").code == 0);
  CommandResult since = world.Brag("digest --since 1d");
  CommandResult week = world.Brag("digest");
  CommandResult review = world.Brag("review");
  CHECK_MESSAGE(Has(since.output, "Ran the failover drill in 4m"), since.output);
  CHECK_MESSAGE(Has(week.output, "Ran the failover drill in 4m"), week.output);
  CHECK_MESSAGE(Has(review.output, "Ran the failover drill in 4m"), review.output);
}

TEST_CASE("words: a note filed this second is in the digest, bragd up") {
  World world;
  world.WriteConfig();
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  AtStartOfSecond();
  REQUIRE(world.Brag("note 'Cut the deploy to 6m'").code == 0);
  CommandResult since = world.Brag("digest --since 1d");
  CommandResult week = world.Brag("digest");
  CHECK_MESSAGE(Has(since.output, "Cut the deploy to 6m"), since.output);
  CHECK_MESSAGE(Has(week.output, "Cut the deploy to 6m"), week.output);
}

TEST_CASE("words: the HTML digest shows code spans and whole category names") {
  World world;
  world.WriteConfig();
  REQUIRE(world.Brag("note 'Cached `GetUser<T>` calls, p95 900ms -> 40ms' --tag perf")
              .code == 0);
  REQUIRE(world.Brag("note 'Wrote the on-call runbook' --tag devex").code == 0);
  CommandResult html = world.Brag("digest --since 1d --format html");
  REQUIRE(html.code == 0);
  CHECK(Has(html.output, "Cached <code>GetUser&lt;T&gt;</code> calls"));
  CHECK_FALSE(Has(html.output, "`GetUser"));
  // Two bars leave room for each name on one line.
  CHECK(Has(html.output, ">Performance &amp; scalability</tspan>"));
  CHECK(Has(html.output, ">Developer experience &amp; invisible work</tspan>"));
}

TEST_CASE("words: repos add from a subfolder adds the repo around it") {
  World world;
  world.WriteConfig();
  GitRepo repo = GitRepo::Init(world.repos() / "app");
  repo.Commit("src/lib/a.txt", "a\n", "initial commit");
  fs::path sub = repo.dir() / "src" / "lib";
  CommandResult add = RunCommand("cd " + ShellQuote(sub.string()) + " && BRAG_CONFIG=" +
                                 ShellQuote(world.config().string()) +
                                 " " BRAG_BIN " repos add . </dev/null");
  REQUIRE_MESSAGE(add.code == 0, add.output);
  std::vector<json> repos = JsonLines(world.Brag("repos list --json").output);
  REQUIRE(repos.size() == 1);
  CHECK(repos[0]["path"] == fs::canonical(repo.dir()).string());
  CHECK(repos[0]["name"] == "app");

  fs::create_directories(world.root() / "plain" / "deeper");
  CommandResult none = world.Brag(
      "repos add " + ShellQuote((world.root() / "plain" / "deeper").string()));
  CHECK(none.code == 1);
  CHECK(Has(none.output,
            "is not a git repository (give a folder in a git repository)\n"));
}

}  // namespace
}  // namespace brag::test
