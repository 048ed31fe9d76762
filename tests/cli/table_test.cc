// Aligned columns: expected tables are written by hand, spaces counted.
#include "cli/table.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace brag::cli {
namespace {

using nlohmann::json;

TEST_CASE("display width counts terminal columns, not bytes") {
  CHECK(DisplayWidth("") == 0);
  CHECK(DisplayWidth("payments") == 8);
  CHECK(DisplayWidth("café") == 4);        // é is two bytes, one column
  CHECK(DisplayWidth("cafe\u0301") == 4);  // e and a combining accent
  CHECK(DisplayWidth("日本語") == 6);      // wide
  CHECK(DisplayWidth("ok 🚀") == 5);        // an emoji takes two
  CHECK(DisplayWidth("\xff") == 1);        // a stray byte is one
}

TEST_CASE("a table pads each column to its widest cell, wide text included") {
  Table t({"ID", "REPO", "TITLE"});
  t.Add({{"7"}, {"日本"}, {"Fix"}});
  t.Add({{"1234"}, {"payments"}, {"Add index"}});
  t.Add({{"12"}, {"é"}, {""}});
  CHECK(t.Render(Style{}) ==
        "ID    REPO      TITLE\n"
        "7     日本      Fix\n"
        "1234  payments  Add index\n"
        "12    é\n");
}

TEST_CASE("a column with no text in any row is left out, header and all") {
  Table t({"NAME", "WATCHING", "PATH", "ERROR"}, "  ");
  t.Add({{"api"}, {""}, {"/src/api"}, {""}});
  t.Add({{"payments"}, {""}, {"/p"}, {""}});
  CHECK(t.Render(Style{}) ==
        "  NAME      PATH\n"
        "  api       /src/api\n"
        "  payments  /p\n");
}

TEST_CASE("colour goes around the padded text, so colour codes never shift columns") {
  Table t({"ID", "REPO"});
  t.Add({{"1", Tone::kBold}, {"a"}});
  t.Add({{"100", Tone::kBold}, {"b"}});
  std::string coloured = t.Render(Style{true});
  CHECK(coloured.find("\x1b[1m1\x1b[0m    a\n") != std::string::npos);
  CHECK(coloured.find("\x1b[1m100\x1b[0m  b\n") != std::string::npos);
}

json Prompt(int64_t id, const std::string& repo, int64_t pr, const std::string& title) {
  return {{"id", id}, {"kind", "pr_merged"}, {"repo_name", repo},
          {"pr", pr}, {"title", title},      {"commit_time", "2026-11-29T10:00:00Z"},
          {"created", "2026-11-29T11:30:00Z"}};
}

TEST_CASE("brag pending's table lines up ids, repos and markers under a header") {
  json prompts = json::array({Prompt(9, "api", 12, "Add a cache"),
                              Prompt(1042, "payments-service", 4810, "Index orders"),
                              Prompt(77, "ウェブ", 3, "Fix the 🐛")});
  int64_t now = 1795946400 + 2 * 3600;  // 2h after the merge
  CHECK(PendingTable(prompts, now, Style{}) ==
        "ID    REPO              WHAT      TITLE         MERGED\n"
        "9     api               PR #12    Add a cache   2h ago\n"
        "1042  payments-service  PR #4810  Index orders  2h ago\n"
        "77    ウェブ            PR #3     Fix the 🐛    2h ago\n");
}

TEST_CASE("brag repos list's table lines up names, states and paths") {
  json repos = json::array(
      {{{"name", "a"}, {"state", "ok"}, {"watching", "inotify"}, {"path", "/src/a"}},
       {{"name", "payments"}, {"state", "error"}, {"path", "/p"}, {"error", "gone"}}});
  CHECK(RepoTable(repos, Style{}) ==
        "NAME      STATE  WATCHING  PATH    ERROR\n"
        "a         ok     inotify   /src/a\n"
        "payments  error            /p      gone\n");
}

TEST_CASE("brag log's table puts every note in one column") {
  json entries = json::array({{{"time", "2026-11-29T10:00:00Z"},
                               {"kind", "note"},
                               {"text", "Ran the drill"},
                               {"tags", {"ops"}}},
                              {{"time", "2026-11-28T10:00:00Z"},
                               {"kind", "pr_merged"},
                               {"repo_name", "api"},
                               {"pr", 5},
                               {"title", "Add index"},
                               {"note", "p95 -40%"}},
                              {{"time", "2026-11-27T10:00:00Z"},
                               {"kind", "pr_merged"},
                               {"repo_name", "api"},
                               {"pr", 6},
                               {"title", "Drop table"},
                               {"state", "dismissed"}}});
  std::string table = LogTable(entries, Style{});
  // Dates are local; the columns after them are what is checked.
  CHECK(table.find("DATE        REPO  WHAT   TITLE       NOTE\n") == 0);
  CHECK(table.find("  -     note               Ran the drill #ops\n") !=
        std::string::npos);
  CHECK(table.find("  api   PR #5  Add index   p95 -40%\n") != std::string::npos);
  CHECK(table.find("  api   PR #6  Drop table  (dismissed)\n") != std::string::npos);
}

}  // namespace
}  // namespace brag::cli
