// The review draft as text a person could paste: one paragraph per win,
// made from the PR's title, the note and its figures, with what is missing
// in short quoted lines under it. Each expected paragraph is written by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "digest/digest_fixture.h"
#include "digest/render.h"

namespace brag::digest {
namespace {

constexpr const char* kRepo = "/src/payments";
constexpr int64_t kAt = 100000;  // when every win happened

LogEntry PrNote(const std::string& note, int64_t pr, const std::string& title) {
  LogEntry e;
  e.kind = "pr_merged";
  e.time = kAt;
  e.repo = kRepo;
  e.repo_name = "payments";
  Event ev;
  ev.id = 1;
  ev.kind = EventKind::kPrMerged;
  ev.key = ev.commit = std::string(40, 'a');
  ev.forge = "github";
  ev.pr = pr;
  ev.title = title;
  ev.branch = "topic";
  ev.commit_time = kAt;
  e.event = ev;
  e.note = Note{1, note, kAt, "prompt", kRepo, "", {}, {}, 1};
  return e;
}

LogEntry IncidentNote(const std::string& note) {
  LogEntry e = PrNote(note, 0, "");
  e.kind = "incident_closed";
  e.event->kind = EventKind::kIncidentClosed;
  e.event->key = e.event->branch = e.event->title = "incident/db-failover";
  e.event->forge = "local";
  e.event->opened = kAt - (3 * 3600 + 20 * 60);
  e.event->commit_count = 5;
  return e;
}

LogEntry ManualNote(const std::string& note, std::vector<std::string> tags = {}) {
  LogEntry e;
  e.kind = "note";
  e.time = kAt;
  e.note = Note{1, note, kAt, "manual", "", "", std::move(tags), {}, {}};
  return e;
}

// The review of one win cut in its blocks: the paragraph, and the quoted
// lines under it.
struct Drafted {
  std::string review;
  std::string paragraph;
  std::string lines;
};

Drafted Draft(const LogEntry& entry) {
  Drafted d;
  d.review = RenderReview(BuildDigest({entry}, {0, 2 * kAt, ""}, DefaultCategoryRules(), {}));
  std::vector<std::string> blocks;
  for (size_t at = 0; at < d.review.size();) {
    size_t end = d.review.find("\n\n", at);
    if (end == std::string::npos) end = d.review.size();
    blocks.push_back(d.review.substr(at, end - at));
    at = end + 2;
  }
  // Title, intro, "## Category", the paragraph, its lines, "## Before you
  // submit" and its list.
  REQUIRE(blocks.size() == 7);
  CHECK(blocks[2].starts_with("## "));
  d.paragraph = blocks[3];
  d.lines = blocks[4];
  return d;
}

const std::string kNoNext = "> To add: the next step (what this enables, or the next target).\n";

TEST_CASE("review: a PR with figures reads title, note, then the factor after the figures") {
  Drafted d = Draft(PrNote("cut checkout p95 from 1.8s to 240ms with a composite index", 481,
                           "Add composite index on orders"));
  CHECK(d.paragraph ==
        "Add composite index on orders (PR #481, payments). Cut checkout p95 from 1.8s to "
        "240ms (7.5x faster) with a composite index.");
  CHECK(d.lines == kNoNext + "> Source: payments #481 Add composite index on orders · "
                             "`aaaaaaa` · note 1");
}

TEST_CASE("review: a note without figures asks for one under the paragraph, not in it") {
  Drafted d = Draft(PrNote("Switched the refund webhooks to the shared queue. Next: retire "
                           "the old cron.",
                           483, "Retry webhooks with backoff"));
  CHECK(d.paragraph ==
        "Retry webhooks with backoff (PR #483, payments). Switched the refund webhooks to the "
        "shared queue. Next step: retire the old cron.");
  CHECK(d.lines ==
        "> To add: a before -> after number, or who it unblocked.\n"
        "> Source: payments #483 Retry webhooks with backoff · `aaaaaaa` · note 1");
}

TEST_CASE("review: a #tag is not in the paragraph, and what's next is its last sentence") {
  Drafted d = Draft(ManualNote("Cut search p99 from 900ms to 300ms #perf; next: the same for "
                               "autocomplete"));
  CHECK(d.review.find("\n## Performance & scalability\n") != std::string::npos);
  CHECK(d.paragraph ==
        "Cut search p99 from 900ms to 300ms (3x faster). Next step: the same for autocomplete.");
  CHECK(d.lines == "> Source: note 1");
}

TEST_CASE("review: a closed incident leads with how long it was open") {
  Drafted d =
      Draft(IncidentNote("restored writes after the failover; error rate from 12% to 0.1%"));
  CHECK(d.paragraph ==
        "Closed the incident on branch incident/db-failover in payments 3h 20m after it "
        "opened (5 commits). Restored writes after the failover; error rate from 12% to 0.1% "
        "(120x lower).");
  CHECK(d.lines == kNoNext + "> Source: payments incident incident/db-failover, closed in "
                             "3h 20m, 5 commits · `aaaaaaa` · note 1");
}

TEST_CASE("review: a manual note with no PR is the paragraph on its own") {
  Drafted d = Draft(ManualNote("Mentored Sam through their first on-call rotation", {"mentoring"}));
  CHECK(d.paragraph == "Mentored Sam through their first on-call rotation.");
  CHECK(d.lines ==
        "> To add: who it helped grow: how many people, PRs reviewed, or days to first "
        "commit.\n" +
            kNoNext + "> Source: note 1");
}

TEST_CASE("review: weak phrasing gets its Sharpen line under the paragraph") {
  Drafted d = Draft(PrNote("Helped with the flaky CI tests", 490, "Fix flaky checkout tests"));
  CHECK(d.paragraph == "Fix flaky checkout tests (PR #490, payments). Helped with the flaky CI tests.");
  CHECK(d.lines.find("> Sharpen \"Helped with\": say what you owned") != std::string::npos);
}

TEST_CASE("review: sentences from notes as people write them") {
  struct Case {
    std::string note;
    std::string paragraph;
  };
  const Case cases[] = {
      // Already a sentence: kept as written.
      {"Shipped the ledger export.", "Shipped the ledger export."},
      {"Shipped the ledger export!", "Shipped the ledger export!"},
      // A fragment: capitalised and ended.
      {"shipped the ledger export", "Shipped the ledger export."},
      // Ending on a clause mark: ended with a period instead.
      {"shipped the ledger export;", "Shipped the ledger export."},
      {"shipped the ledger export - ", "Shipped the ledger export."},
      // A first word that is a name or a figure keeps its case.
      {"p99 from 1.8s to 240ms", "p99 from 1.8s to 240ms (7.5x faster)."},
      {"iOS cold start from 900ms to 450ms", "iOS cold start from 900ms to 450ms (2x faster)."},
      // A factor inside parentheses joins them.
      {"Cut build time (20m -> 6m) for the monorepo",
       "Cut build time (20m -> 6m; 3.3x faster) for the monorepo."},
      {"Cut the build from 20m to 6m (thanks Ana)",
       "Cut the build from 20m to 6m (3.3x faster; thanks Ana)."},
      // A rate that rose, a size that fell.
      {"Throughput from 1,200 to 3,000 req/s", "Throughput from 1,200 to 3,000 req/s (2.5x higher)."},
      {"Bundle from 2 MB to 500 KB", "Bundle from 2 MB to 500 KB (4x smaller)."},
      // Under 2x, the change in per cent, or in points between percentages.
      {"cold start 62 ms -> 41 ms", "Cold start 62 ms -> 41 ms (down 34%)."},
      {"cut the cluster from 11 to 8 nodes", "Cut the cluster from 11 to 8 nodes (down 27%)."},
      {"Coverage from 61% to 84% on billing", "Coverage from 61% to 84% (up 23 points) on billing."},
      // From 2x, a count in fewer or more.
      {"cut pages from 340 to 4", "Cut pages from 340 to 4 (85x fewer)."},
      // The note gives its own factor: none is added.
      {"Made the resizer 3x faster: from 900ms to 300ms",
       "Made the resizer 3x faster: from 900ms to 300ms."},
  };
  for (const Case& c : cases) {
    CAPTURE(c.note);
    CHECK(Draft(ManualNote(c.note)).paragraph == c.paragraph);
  }
}

TEST_CASE("review: a note that only repeats the PR's title is not said twice") {
  Drafted d = Draft(PrNote("fix flaky checkout tests.", 490, "Fix flaky checkout tests"));
  CHECK(d.paragraph == "Fix flaky checkout tests (PR #490, payments).");
}

TEST_CASE("review: a local merge with no PR number names only its repo") {
  Drafted d = Draft(PrNote("Cut p95 from 1.8s to 240ms.", 0, "Merge branch 'fast-search'"));
  CHECK(d.paragraph ==
        "Merge branch 'fast-search' (payments). Cut p95 from 1.8s to 240ms (7.5x faster).");
}

TEST_CASE("review: a note of nothing but tags asks for the paragraph") {
  std::string review = RenderReview(
      BuildDigest({ManualNote("#perf #db")}, {0, 2 * kAt, ""}, DefaultCategoryRules(), {}));
  CHECK(review.find("## Performance & scalability\n\n"
                    "> To add: what you did and the impact it had.\n"
                    "> To add: the next step (what this enables, or the next target).\n") !=
        std::string::npos);
}

// A merged PR whose prompt waits for its note.
LogEntry Unanswered(int64_t prompt, int64_t pr, const std::string& title, int64_t at) {
  LogEntry e = PrNote("", pr, title);
  e.note.reset();
  e.time = e.event->commit_time = at;
  e.event->id = prompt;
  e.event->key = e.event->commit = std::string(40, static_cast<char>('a' + prompt));
  Prompt p;
  p.id = prompt;
  p.state = prompt == 3 ? PromptState::kSnoozed : PromptState::kPending;
  e.prompt = p;
  return e;
}

TEST_CASE("review: PRs merged and no note make a skeleton of the PRs to fill in") {
  test::ScopedEnv tz("TZ", "UTC");
  tzset();
  constexpr int64_t kNov25 = 1764028800;  // 2025-11-25T00:00:00Z
  std::vector<LogEntry> entries{
      Unanswered(2, 481, "Add composite index on orders", kNov25 + 3600),
      Unanswered(3, 0, "Merge branch 'cache'", kNov25 + 86400),
      Unanswered(4, 12, "Retry `fetch` on 503", kNov25 + 2 * 86400)};
  std::string review = RenderReview(BuildDigest(
      entries, {kNov25, kNov25 + 7 * 86400, ""}, DefaultCategoryRules(), {}));
  CHECK(review.find("No notes in this period.") == std::string::npos);
  std::string want =
      "## To fill in\n\n"
      "No notes in this period yet: 3 merged PRs wait for one. Write the impact of "
      "each "
      "below with `brag answer ID \"...\"`, or of all in turn with `brag prompt` "
      "(`brag pending` lists them), then run `brag review` again for the "
      "paragraphs.\n\n"
      "### Add composite index on orders (PR #481, payments), merged 2025-11-25\n\n"
      "Impact: still to write.\n\n"
      "> Fill in: `brag answer 2 \"what changed, for whom, with a number\"`\n\n"
      "### Merge branch 'cache' (payments), merged 2025-11-26\n\n"
      "Impact: still to write (snoozed).\n\n"
      "> Fill in: `brag answer 3 \"what changed, for whom, with a number\"`\n\n"
      "### Retry `fetch` on 503 (PR #12, payments), merged 2025-11-27\n\n"
      "Impact: still to write.\n\n"
      "> Fill in: `brag answer 4 \"what changed, for whom, with a number\"`\n\n"
      "## Before you submit\n\n";
  CHECK(review.find(want) != std::string::npos);
  CHECK(review.find("_[") == std::string::npos);
}

TEST_CASE("review: a period with neither notes nor merged PRs still says so") {
  std::string review =
      RenderReview(BuildDigest({}, {0, 2 * kAt, ""}, DefaultCategoryRules(), {}));
  CHECK(review.find("No notes in this period.\n") != std::string::npos);
  CHECK(review.find("To fill in") == std::string::npos);
}

TEST_CASE("review: no bracketed placeholder anywhere in the fixed week's draft") {
  test::ScopedEnv tz("TZ", "UTC");
  tzset();
  test::FixedJournal j;
  std::string review = RenderReview(j.Build());
  CHECK(review.find("_[") == std::string::npos);
  CHECK(review.find("[add") == std::string::npos);
  CHECK(review.find("[what") == std::string::npos);
  CHECK(review.find("**What I did:**") == std::string::npos);
}

}  // namespace
}  // namespace brag::digest
