// Triage in bulk (issue 15): dismiss and snooze take several ids, --all,
// --repo and --before, with bragd up and with it down; pending lists the
// newest merge first and, with --all, the snoozed prompts with their time.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "core/timeutil.h"
#include "journal/journal.h"
#include "protocol/client.h"

namespace brag::test {
namespace {

using nlohmann::json;

// 2025-01-10T00:00:00Z: api's PRs #1..#3 merged on 10, 11 and 12 January
// 2025; web's PRs #11 and #12 on 1 and 2 June 2026.
constexpr int64_t kJan10 = 1736467200;
constexpr int64_t kJun1 = 1780272000;
constexpr int64_t kDay = 86400;

struct TriageWorld {
  World world;
  std::optional<BragdProcess> bragd;

  explicit TriageWorld(bool up) {
    {
      auto journal = Journal::Open(world.journal(), Journal::Mode::kReadWrite);
      REQUIRE_MESSAGE(journal.has_value(), journal.error().message);
      Record(**journal, "/nonexistent/api", "api", {{1, kJan10}, {2, kJan10 + kDay},
                                                    {3, kJan10 + 2 * kDay}});
      Record(**journal, "/nonexistent/web", "web", {{11, kJun1}, {12, kJun1 + kDay}});
    }
    if (up) {
      bragd.emplace(world);
      REQUIRE(bragd->WaitReady());
    }
  }

  static void Record(Journal& journal, const std::string& path, const std::string& name,
                     const std::vector<std::pair<int64_t, int64_t>>& prs) {
    Result<RepoRecord> repo = journal.repos().AddRepo(path, name, "added", 1);
    REQUIRE(repo.has_value());
    std::vector<Event> events;
    for (auto [pr, time] : prs) {
      Event e;
      e.kind = EventKind::kPrMerged;
      e.key = name + std::to_string(pr);
      e.commit = std::string(40, 'a');
      e.forge = "github";
      e.pr = pr;
      e.title = "Change " + std::to_string(pr);
      e.authors = {"me@example.com"};
      e.commit_time = time;
      events.push_back(std::move(e));
    }
    REQUIRE(journal.repos().RecordEvents(repo->id, events, 1).has_value());
  }

  CommandResult Brag(const std::string& args) const { return world.Brag(args); }

  // PR number -> prompt id, from `pending --all --json`.
  int64_t Id(int64_t pr) const {
    for (const json& p : Pending("--all")) {
      if (p["pr"] == pr) return p["id"].get<int64_t>();
    }
    FAIL("no open prompt for PR #" << pr);
    return 0;
  }

  std::vector<json> Pending(const std::string& flags = "") const {
    CommandResult r = world.Brag("pending --json " + flags);
    REQUIRE_MESSAGE(r.code == 0, r.output);
    std::vector<json> out;
    size_t start = 0;
    while (start < r.output.size()) {
      size_t end = r.output.find('\n', start);
      out.push_back(json::parse(r.output.substr(start, end - start)));
      start = end + 1;
    }
    return out;
  }

