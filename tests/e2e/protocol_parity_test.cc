// Every method documented in docs/protocol.md, asked of the real bragd over
// its socket and of the same registry with bragd down (as `brag` runs it on
// the journal directly), on two copies of one journal: each answers the
// same, or, without bragd, "needs bragd" (code "unreachable").
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/timeutil.h"
#include "e2e/bragd_process.h"
#include "journal/journal.h"
#include "methods/registry.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The methods docs/protocol.md documents: its "### name" headings, several
// names to a heading separated by " / ", each name followed by its params.
std::set<std::string> DocumentedMethods() {
  std::ifstream doc(fs::path(BRAG_SOURCE_DIR) / "docs" / "protocol.md");
  REQUIRE(doc.good());
  std::set<std::string> names;
  bool in_methods = false;
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("## ", 0) == 0) in_methods = line == "## Methods";
    if (!in_methods || line.rfind("### ", 0) != 0) continue;
    std::string heading = line.substr(4);
    size_t start = 0;
    while (start < heading.size()) {
      size_t end = heading.find(" / ", start);
      std::string part = heading.substr(start, end == std::string::npos ? end : end - start);
      if (part.rfind("`", 0) != 0) names.insert(part.substr(0, part.find(' ')));  // not params
      if (end == std::string::npos) break;
      start = end + 3;
    }
  }
  return names;
}

// What differs between two runs by nature: times, the process, the paths
// of each world, and how a repo is now (a repo's "state" and "error" are
// bragd's live view; the journal alone says "unknown").
json Stable(json value) {
  static const std::set<std::string> kVolatile = {
      "added",   "created",  "answered",   "snoozed_until", "time",  "since", "until",
      "pid",     "uptime_s", "running",    "version",       "socket",
      "journal", "config",   "identities", "journal_error", "unrecorded_repos",
      "watching", "edited"};
  if (value.is_object()) {
    json out = json::object();
    bool repo = value.contains("watching");
    for (auto& [key, item] : value.items()) {
      if (kVolatile.count(key) || (repo && (key == "state" || key == "error"))) continue;
      if (key == "removed" && item.is_string()) continue;  // a note's: a time
      bool json_text = key == "text" && value.value("format", "") == "json";
      out[key] = json_text ? Stable(json::parse(item.get<std::string>())) : Stable(item);
    }
    return out;
  }
  if (value.is_array()) {
    for (json& item : value) item = Stable(item);
  }
  return value;
}

// An answer as comparable text: the stable part of a result, or the error code.
std::string Outcome(const Result<json>& r) {
  return r ? Stable(*r).dump() : "error " + r.error().code;
}

struct Request {
  std::string method;
  json params;
};

