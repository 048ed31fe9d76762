#include "impact/sharpen.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "impact/metrics.h"

namespace brag::impact {
namespace {

std::vector<Suggestion> SharpenNote(std::string_view note) {
  return Sharpen(note, ExtractMetrics(note));
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The phrases flagged as weak, in order.
std::vector<std::string> WeakPhrases(std::string_view note) {
  std::vector<std::string> phrases;
  for (const Suggestion& s : SharpenNote(note)) {
    if (s.issue == kWeakPhrasing) phrases.push_back(s.phrase);
  }
  return phrases;
}

// The kNoNumber suggestion for `note`, which must have one, first.
std::string NumberToAdd(std::string_view note) {
  std::vector<Suggestion> s = SharpenNote(note);
  INFO("note: ", std::string(note));
  REQUIRE(!s.empty());
  REQUIRE(s[0].issue == kNoNumber);
  CHECK(s[0].phrase.empty());
  return std::string(s[0].suggestion);
}

TEST_CASE("a note with numbers and owned verbs gets no suggestions") {
  const char* notes[] = {
      "Cut p99 latency from 1.8s to 240ms by batching the ledger reads",
      "Led the billing migration: 12 million records moved, 0 min downtime",
      "Shipped the refund endpoint; 3 teams use it",
      "Designed the retry policy that cut pages from 40 to 2 a week",
  };
  for (const char* note : notes) {
    INFO("note: ", std::string(note));
    CHECK(SharpenNote(note).empty());
  }
}

TEST_CASE("a note with no number gets the number to add, chosen from its words") {
  CHECK(Contains(NumberToAdd("made the search endpoint faster"),
                 "before and after latency, e.g. p99 1.8s -> 240ms"));
  CHECK(Contains(NumberToAdd("Led the orders migration to Postgres"),
                 "rows/tables moved, downtime (0 min?), rollback count"));
  CHECK(Contains(NumberToAdd("Tuned the noisy disk alerts"),
                 "how many alerts/pages per week before and after"));
  CHECK(Contains(NumberToAdd("Shrank our cloud bill"), "$ per month saved"));
  CHECK(Contains(NumberToAdd("Shipped a faster CI pipeline"), "latency"));
  CHECK(Contains(NumberToAdd("Split the CI pipeline"), "build or deploy time"));
  CHECK(
      Contains(NumberToAdd("Mentored Ana through her first on-call"), "who it helped"));
  CHECK(Contains(NumberToAdd("Shipped the new onboarding flow"), "who it helped"));
  CHECK(Contains(NumberToAdd("Designed the plugin system"),
                 "a before -> after number, or who it unblocked"));
}

TEST_CASE("weak verbs are flagged with the phrase as written") {
  CHECK(WeakPhrases("Helped with the Kafka upgrade") ==
        std::vector<std::string>{"Helped with"});
  CHECK(WeakPhrases("worked on the migration") ==
        std::vector<std::string>{"worked on"});
  CHECK(WeakPhrases("I was involved in the design review") ==
        std::vector<std::string>{"was involved in"});
  CHECK(WeakPhrases("assisted the SRE team") == std::vector<std::string>{"assisted"});
  CHECK(WeakPhrases("contributed to the auth rewrite") ==
        std::vector<std::string>{"contributed to"});
  CHECK(WeakPhrases("participated in the incident review") ==
        std::vector<std::string>{"participated in"});
  CHECK(WeakPhrases("supported the launch") == std::vector<std::string>{"supported"});
  CHECK(WeakPhrases("tried to speed up the build") ==
        std::vector<std::string>{"tried to"});
  CHECK(WeakPhrases("want to learn Rust") == std::vector<std::string>{"want to learn"});
  CHECK(WeakPhrases("improved things") == std::vector<std::string>{"improved things"});
}

TEST_CASE("a weak verb's suggestion names the ownership verb and the effect") {
  std::vector<Suggestion> s = SharpenNote("Helped with the Kafka upgrade");
  REQUIRE(s.size() == 2);
  CHECK(s[0].issue == kNoNumber);
  CHECK(s[1].issue == kWeakPhrasing);
  CHECK(Contains(s[1].suggestion, "\"led\""));
  CHECK(Contains(s[1].suggestion, "downstream"));

  s = SharpenNote("worked on the migration");
  REQUIRE(s.size() == 2);
  CHECK(Contains(s[1].suggestion, "\"migrated\""));
  CHECK(Contains(s[1].suggestion, "\"shipped\""));
}

TEST_CASE("a vague fix is weak only when the note has no number") {
  CHECK(WeakPhrases("fixed the slow queries") ==
        std::vector<std::string>{"fixed the slow queries"});
  CHECK(WeakPhrases("Optimized the image build.") ==
        std::vector<std::string>{"Optimized the image build"});
  CHECK(WeakPhrases("fixed the slow queries: p99 from 4s to 80ms").empty());
  std::vector<Suggestion> s = SharpenNote("fixed the slow queries");
  REQUIRE(s.size() == 2);
  CHECK(Contains(s[0].suggestion, "latency"));
  CHECK(Contains(s[1].suggestion, "from 4s to 80ms"));
}

TEST_CASE("vague quantities are flagged even next to a number") {
  CHECK(WeakPhrases("cleaned up various scripts") ==
        std::vector<std::string>{"cleaned up various scripts"});
  CHECK(WeakPhrases("moved some jobs, cut the queue from 400 to 20") ==
        std::vector<std::string>{"some"});
  CHECK(WeakPhrases("deleted various dead flags, 3 services simpler") ==
        std::vector<std::string>{"various"});
}

TEST_CASE("weak phrases are reported in order, each once") {
  CHECK(WeakPhrases("Worked on the rollout and helped with some dashboards") ==
        std::vector<std::string>{"Worked on", "helped with", "some"});
  CHECK(WeakPhrases("was involved in the launch") ==
        std::vector<std::string>{"was involved in"});
}

TEST_CASE("weak phrases are whole words") {
  CHECK(WeakPhrases("Shipped handsome dashboards; cut pages from 9 to 1").empty());
  CHECK(WeakPhrases("Unsupported flags removed, 14 of them").empty());
}

}  // namespace
}  // namespace brag::impact