  // The PR numbers `pending --json FLAGS` lists, in its order.
  std::vector<int64_t> Prs(const std::string& flags = "") const {
    std::vector<int64_t> prs;
    for (const json& p : Pending(flags)) prs.push_back(p["pr"].get<int64_t>());
    return prs;
  }
};

void CheckTriage(bool up) {
  TriageWorld w(up);
  CHECK(w.Prs() == std::vector<int64_t>{12, 11, 3, 2, 1});  // newest merge first

  // Several ids at once.
  CommandResult two =
      w.Brag("dismiss " + std::to_string(w.Id(12)) + " " + std::to_string(w.Id(2)));
  CHECK_MESSAGE(two.code == 0, two.output);
  CHECK(two.output.find("dismissed 2 prompts") != std::string::npos);
  CHECK(w.Prs() == std::vector<int64_t>{11, 3, 1});

  // Several ids and a time of two words; the snoozed ones leave `pending`
  // and are counted there, and `pending --all` shows them with the time.
  CommandResult later =
      w.Brag("snooze " + std::to_string(w.Id(11)) + " " + std::to_string(w.Id(1)) +
             " next week");
  CHECK_MESSAGE(later.code == 0, later.output);
  CHECK(later.output.find("snoozed 2 prompts until") != std::string::npos);
  CHECK(w.Prs() == std::vector<int64_t>{3});
  CHECK(w.Brag("pending --count").output == "1\n");
  CommandResult listed = w.Brag("pending");
  CHECK(listed.output.find("2 more prompts are snoozed (brag pending --all)") !=
        std::string::npos);
  std::vector<json> all = w.Pending("--all");
  REQUIRE(all.size() == 3);
  CHECK(all[0]["pr"] == 11);
  CHECK(all[0]["state"] == "snoozed");
  CHECK(all[0]["snoozed_until"].is_string());
  CHECK(all[1]["pr"] == 3);
  CHECK(all[1]["state"] == "pending");
  CHECK(w.Brag("pending --all").output.find("SNOOZED UNTIL") != std::string::npos);

  // A bad id changes nothing, not even the good ones named with it.
  CommandResult bad = w.Brag("dismiss " + std::to_string(w.Id(3)) + " 999999");
  CHECK(bad.code == 1);
  CHECK(w.Prs() == std::vector<int64_t>{3});

  // --before: only the merges before that date, snoozed or not (PRs #3, #1).
  CommandResult old = w.Brag("dismiss --before 2026-01-01");
  CHECK_MESSAGE(old.code == 0, old.output);
  CHECK(old.output.find("dismissed 2 prompts") != std::string::npos);
  CHECK(w.Prs("--all") == std::vector<int64_t>{11});

  // --repo by name; then nothing is left to match.
  CommandResult web = w.Brag("snooze --repo web 2h");
  CHECK_MESSAGE(web.code == 0, web.output);
  CHECK(web.output.find(": web PR #11 Change 11 until") != std::string::npos);
  CHECK(w.Brag("dismiss --repo api").output.find("No open prompts matched") !=
        std::string::npos);
  CommandResult everything = w.Brag("dismiss --all");
  CHECK_MESSAGE(everything.code == 0, everything.output);
  CHECK(w.Prs("--all").empty());
  CHECK(w.Brag("pending --count").output == "0\n");

  // Neither ids nor a selection, or both: a usage error.
  CHECK(w.Brag("dismiss").code == 2);
  CHECK(w.Brag("snooze 2h").code == 2);
  CommandResult both = w.Brag("dismiss 3 --all");
  CHECK(both.code == 2);
  CHECK(both.output ==
        "brag: error: prompt ids and a selection together (give ids, or --all, --repo and "
        "--before, not both)\n");
  CHECK(w.Brag("dismiss").output ==
        "brag: error: which prompts? (give their ids, or --all, --repo or --before)\n");
}

// The counts every command gives agree once some prompts are snoozed: the
// digest's unanswered (pending or snoozed) is pending --all's length, and
// status's pending is pending --count's.
void CheckCounts(bool up) {
  TriageWorld w(up);
  REQUIRE(w.Brag("snooze " + std::to_string(w.Id(1)) + " " + std::to_string(w.Id(11)) +
                 " tomorrow")
              .code == 0);
  REQUIRE(w.Brag("dismiss " + std::to_string(w.Id(12))).code == 0);
  // By hand: #2 and #3 wait, #1 and #11 are snoozed, #12 is dismissed.
  CHECK(w.Brag("pending --count").output == "2\n");
  CHECK(w.Pending("--all").size() == 4);
  CommandResult digest =
      w.Brag("digest --format json --since 2020-01-01 --until 2100-01-01");
  REQUIRE_MESSAGE(digest.code == 0, digest.output);
  json d = json::parse(digest.output);
  CHECK(d["counts"]["unanswered"] == 4);
  CHECK(d["unanswered"].size() == 4);
  CommandResult status = w.Brag("status --json");
  REQUIRE_MESSAGE(status.code == 0, status.output);
  CHECK(json::parse(status.output)["pending"] == 2);
}

TEST_CASE("snoozed prompts are counted the same by pending, the digest and status") {
  CheckCounts(true);
  CheckCounts(false);
}

TEST_CASE("dismiss and snooze in bulk with bragd up") { CheckTriage(true); }

TEST_CASE("dismiss and snooze in bulk with bragd down") { CheckTriage(false); }

// The next pushed `prompt` event within `timeout_ms`, past the
// `prompt_closed` events each snooze sends.
std::optional<json> NextPrompt(protocol::Client& sub, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    Result<json> event = sub.NextEvent(static_cast<int>(left.count()));
    if (!event) return std::nullopt;
    if ((*event)["event"] == "prompt") return *event;
  }
}

TEST_CASE("a snooze that runs out is pushed to subscribers again, once") {
  TriageWorld w(true);
  protocol::Client sub = w.bragd->Connect();
  REQUIRE(sub.Call("subscribe").has_value());
  protocol::Client c = w.bragd->Connect();
  int64_t id = w.Id(3);
  // Two seconds ahead, as unix seconds: the snooze ends while we wait.
  Result<json> snoozed =
      c.Call("snooze", {{"prompt", id}, {"until", UnixNow() + 2}});
  REQUIRE_MESSAGE(snoozed.has_value(), (snoozed ? "" : snoozed.error().message));
  CHECK(w.Prs() == std::vector<int64_t>{12, 11, 2, 1});
  // A later snooze of another prompt must not delay the first one's push.
  REQUIRE(c.Call("snooze", {{"prompt", w.Id(1)}, {"until", "1d"}}).has_value());

  std::optional<json> event = NextPrompt(sub, 15000);
  REQUIRE(event.has_value());
  CHECK((*event)["data"]["id"] == id);
  CHECK((*event)["data"]["pr"] == 3);
  CHECK((*event)["data"]["state"] == "pending");
  CHECK(w.Prs() == std::vector<int64_t>{12, 11, 3, 2});
  CHECK_FALSE(NextPrompt(sub, 1500).has_value());  // once, and not PR #1's
}

TEST_CASE("a prompt whose answer is removed is pushed to subscribers again") {
  TriageWorld w(true);
  protocol::Client sub = w.bragd->Connect();
  REQUIRE(sub.Call("subscribe").has_value());
  int64_t id = w.Id(2);
  CommandResult answered = w.Brag("answer " + std::to_string(id) + " q");
  REQUIRE_MESSAGE(answered.code == 0, answered.output);
  Result<json> log = w.bragd->Connect().Call("log", {{"kind", "pr_merged"}});
  REQUIRE(log.has_value());
  int64_t note = 0;
  for (const json& e : (*log)["entries"]) {
    if (e["pr"] == 2) note = e["note_id"].get<int64_t>();
  }
  REQUIRE(note > 0);
  CommandResult removed = w.Brag("rm " + std::to_string(note));
  REQUIRE_MESSAGE(removed.code == 0, removed.output);
  std::optional<json> event = NextPrompt(sub, 15000);
  REQUIRE(event.has_value());
  CHECK((*event)["data"]["id"] == id);
  CHECK((*event)["data"]["state"] == "pending");
}

}  // namespace
}  // namespace brag::test
