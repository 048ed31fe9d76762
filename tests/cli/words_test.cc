// Errors in words for people: each expected sentence is written by hand.
#include "cli/words.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace brag::cli {
namespace {

TEST_CASE("edit distance counts the edits between two words") {
  CHECK(EditDistance("status", "status") == 0);
  CHECK(EditDistance("stauts", "status") == 1);  // two letters swapped
  CHECK(EditDistance("lsit", "list") == 1);
  CHECK(EditDistance("pendng", "pending") == 1);
  CHECK(EditDistance("", "log") == 3);
  CHECK(EditDistance("kitten", "sitting") == 3);
}

TEST_CASE("the nearest command is offered only when it is near enough to be a typo") {
  std::vector<std::string> names{"status", "pending", "prompt", "answer", "snooze",
                                 "log",    "note",    "repos",  "review", "digest"};
  CHECK(NearestName("stauts", names) == "status");
  CHECK(NearestName("pendign", names) == "pending");
  CHECK(NearestName("reveiw", names) == "review");
  CHECK(NearestName("lgo", names) == "log");
  CHECK(NearestName("rveiew", names) == "review");
  CHECK(NearestName("frobnicate", names) == "");
  CHECK(NearestName("x", names) == "");
}

TEST_CASE("a parameter error speaks of the command and its argument, not the method") {
  Complaint snooze = ForPeople(
      MakeError("bad_request",
                "snooze: parameter \"until\": the time must be in the future"),
      "snooze");
  CHECK(snooze.what == "cannot snooze to that time");
  CHECK(snooze.why == "the time must be in the future");

  Complaint review = ForPeople(
      MakeError("bad_request",
                "digest: parameter \"since\": it would start on 2027-01-01 and end on "
                "2026-12-06; the start must come first"),
      "review");
  CHECK(review.what == "cannot make the review for those dates");
  CHECK(
      review.why ==
      "it would start on 2027-01-01 and end on 2026-12-06; the start must come first");

  Complaint log =
      ForPeople(MakeError("bad_request",
                          "log: parameter \"kind\" must be one of pr_merged, note"),
                "log");
  CHECK(log.what == "cannot list the journal of that kind");
  CHECK(log.why.find("bad_request") == std::string::npos);
  CHECK(log.why.find("\"kind\"") == std::string::npos);
}

TEST_CASE("a protocol code becomes a reason in English") {
  Complaint answered =
      ForPeople(MakeError("conflict", "prompt 28 is already answered"), "answer");
  CHECK(answered.what == "prompt 28 is already answered");
  CHECK(answered.why == "a prompt takes one note; brag log shows it");

  Complaint missing =
      ForPeople(MakeError("not_found", "no prompt with id 9"), "dismiss");
  CHECK(missing.what == "no prompt with id 9");
  CHECK(missing.why == "see brag pending for the prompts waiting");

  Complaint repo = ForPeople(
      MakeError("not_found", "note: no watched repo or folder \"x\""), "note");
  CHECK(repo.what == "no watched repo or folder \"x\"");
  CHECK(repo.why == "see brag repos list for the repos watched");

  Complaint down =
      ForPeople(MakeError("unreachable",
                          "bragd is not running (\"rescan\" needs it; start bragd)"),
                "scan");
  CHECK(down.what == "bragd is not running");
  CHECK(down.why == "start bragd, or see brag status");

  for (const char* code : {"bad_request", "not_found", "conflict", "unreachable",
                           "journal", "io", "git", "config", "protocol", "mystery"}) {
    Complaint c = ForPeople(MakeError(code, "it broke"), "pending");
    INFO(code);
    CHECK(c.why.find('_') == std::string::npos);
    CHECK(c.why != code);
  }
}

}  // namespace
}  // namespace brag::cli