TEST_CASE("every documented method answers the same with bragd down, or says it needs bragd") {
  World world;
  world.WriteConfig();
  GitRepo repo = GitRepo::Init(world.repos() / "payments");
  std::string oid = repo.Commit("orders.sql", "create index", "Index the orders table");
  GitRepo other = GitRepo::Init(world.repos() / "ledger");
  other.Commit("README", "ledger", "Start the ledger");

  // One journal with a watched repo and three prompts, copied for the run
  // without bragd.
  std::vector<int64_t> prompt_ids;
  {
    Result<std::unique_ptr<Journal>> j = Journal::Open(world.journal(), Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    Result<RepoRecord> row = (*j)->repos().AddRepo(repo.dir().string(), "payments",
                                                   "added", UnixNow() - 86400);
    REQUIRE(row.has_value());
    std::vector<Event> events;
    for (int pr : {481, 483, 490}) {
      Event e;
      e.kind = EventKind::kPrMerged;
      e.key = e.commit = std::string(40, static_cast<char>('a' + pr % 6));
      e.forge = "github";
      e.pr = pr;
      e.title = "PR " + std::to_string(pr);
      e.authors = {"me@example.com"};
      e.commit_time = UnixNow() - 3600;
      events.push_back(e);
    }
    Result<std::vector<Prompt>> made =
        (*j)->repos().RecordScan(row->id, {}, events, UnixNow() - 60);
    REQUIRE(made.has_value());
    for (const Prompt& p : *made) prompt_ids.push_back(p.id);
  }
  REQUIRE(prompt_ids.size() == 3);
  TempDir down_dir("parity");
  fs::path down_journal = down_dir.path() / "journal.db";
  fs::copy_file(world.journal(), down_journal);

  // In the order of a session, each documented method at least once.
  std::string here = repo.dir().string();
  std::vector<Request> requests = {
      {"hello", json::object()},
      {"status", json::object()},
      {"pending", {{"limit", 2}}},
      {"subscribe", json::object()},
      {"answer", {{"prompt", prompt_ids[0]}, {"note", "p95 3.4s -> 18ms on checkout"}}},
      {"answer", {{"prompt", prompt_ids[0]}, {"note", "again"}}},
      {"snooze", {{"prompt", prompt_ids[1]}, {"until", "2h"}}},
      {"dismiss", {{"prompt", prompt_ids[2]}}},
      {"dismiss", {{"prompt", 999}}},
      {"note", {{"text", "Ran the failover drill"}, {"tags", {"reliability"}}}},
      {"note", {{"text", "Indexed orders"}, {"repo", "payments"}, {"commit", "HEAD"}}},
      // Notes 1 (the answer above), 2 and 3, the same ids in both journals.
      {"note.get", {{"note", 2}}},
      {"note.edit", {{"note", 2}, {"text", "Ran the Q3 failover drill"}}},
      {"note.edit", {{"note", 2}, {"text", "Ran the Q3 failover drill"}}},
      {"note.rm", {{"note", 1}}},
      {"note.rm", {{"note", 1}}},
      {"note.edit", {{"note", 1}, {"text", "gone"}}},
      {"note.get", {{"note", 1}}},
      {"log", json::object()},
      {"log", {{"kind", "note"}, {"limit", 1}}},
      {"digest", {{"format", "json"}}},
      {"digest",
       {{"since", "2020-01-01"}, {"until", "2100-01-01"}, {"format", "review"}}},
      {"rescan", {{"repo", "payments"}}},
      {"nudge", {{"repo", here}}},
      {"commit.record", {{"repo", here}, {"oid", oid}}},
      {"commit.rewrite", {{"repo", here}, {"moves", json::array()}}},
      {"repos.add", {{"path", other.dir().string()}, {"name", "ledger"}}},
      {"repos.list", json::object()},
      {"repos.remove", {{"repo", "ledger"}}},
      {"repos.remove", {{"repo", "ledger"}}},
      {"reload", json::object()},
      {"status", json::object()},
  };
  std::set<std::string> documented = DocumentedMethods();
  REQUIRE(documented.size() >= 18);
  std::set<std::string> asked;
  for (const Request& r : requests) asked.insert(r.method);
  CHECK(asked == documented);  // a newly documented method needs a row above
  for (const std::string& name : documented) CHECK_MESSAGE(FindMethod(name), name);
  for (const MethodSpec& spec : AllMethods()) {
    std::string name(spec.name);
    CHECK_MESSAGE(documented.count(name) == 1, (name + " is not documented"));
  }

  std::vector<Result<json>> up;
  {
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());
    protocol::Client client = bragd.Connect();
    for (const Request& r : requests) up.push_back(client.Call(r.method, r.params));
    CHECK(bragd.Stop() == 0);
  }
  Result<std::unique_ptr<Journal>> opened =
      Journal::Open(down_journal, Journal::Mode::kReadWrite);
  REQUIRE(opened.has_value());
  // Hand-written: what only a running bragd can do.
  const std::set<std::string> kNeedsBragd = {"hello", "subscribe", "rescan", "nudge",
                                             "reload"};
  for (size_t i = 0; i < requests.size(); ++i) {
    const Request& r = requests[i];
    MethodContext context{.journal = opened->get(), .now = UnixNow()};
    Result<json> down = CallMethod(r.method, r.params, context);
    INFO(r.method, " ", r.params.dump());
    if (kNeedsBragd.count(r.method)) {
      REQUIRE_FALSE(down.has_value());
      CHECK(down.error().code == "unreachable");
      CHECK(down.error().message.find("\"" + r.method + "\" needs it") != std::string::npos);
      std::string why = up[i] ? "" : up[i].error().message;
      CHECK_MESSAGE(up[i].has_value(), why);
    } else {
      CHECK(Outcome(down) == Outcome(up[i]));
    }
  }
  // Not vacuous: the runs did what they were asked.
  REQUIRE(up[4].has_value());
  CHECK((*up[4])["prompt"]["state"] == "answered");
  CHECK(!up[5].has_value());
  CHECK(up[5].error().code == "conflict");
  REQUIRE(up[11].has_value());
  CHECK((*up[11])["note"]["text"] == "Ran the failover drill");
  REQUIRE(up[12].has_value());
  CHECK((*up[12])["changed"] == true);
  CHECK((*up[13])["changed"] == false);
  REQUIRE(up[14].has_value());
  CHECK((*up[14])["reopened"]["id"] == prompt_ids[0]);
  CHECK(up[15].error().code == "conflict");
  CHECK(up[16].error().code == "not_found");
  CHECK(up[17].error().code == "not_found");
  REQUIRE(up[26].has_value());
  CHECK((*up[26])["repo"]["name"] == "ledger");
}

}  // namespace
}  // namespace brag::test
