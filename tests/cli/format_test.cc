#include "cli/format.h"

#include <doctest/doctest.h>

#include "core/timeutil.h"

namespace brag::cli {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1764410531;  // 2025-11-29T10:02:11Z

json PromptAt(int64_t created) {
  return json{{"id", 12},
              {"kind", "pr_merged"},
              {"state", "pending"},
              {"created", FormatIsoUtc(created)},
              {"repo", "/home/me/code/payments"},
              {"repo_name", "payments"},
              {"pr", 481},
              {"title", "Add composite index on orders"},
              {"branch", "orders-index"},
              {"diffstat", {{"files", 3}, {"insertions", 42}, {"deletions", 7}}},
              {"note", nullptr}};
}

TEST_CASE("ages read as the largest whole unit") {
  CHECK(FormatAge(5) == "just now");
  CHECK(FormatAge(5 * 60 + 3) == "5m ago");
  CHECK(FormatAge(3 * 3600) == "3h ago");
  CHECK(FormatAge(2 * 86400 + 5) == "2d ago");
  CHECK(FormatAge(21 * 86400) == "3w ago");
}

TEST_CASE("uptimes show two units") {
  CHECK(FormatUptime(42) == "42s");
  CHECK(FormatUptime(361) == "6m 1s");
  CHECK(FormatUptime(2 * 3600 + 3 * 60 + 9) == "2h 3m");
  CHECK(FormatUptime(3 * 86400 + 4 * 3600) == "3d 4h");
}

TEST_CASE("a diffstat reads like git's summary") {
  CHECK(FormatDiffstat({{"files", 3}, {"insertions", 42}, {"deletions", 7}}) ==
        "3 files, +42 -7");
  CHECK(FormatDiffstat({{"files", 1}, {"insertions", 0}, {"deletions", 2}}) ==
        "1 file, +0 -2");
  CHECK(FormatDiffstat(nullptr) == "");
}

TEST_CASE("the kind marker names the PR, a local merge, an incident or a note") {
  CHECK(KindMarker({{"kind", "pr_merged"}, {"pr", 481}}) == "PR #481");
  CHECK(KindMarker({{"kind", "pr_merged"}, {"pr", nullptr}}) == "merge");
  CHECK(KindMarker({{"kind", "incident_closed"}}) == "incident");
  CHECK(KindMarker({{"kind", "note"}}) == "note");
}

TEST_CASE("an incident without a title is shown by its branch") {
  CHECK(Subject({{"title", ""}, {"branch", "incident/db-failover"}}) ==
        "incident/db-failover");
  CHECK(Subject({{"title", "Fix it"}, {"branch", "x"}}) == "Fix it");
}

TEST_CASE("ISO times are read back, and bad ones are 0") {
  CHECK(ParseIsoTime(FormatIsoUtc(kNow)) == kNow);
  CHECK(ParseIsoTime(nullptr) == 0);
  CHECK(ParseIsoTime("not a time") == 0);
  CHECK(LocalDate(nullptr) == "");
  CHECK(LocalDate("not a time") == "not a time");
  CHECK(LocalDate(FormatIsoUtc(kNow)).size() == 10);
}

TEST_CASE("the prompt card shows branch and diffstat under the title") {
  std::string card = PromptCard(PromptAt(kNow), Style{});
  CHECK(card ==
        "[12] payments  PR #481  Add composite index on orders\n"
        "     branch orders-index, 3 files, +42 -7\n");
}

TEST_CASE("status text covers the daemon, paths, identities, pending and repos") {
  json status{{"running", true},
              {"pid", 4242},
              {"version", "0.1.0"},
              {"uptime_s", 361},
              {"socket", "/run/s.sock"},
              {"journal", "/data/journal.db"},
              {"config", nullptr},
              {"identities", {"me@example.com"}},
              {"pending", 1},
              {"repos", {{{"name", "payments"}, {"path", "/p"}, {"state", "ok"}}}}};
  std::string text = StatusText(status, Style{});
  CHECK(text.find("running (pid 4242, version 0.1.0, up 6m 1s)") != std::string::npos);
  CHECK(text.find("/run/s.sock") != std::string::npos);
  CHECK(text.find("/data/journal.db") != std::string::npos);
  CHECK(text.find("built-in defaults") != std::string::npos);
  CHECK(text.find("me@example.com") != std::string::npos);
  CHECK(text.find("1 prompt\n") != std::string::npos);
  CHECK(
      text.ends_with("repos:      1\n"
                     "  NAME      STATE  PATH\n"
                     "  payments  ok     /p\n"));

  status["running"] = false;
  CHECK(StatusText(status, Style{}).find("not running") != std::string::npos);
}

TEST_CASE("colour wraps text in ANSI codes only when asked") {
  CHECK(Style{false}.Paint("x", Tone::kRed) == "x");
  CHECK(Style{true}.Paint("x", Tone::kRed) == "\x1b[31mx\x1b[0m");
  CHECK(Style{true}.Paint("x", Tone::kPlain) == "x");
}

TEST_CASE("a JSON line is compact, newline-terminated, and survives bad UTF-8") {
  CHECK(JsonLine({{"a", 1}}) == "{\"a\":1}\n");
  CHECK(JsonLine({{"t", std::string("bad \xff byte")}}).ends_with("\n"));
}

const std::string kHostile =
    "Fix \x1b]0;pwned\a index \x1b[2J\ndone \xc2\x9b"
    "31m";
const std::string kShown = "Fix \\e]0;pwned\\x07 index \\e[2J done \\u009b31m";

TEST_CASE("a PR title with terminal escapes is inert in every line brag prints") {
  json prompt = PromptAt(kNow);
  prompt["title"] = kHostile;
  prompt["repo_name"] = "pay\x1b[2Jments";
  prompt["branch"] = "b\x1b]0;x\a";
  prompt["commit_notes"] = {{{"text", kHostile}, {"commit", "\x1b[2Jabcdef"}}};
  prompt["time"] = "2025-11-29T10:00:00Z";
  prompt["note"] = kHostile;
  for (const std::string& text :
       {PendingTable(json::array({prompt}), kNow, Style{true}), PromptCard(prompt, Style{true}),
        LogTable(json::array({prompt}), Style{true}), CommitNotesBlock(prompt, Style{})}) {
    CHECK_MESSAGE(text.find(kShown) != std::string::npos, text);
    CHECK_MESSAGE(text.find("\x1b]") == std::string::npos, text);
    CHECK_MESSAGE(text.find("\x1b[2J") == std::string::npos, text);
    CHECK_MESSAGE(text.find('\a') == std::string::npos, text);
    CHECK_MESSAGE(text.find("\xc2\x9b") == std::string::npos, text);
  }
  CHECK(PromptCard(prompt, Style{}).find("pay\\e[2Jments") != std::string::npos);
  CHECK(PromptCard(prompt, Style{}).find("branch b\\e]0;x\\x07") != std::string::npos);
}

TEST_CASE("repo lines, status and unreadable dates show hostile text inert") {
  json repo{{"name", "a\x1b[2J"},
            {"path", "/p/\x1b]0;x\a"},
            {"state", "error"},
            {"error", "bad HEAD: ref: \x1b[31mx"},
            {"watching", "none"}};
  std::string table = RepoTable(json::array({repo}), Style{}, "");
  CHECK(table.find("a\\e[2J  error  none      /p/\\e]0;x\\x07  bad HEAD: ref: \\e[31mx") !=
        std::string::npos);
  CHECK_MESSAGE(table.find("\x1b") == std::string::npos, table);
  json status{{"running", true},
              {"version", "0.1\x1b[2J"},
              {"socket", "/s\x1b[2J"},
              {"identities", {"me\x1b[2J@example.com"}},
              {"repos", {repo}}};
  std::string text = StatusText(status, Style{});
  CHECK_MESSAGE(text.find("\x1b") == std::string::npos, text);
  CHECK(text.find("version 0.1\\e[2J") != std::string::npos);
  CHECK(LocalDateTime("not \x1b[2J a date") == "not \\e[2J a date");
}

TEST_CASE("letters of every script in a title are shown as they are") {
  json prompt = PromptAt(kNow);
  prompt["title"] = "Caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x9a\x80";
  CHECK(PendingTable(json::array({prompt}), kNow, Style{})
            .find("Caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x9a\x80") != std::string::npos);
}

TEST_CASE("members of another type than expected read as absent, never throw") {
  json odd{{"id", "12"},          {"kind", 5},           {"pr", "481"},
           {"title", {1, 2}},     {"created", 7},        {"diffstat", "x"},
           {"incident", 3},       {"commit_notes", "n"}, {"tags", "t"},
           {"running", "yes"},    {"identities", 5},     {"repos", {1, "x"}},
           {"repo_name", nullptr}};
  for (const json& item : {odd, json(5), json::array(), json(nullptr), json("s")}) {
    CHECK_NOTHROW(PendingTable(json::array({item}), kNow, Style{}));
    CHECK_NOTHROW(PendingTable(item, kNow, Style{}));
    CHECK_NOTHROW(PromptCard(item, Style{}));
    CHECK_NOTHROW(PromptQuestion(item));
    CHECK_NOTHROW(LogTable(json::array({item}), Style{}));
    CHECK_NOTHROW(RepoTable(json::array({item}), Style{}, ""));
    CHECK_NOTHROW(StatusText(item, Style{}));
    CHECK_NOTHROW(IncidentSummary(item));
  }
  CHECK(PendingTable(json::array({odd}), kNow, Style{}) == "ID  REPO\n0   -\n");
  json incident = PromptAt(kNow);
  incident["kind"] = "incident_closed";
  incident["incident"] = {{"merged", "yes"}, {"duration_s", "long"}, {"commits", 2}};
  CHECK(IncidentSummary(incident["incident"]) == "closed unmerged, 2 commits");
}

TEST_CASE("--json lines stay JSON with the same text, and as inert on a terminal") {
  json item{{"title",
             "a\x1b[2J\a\x7f b\xc2\x9b"
             "c \xc3\xa9 \xe4\xb8\xad"}};
  std::string line = JsonLine(item);
  CHECK(line ==
        "{\"title\":\"a\\u001b[2J\\u0007\\u007f b\\u009bc \xc3\xa9 \xe4\xb8\xad\"}\n");
  CHECK(json::parse(line) == item);
}

}  // namespace
}  // namespace brag::cli
