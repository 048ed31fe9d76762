#include "detect/impact_trailer.h"

#include <doctest/doctest.h>

namespace brag::detect {

using Lines = std::vector<std::string>;

TEST_CASE("an Impact: trailer in any case is the commit's note") {
  CHECK(ImpactLines("Add the index\n\nImpact: p95 3.4s -> 18ms\n") ==
        Lines{"p95 3.4s -> 18ms"});
  CHECK(ImpactLines("Add the index\n\nIMPACT:   checkout 2x faster  \n") ==
        Lines{"checkout 2x faster"});
  CHECK(ImpactLines("x\n\nimpact: a\nSigned-off-by: Me <me@example.com>") == Lines{"a"});
}

TEST_CASE("a squash keeps each folded commit's Impact: line once") {
  CHECK(ImpactLines("a\n\nImpact: one\n\nb\n\nImpact: two\n\nc\n\nImpact: one\n") ==
        Lines{"one", "two"});
}

TEST_CASE("no Impact: line, an empty one, comments and scissors give nothing") {
  CHECK(ImpactLines("Fix the build\n\nThe impact: none to speak of\n").empty());
  CHECK(ImpactLines("x\n\nImpact:   \n").empty());
  CHECK(ImpactLines("x\n# Impact: commented out\n").empty());
  CHECK(ImpactLines("x\n# ------------------------ >8 ------------------------\n"
                    "Impact: in the diff\n")
            .empty());
  CHECK(ImpactLines("").empty());
}

TEST_CASE("a message summarised as a hook files it: subject and Impact: lines") {
  MessageSummary s = SummarizeMessage(
      "\n\nCap retries\n\nBody.\n\nImpact: 0 storms since\nimpact: p99 2s -> 300ms\n");
  CHECK(s.subject == "Cap retries");
  CHECK(s.impact == "0 storms since; p99 2s -> 300ms");
  MessageSummary plain = SummarizeMessage("Only a subject");
  CHECK(plain.subject == "Only a subject");
  CHECK(plain.impact == "");
  CHECK(SummarizeMessage("").subject == "");
}

}  // namespace brag::detect
