#include "digest/categories.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace brag::digest {
namespace {

using Strings = std::vector<std::string>;

std::string ByNote(std::string_view note) {
  return Categorize(DefaultCategoryRules(), note, {}, {});
}

std::string ByTags(const Strings& tags) {
  return Categorize(DefaultCategoryRules(), "shipped it", tags, {});
}

std::string ByPaths(const Strings& paths) {
  return Categorize(DefaultCategoryRules(), "shipped it", {}, paths);
}

TEST_CASE("the seven categories of the guide, in its order, with titles") {
  std::vector<CategoryRule> rules = DefaultCategoryRules();
  REQUIRE(rules.size() == 7);
  Strings ids;
  for (const CategoryRule& r : rules) ids.push_back(r.category);
  CHECK(ids == Strings{"api", "performance", "data", "reliability", "leadership",
                       "collaboration", "devex"});
  CHECK(CategoryTitle(rules, "api") == "API & service design");
  CHECK(CategoryTitle(rules, "performance") == "Performance & scalability");
  CHECK(CategoryTitle(rules, "data") == "Data modeling & storage");
  CHECK(CategoryTitle(rules, "reliability") == "Security & reliability");
  CHECK(CategoryTitle(rules, "leadership") == "Technical leadership");
  CHECK(CategoryTitle(rules, "collaboration") == "Cross-team collaboration");
  CHECK(CategoryTitle(rules, "devex") == "Developer experience & invisible work");
  CHECK(CategoryTitle(rules, "nope") == "nope");
}

TEST_CASE("every category is reachable by a tag") {
  CHECK(ByTags({"#api"}) == "api");
  CHECK(ByTags({"perf"}) == "performance");
  CHECK(ByTags({"#performance"}) == "performance");
  CHECK(ByTags({"#db"}) == "data");
  CHECK(ByTags({"#migration"}) == "data");
  CHECK(ByTags({"#security"}) == "reliability");
  CHECK(ByTags({"#oncall"}) == "reliability");
  CHECK(ByTags({"#on-call"}) == "reliability");
  CHECK(ByTags({"#mentoring"}) == "leadership");
  CHECK(ByTags({"#docs"}) == "leadership");
  CHECK(ByTags({"#cross-team"}) == "collaboration");
  CHECK(ByTags({"#ci"}) == "devex");
  CHECK(ByTags({"#tests"}) == "devex");
}

TEST_CASE("tags are read from the note text, case-insensitively") {
  CHECK(ByNote("cut p99 on checkout #PERF") == "performance");
  CHECK(ByNote("wrote the runbook #on-call") == "reliability");
  CHECK(NoteTags("#perf, #On-Call and #123 but not a#b") == Strings{"perf", "on-call"});
}

TEST_CASE("tags win over words and paths; the first tag that maps wins") {
  std::vector<CategoryRule> rules = DefaultCategoryRules();
  CHECK(Categorize(rules, "cut p99 latency of the checkout query", {"#security"},
                   {"migrations/001.sql"}) == "reliability");
  CHECK(Categorize(rules, "cut latency #unknown #docs #perf", {}, {}) == "leadership");
  CHECK(Categorize(rules, "cut latency #perf", {"#mentoring"}, {}) == "leadership");
  CHECK(Categorize(rules, "cut latency", {"#nothing-maps"}, {}) == "performance");
}

TEST_CASE("every category is reachable by words") {
  CHECK(ByNote("added pagination to the orders endpoint") == "api");
  CHECK(ByNote("p99 latency down after caching the hot path") == "performance");
  CHECK(ByNote("new schema and a backfill for the ledger table") == "data");
  CHECK(ByNote("rotated the leaked secret and wrote the postmortem") == "reliability");
  CHECK(ByNote("mentored two new hires through their first code review") ==
        "leadership");
  CHECK(ByNote("partnered with the payments stakeholders on the cutover") ==
        "collaboration");
  CHECK(ByNote("made the CI pipeline cache dependencies") == "devex");
}

TEST_CASE("words match whole words, plurals and phrases, in any case") {
  CHECK(ByNote("two new ENDPOINTS") == "api");
  CHECK(ByNote("the apiary is open") == "uncategorised");  // no word matched
  CHECK(ByNote("set up Disaster Recovery drills") == "reliability");
  CHECK(ByNote("took on on call duty") == "reliability");
}

TEST_CASE("the category with the most word matches wins") {
  // data: schema, migration, table; performance: latency.
  CHECK(ByNote("schema migration for the orders table to cut latency") == "data");
  // performance: latency, p99, cache; data: query.
  CHECK(ByNote("p99 latency of the search query halved with a cache") == "performance");
}

TEST_CASE("a word tie goes to the rule listed first") {
  CHECK(ByNote("latency of the database") == "performance");  // performance before data
  CHECK(ByNote("a flaky endpoint") == "api");                 // api before devex
}

TEST_CASE("every category is reachable by paths") {
  CHECK(ByPaths({"proto/orders.proto", "api/orders/handler.go"}) == "api");
  CHECK(ByPaths({"bench/search_bench.cc"}) == "performance");
  CHECK(ByPaths({"migrations/0042_ledger.sql"}) == "data");
  CHECK(ByPaths({"terraform/vpc.tf", "alerts/payments.yaml"}) == "reliability");
  CHECK(ByPaths({"docs/adr/0007-queues.md"}) == "leadership");
  CHECK(ByPaths({"CODEOWNERS"}) == "collaboration");
  CHECK(ByPaths({".github/workflows/ci.yml", "Dockerfile"}) == "devex");
}

TEST_CASE("paths decide by majority, ties by rule order") {
  CHECK(ByPaths({"migrations/1.sql", "migrations/2.sql", "api/v1/orders.go"}) ==
        "data");
  CHECK(ByPaths({"api/v1/orders.go", "migrations/1.sql"}) == "api");
  CHECK(ByPaths({"src/a.cc", "src/b.cc"}) == "uncategorised");
}

TEST_CASE("words win over paths") {
  CHECK(Categorize(DefaultCategoryRules(), "mentored Sam on the rollout", {},
                   {".github/workflows/ci.yml"}) == "leadership");
}

TEST_CASE("with nothing matching, a note is uncategorised unless told otherwise") {
  CHECK(ByNote("shipped the thing") == "uncategorised");
  CHECK(CategoryTitle(DefaultCategoryRules(), "uncategorised") == "Uncategorised");
  CHECK(Categorize(DefaultCategoryRules(), "shipped the thing", {}, {}, "devex") ==
        "devex");
  Categorizer categorizer(DefaultCategoryRules(), "performance");
  CHECK(categorizer.Categorize("shipped the thing", {}, {"src/x.cc"}) == "performance");
}

// Notes as engineers write them, each filed by hand where a reader of the
// self-assessment guide would look for it; those that say nothing about the
// kind of work stay uncategorised rather than land in a guessed category.
struct FiledNote {
  const char* note;
  const char* category;
  Strings paths = {};
};

TEST_CASE("real notes land in the category a person would file them under") {
  const FiledNote notes[] = {
      {"cold start 62 ms -> 41 ms", "performance"},
      {"Lambda cold starts down from 900ms to 300ms by trimming the bundle", "performance"},
      {"Cut checkout p95 from 1.8s to 240ms with a composite index", "performance"},
      {"p99 of the pricing API from 1.8s to 240ms", "performance"},
      {"Search throughput up from 1.2k to 3k req/s after batching the writes",
       "performance"},
      {"Made the image resizer 3x faster by reusing buffers", "performance"},
      {"Page load 4.2 s -> 1.1 s on the billing page", "performance"},
      {"Worker memory from 2.1 GB to 600 MB", "performance"},
      {"Added idempotency keys to the refunds endpoint", "api"},
      {"Versioned the public webhook payloads so partners can pin v2", "api"},
      {"Moved 40M rows of the ledger to the new partitioned table with zero downtime",
       "data"},
      {"Wrote the backfill for the new invoices schema", "data"},
      {"Rotated the leaked Stripe secret and added a scanner to CI", "reliability"},
      {"Led the postmortem for the Sunday outage", "reliability"},
      {"Webhook timeouts from 3% to 0.2% after adding retries with backoff", "reliability"},
      {"Mentored two new hires through their first on-call week", "leadership"},
      {"Reviewed 30 PRs for the platform team this quarter", "leadership"},
      {"Onboarded three engineers onto the payments codebase", "leadership"},
      {"Partnered with the data science team to ship the churn model", "collaboration"},
      {"Fixed the flaky checkout tests; CI is green again", "devex"},
      {"Upgraded the build to Bazel 7, local builds 40% faster", "devex"},
      {"Added a Grafana dashboard for queue depth", "devex"},
      {"Reduced the AWS bill by $8,400/month by rightsizing the nodes", "performance"},
      {"restore in 4 min, down from 25 min", "reliability"},
      {"Automated the cert renewals, saving the team an hour of toil a week", "devex"},
      // Nothing in these says what kind of work it was.
      {"Shipped the thing", "uncategorised"},
      {"Wrapped up the Q3 launch with Maria", "uncategorised"},
      {"Finally got the invoice export out the door", "uncategorised"},
      {"Handled the EU launch checklist", "uncategorised"},
      {"Fixed a typo", "uncategorised"},
      {"Saved 3 engineers a day every week", "uncategorised"},
      {"Previously 40 s, now 12 s for the nightly export", "uncategorised"},
      // A changed path places a note its words do not.
      {"Shipped the thing", "data", {"db/migrations/0042_orders.sql"}},
      {"Finally got the invoice export out the door", "uncategorised", {"app/export.go"}},
  };
  Categorizer categorizer(DefaultCategoryRules());
  for (const FiledNote& n : notes) {
    std::string note = n.note;
    CAPTURE(note);
    CHECK(categorizer.Categorize(note, {}, n.paths) == std::string(n.category));
  }
}

TEST_CASE("a word that opens the note counts twice: the verb says what the work was") {
  // leadership: mentored (first, twice); reliability: on-call.
  CHECK(ByNote("Mentored Ana through her first on-call week") == "leadership");
  // The same words, the verb no longer first: a tie, to the rule listed first.
  CHECK(ByNote("Ana's first on-call week, mentored") == "reliability");
}

TEST_CASE("globs: * within a segment, ** across, no slash means the file name") {
  CHECK(MatchesGlob("*.proto", "api/v1/orders.proto"));
  CHECK_FALSE(MatchesGlob("*.proto", "api/v1/orders.protobuf"));
  CHECK(MatchesGlob("Dockerfile", "services/pay/Dockerfile"));
  CHECK(MatchesGlob("api/**", "api/v1/orders.go"));
  CHECK(MatchesGlob("api/**", "services/pay/api/handler.go"));
  CHECK_FALSE(MatchesGlob("api/**", "myapi/handler.go"));
  CHECK_FALSE(MatchesGlob("/api/**", "services/pay/api/handler.go"));
  CHECK(MatchesGlob("/api/**", "api/handler.go"));
  CHECK(MatchesGlob("**/*_test.*", "orders_test.go"));
  CHECK(MatchesGlob("**/*_test.*", "a/b/orders_test.cc"));
  CHECK_FALSE(MatchesGlob("**/*_test.*", "a/b/orders.cc"));
  CHECK(MatchesGlob(".github/workflows/**", ".github/workflows/ci.yml"));
  CHECK(MatchesGlob("docker-compose*.yml", "docker-compose.prod.yml"));
  CHECK(MatchesGlob("src/?.cc", "src/a.cc"));
  CHECK_FALSE(MatchesGlob("src/*.cc", "src/a/b.cc"));
}

TEST_CASE("MergeRules extends a known category and adds a titled new one") {
  std::vector<CategoryRule> extra = {
      {.category = "performance",
       .tags = {"speed-run"},
       .words = {"flamegraph"},
       .path_globs = {"profiles/**"}},
      {.category = "product",
       .title = "Product impact",
       .tags = {"launch"},
       .words = {"launched", "experiment"}},
  };
  Result<std::vector<CategoryRule>> merged = MergeRules(DefaultCategoryRules(), extra);
  REQUIRE(merged.has_value());
  REQUIRE(merged->size() == 8);
  CHECK(merged->back().category == "product");
  CHECK(CategoryTitle(*merged, "product") == "Product impact");
  CHECK(CategoryTitle(*merged, "performance") == "Performance & scalability");

  CHECK(Categorize(*merged, "read the flamegraph", {}, {}) == "performance");
  CHECK(Categorize(*merged, "x", {"#speed-run"}, {}) == "performance");
  CHECK(Categorize(*merged, "x", {}, {"profiles/cpu.pb"}) == "performance");
  CHECK(Categorize(*merged, "launched the pricing experiment", {}, {}) == "product");
  CHECK(Categorize(*merged, "x #launch", {}, {}) == "product");
}

TEST_CASE("MergeRules can rename a category and does not repeat entries") {
  Result<std::vector<CategoryRule>> merged = MergeRules(
      DefaultCategoryRules(), {{.category = "devex", .title = "DX", .words = {"ci"}}});
  REQUIRE(merged.has_value());
  CHECK(CategoryTitle(*merged, "devex") == "DX");
  const CategoryRule& devex = merged->back();
  CHECK(std::count(devex.words.begin(), devex.words.end(), "ci") == 1);
}

TEST_CASE("MergeRules rejects an unknown category without a title, naming it") {
  Result<std::vector<CategoryRule>> merged =
      MergeRules(DefaultCategoryRules(), {{.category = "perfomance", .words = {"x"}}});
  REQUIRE_FALSE(merged.has_value());
  CHECK(merged.error().code == "config");
  CHECK(merged.error().message.find("\"perfomance\"") != std::string::npos);
  CHECK(merged.error().message.find("performance") != std::string::npos);

  Result<std::vector<CategoryRule>> empty = MergeRules(DefaultCategoryRules(), {{}});
  CHECK_FALSE(empty.has_value());
}

TEST_CASE("invisible work from words and tags") {
  CHECK(IsInvisibleWork("fixed the flaky checkout tests", {}, {}));
  CHECK(IsInvisibleWork("added a dashboard and alerts for the queue", {}, {}));
  CHECK(IsInvisibleWork("wrote the failover runbook", {}, {}));
  CHECK(IsInvisibleWork("tracing across the payment services", {}, {}));
  CHECK(IsInvisibleWork("sped up CI", {}, {}));
  CHECK(IsInvisibleWork("updated the docs", {}, {}));
  CHECK(IsInvisibleWork("built an on-call handoff bot", {}, {}));
  CHECK(IsInvisibleWork("misc", {"#observability"}, {}));
  CHECK(IsInvisibleWork("misc #ci", {}, {}));
  CHECK_FALSE(IsInvisibleWork("shipped the refund endpoint", {}, {}));
  CHECK_FALSE(IsInvisibleWork("cut p99 from 2s to 300ms", {"#perf"}, {}));
}

TEST_CASE("invisible work from paths needs most of the paths") {
  CHECK(IsInvisibleWork("misc", {}, {".github/workflows/ci.yml"}));
  CHECK(IsInvisibleWork("misc", {},
                        {"pay/refund_test.go", "docs/refunds.md", "pay/x.go"}));
  CHECK(IsInvisibleWork("misc", {}, {"runbooks/db-failover.md"}));
  CHECK_FALSE(IsInvisibleWork("misc", {}, {"pay/refund.go", "pay/refund_test.go"}));
  CHECK_FALSE(IsInvisibleWork("misc", {}, {}));
}

TEST_CASE("a Categorizer gives the same answers as Categorize") {
  Categorizer categorizer(DefaultCategoryRules());
  const char* notes[] = {"cut p99 latency", "new schema", "mentored Ana", "shipped"};
  for (const char* note : notes) {
    CHECK(categorizer.Categorize(note, {}, {}) ==
          Categorize(DefaultCategoryRules(), note, {}, {}));
  }
}

}  // namespace
TEST_CASE("WithoutTags removes what NoteTags finds, and the space beside it") {
  auto without = [](std::string_view note) {
    std::string out;
    WithoutTags(note, out);
    return out;
  };
  CHECK(without("Cut p95 to 90ms #perf") == "Cut p95 to 90ms");
  CHECK(without("#perf Cut p95 to 90ms") == "Cut p95 to 90ms");
  CHECK(without("Cut #perf p95 to 90ms") == "Cut p95 to 90ms");
  CHECK(without("Cut p95 to 90ms #db, then #perf.") == "Cut p95 to 90ms, then.");
  CHECK(without("Fixed #123 and C# code, issue#4") == "Fixed #123 and C# code, issue#4");
  CHECK(without("on call (#on-call) #sre_team") == "on call");
  CHECK(without("paged twice (#on-call), then fixed") == "paged twice, then fixed");
  CHECK(without("a (#b c) d") == "a (c) d");
  CHECK(without("no tags at all") == "no tags at all");
  CHECK(without("#only") == "");
  // The same tags NoteTags reads.
  CHECK(NoteTags("on call (#on-call) #sre_team") == std::vector<std::string>{"on-call", "sre_team"});
}

}  // namespace brag::digest
