#include "cli/reply.h"

#include <doctest/doctest.h>

namespace brag::cli {
namespace {

using nlohmann::json;

const json kPrompt = json::parse(R"({"id":12,"kind":"pr_merged","state":"pending",
  "created":"2026-11-29T10:02:11Z","repo":"/p","repo_name":"payments","commit":"9fce",
  "forge":"github","pr":481,"title":"Add index","branch":null,"authors":["me@x.com"],
  "commit_time":"2026-11-29T10:01:58Z","diffstat":{"files":3,"insertions":42,"deletions":7},
  "paths":["a.sql"],"snoozed_until":null,"note":null,"commit_notes":[],"event":4})");

TEST_CASE("replies of the documented shapes are accepted") {
  json incident = kPrompt;
  incident["kind"] = "incident_closed";
  incident["pr"] = nullptr;
  incident["incident"] = {{"opened", "2026-11-28T22:14:03Z"},
                          {"closed", nullptr},
                          {"duration_s", nullptr},
                          {"commits", 4},
                          {"merged", true}};
  CHECK(CheckReply("pending", {{"prompts", {kPrompt, incident}}}));
  CHECK(CheckReply("pending", {{"prompts", json::array()}}));
  CHECK(CheckReply("dismiss", {{"prompt", kPrompt}}));
  CHECK(CheckReply("note", {{"note",
                             {{"id", 7},
                              {"kind", "note"},
                              {"text", "x"},
                              {"tags", {"perf"}},
                              {"repo", nullptr}}}}));
  json event = kPrompt;
  event.erase("id");  // an event without a prompt, in the log
  CHECK(CheckReply("log", {{"entries", {event, {{"kind", "note"}, {"text", "x"}}}}}));
  CHECK(CheckReply("status", {{"running", false},
                              {"config", nullptr},
                              {"pending", 0},
                              {"repos", json::array()},
                              {"identities", {"me@x.com"}}}));
  CHECK(CheckReply("repos.list",
                   {{"repos", {{{"id", 1}, {"name", "p"}, {"error", nullptr}}}}}));
  CHECK(CheckReply("subscribe", 5));  // not read: anything goes
  CHECK(CheckPushedPrompt(kPrompt));
}

TEST_CASE("replies of another shape are a protocol error naming the method") {
  Status s = CheckReply("note", {{"note", 5}});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == "protocol");
  CHECK(s.error().message == "bragd sent an unexpected reply to note");
  json pr_text = kPrompt;
  pr_text["pr"] = "481";
  json no_id = kPrompt;
  no_id.erase("id");
  CHECK_FALSE(CheckReply("pending", {{"prompts", json::object()}}));
  CHECK_FALSE(CheckReply("pending", {{"prompts", {pr_text}}}));
  CHECK_FALSE(CheckReply("pending", {{"prompts", {no_id}}}));
  CHECK_FALSE(CheckReply("pending", json::array()));
  CHECK_FALSE(CheckReply("note", json::array()));
  CHECK_FALSE(CheckReply("status", {{"running", "yes"}}));
  CHECK_FALSE(CheckReply("log", {{"entries", {{{"tags", {1}}}}}}));
  CHECK_FALSE(
      CheckReply("answer", {{"prompt", {{"id", 1}, {"diffstat", {{"files", "3"}}}}}}));
  CHECK_FALSE(CheckPushedPrompt({{"id", 1.5}}));
}

}  // namespace
}  // namespace brag::cli
