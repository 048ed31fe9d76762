#include "methods/registry.h"

#include <doctest/doctest.h>
#include <time.h>

#include <filesystem>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/timeutil.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

// A method run as `brag` runs it with bragd down: on the journal alone.
Result<nlohmann::json> CallOnJournal(Journal& journal, const std::string& method,
                                     const nlohmann::json& params, int64_t now,
                                     const Config* config = nullptr) {
  MethodContext context{.journal = &journal, .config = config, .now = now};
  return CallMethod(method, params, context);
}

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int64_t kNow = 1764410531;  // 2025-11-29T10:02:11Z
constexpr int64_t kDay = 86400;

Event MergeEvent(int64_t pr, const std::string& title, int64_t commit_time) {
  Event e;
  e.kind = EventKind::kPrMerged;
  e.key = std::string(40, static_cast<char>('a' + pr % 6));
  e.commit = e.key;
  e.forge = "github";
  e.pr = pr;
  e.title = title;
  e.branch = "branch-" + std::to_string(pr);
  e.authors = {"me@example.com"};
  e.commit_time = commit_time;
  e.diffstat = {3, 42, 7};
  e.paths = {"db/orders.sql"};
  return e;
}

// A journal in a temp folder with one watched repo named "payments".
struct JournalWorld {
  test::TempDir dir{"methods"};
  std::unique_ptr<Journal> journal;
  RepoRecord repo;

  JournalWorld() {
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(dir / "journal.db", Journal::Mode::kReadWrite);
    REQUIRE_MESSAGE(j.has_value(), (j ? "" : j.error().message));
    journal = std::move(*j);
    fs::create_directories(dir / "payments");
    Result<RepoRecord> r = journal->repos().AddRepo((dir / "payments").string(),
                                                    "payments", "added", kNow - kDay);
    REQUIRE(r.has_value());
    repo = *r;
  }

  // Records `event` as the scan would; returns the new prompt's id.
  int64_t Prompt(const Event& event, int64_t now = kNow - 100) {
    Result<std::vector<brag::Prompt>> made =
        journal->repos().RecordScan(repo.id, {}, {event}, now);
    REQUIRE_MESSAGE(made.has_value(), (made ? "" : made.error().message));
    REQUIRE(made->size() == 1);
    return (*made)[0].id;
  }

  Result<json> Call(const std::string& method, const json& params = json::object(),
                    int64_t now = kNow) {
    return CallOnJournal(*journal, method, params, now);
  }

  json Ok(const std::string& method, const json& params = json::object(),
          int64_t now = kNow) {
    Result<json> r = Call(method, params, now);
    REQUIRE_MESSAGE(r.has_value(),
                    (r ? "" : r.error().code + ": " + r.error().message));
    return *r;
  }

  Error Fails(const std::string& method, const json& params) {
    Result<json> r = Call(method, params);
    REQUIRE_FALSE(r.has_value());
    return r.error();
  }
};

bool Mentions(const Error& e, const std::string& word) {
  return e.message.find(word) != std::string::npos;
}

TEST_CASE("without bragd, the methods only bragd has answer unreachable and naming it") {
  JournalWorld w;
  for (const char* m : {"hello", "subscribe", "rescan", "nudge", "reload"}) {
    Error e = w.Fails(m, {{"repo", "payments"}});
    CHECK(e.code == "unreachable");
    CHECK_MESSAGE(Mentions(e, std::string("\"") + m + "\" needs it"), e.message);
  }
  for (const char* m : {"pending", "log", "repos.list", "status", "digest"}) {
    CHECK_MESSAGE(w.Call(m).has_value(), m);
  }
  Error unknown = w.Fails("prompts.list", json::object());
  CHECK(unknown.code == "unknown_method");
}

TEST_CASE("pending lists the prompts a scan made, with the wire fields") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(481, "Add composite index on orders", kNow - 200));
  json r = w.Ok("pending");
  REQUIRE(r["prompts"].size() == 1);
  json p = r["prompts"][0];
  CHECK(p["id"] == id);
  CHECK(p["kind"] == "pr_merged");
  CHECK(p["state"] == "pending");
  CHECK(p["pr"] == 481);
  CHECK(p["title"] == "Add composite index on orders");
  CHECK(p["repo"] == w.repo.path);
  CHECK(p["repo_name"] == "payments");
  CHECK(p["diffstat"]["insertions"] == 42);
  CHECK(p["note"].is_null());
}

TEST_CASE("pending on an empty journal is an empty list") {
  JournalWorld w;
  CHECK(w.Ok("pending") == json{{"count", 0}, {"prompts", json::array()}, {"snoozed", 0}});
}

TEST_CASE("answer files the note and returns the answered prompt with its text") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(481, "Add index", kNow - 200));
  json r = w.Ok("answer", {{"prompt", id}, {"note", "p95 3.4s -> 18ms"}});
  CHECK(r["prompt"]["id"] == id);
  CHECK(r["prompt"]["state"] == "answered");
  CHECK(r["prompt"]["note"] == "p95 3.4s -> 18ms");
  CHECK(r["note"]["text"] == "p95 3.4s -> 18ms");
  CHECK(r["note"]["prompt"] == id);
  CHECK(r["note"]["kind"] == "note");
  CHECK(w.Ok("pending")["prompts"].empty());

  SUBCASE("answering it again is a conflict") {
    CHECK(w.Fails("answer", {{"prompt", id}, {"note", "again"}}).code == "conflict");
  }
}

TEST_CASE("answer rejects missing or mistyped params, naming the parameter") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(1, "t", kNow - 200));
  Error missing = w.Fails("answer", {{"note", "x"}});
  CHECK(missing.code == "bad_request");
  CHECK(Mentions(missing, "\"prompt\""));
  Error as_string = w.Fails("answer", {{"prompt", "12"}, {"note", "x"}});
  CHECK(as_string.code == "bad_request");
  CHECK(Mentions(as_string, "integer"));
  CHECK(w.Fails("answer", {{"prompt", 1.5}, {"note", "x"}}).code == "bad_request");
  CHECK(w.Fails("answer", {{"prompt", true}, {"note", "x"}}).code == "bad_request");
  Error no_note = w.Fails("answer", {{"prompt", id}});
  CHECK(no_note.code == "bad_request");
  CHECK(Mentions(no_note, "\"note\""));
  CHECK(w.Fails("answer", {{"prompt", id}, {"note", 5}}).code == "bad_request");
  CHECK(w.Fails("answer", {{"prompt", id}, {"note", "   "}}).code == "bad_request");
  CHECK(w.Fails("answer", json::array()).code == "bad_request");
}

TEST_CASE("answer on an unknown prompt is not_found") {
  JournalWorld w;
  CHECK(w.Fails("answer", {{"prompt", 999}, {"note", "x"}}).code == "not_found");
}

TEST_CASE("snooze defaults to one day and hides the prompt until then") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(2, "t", kNow - 200));
  json r = w.Ok("snooze", {{"prompt", id}});
  CHECK(r["prompt"]["state"] == "snoozed");
  CHECK(r["prompt"]["snoozed_until"] == FormatIsoUtc(kNow + kDay));
  CHECK(w.Ok("pending", json::object(), kNow + kDay - 1)["prompts"].empty());
  CHECK(w.Ok("pending", json::object(), kNow + kDay)["prompts"].size() == 1);
}

TEST_CASE("snooze takes a duration, a date or unix seconds") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(2, "t", kNow - 200));
  json r = w.Ok("snooze", {{"prompt", id}, {"until", "2h"}});
  CHECK(r["prompt"]["snoozed_until"] == FormatIsoUtc(kNow + 7200));
  r = w.Ok("snooze", {{"prompt", id}, {"until", kNow + 60}});
  CHECK(r["prompt"]["snoozed_until"] == FormatIsoUtc(kNow + 60));
  r = w.Ok("snooze", {{"prompt", id}, {"until", "2030-01-02T03:04:05Z"}});
  CHECK(r["prompt"]["snoozed_until"] == "2030-01-02T03:04:05Z");
}

TEST_CASE("a snooze to a weekday ends at the configured start of that work day") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(2, "t", kNow - 200));
  // kNow in local time, then the next Monday at 07:15 computed apart from
  // the code under test: the days to add from tm_wday, by hand.
  time_t now = static_cast<time_t>(kNow);
  struct tm tm {};
  localtime_r(&now, &tm);
  int days = (1 - tm.tm_wday + 7) % 7;
  tm.tm_mday += days == 0 ? 7 : days;
  tm.tm_hour = 7;
  tm.tm_min = 15;
  tm.tm_sec = 0;
  tm.tm_isdst = -1;
  int64_t monday = static_cast<int64_t>(mktime(&tm));
  Config config;
  config.workday_start = 7 * 60 + 15;
  Result<json> r =
      CallOnJournal(*w.journal, "snooze", {{"prompt", id}, {"until", "monday"}}, kNow, &config);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  CHECK((*r)["prompt"]["snoozed_until"] == FormatIsoUtc(monday));
}

TEST_CASE("snooze refuses a bad or past time, naming until") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(2, "t", kNow - 200));
  Error bad = w.Fails("snooze", {{"prompt", id}, {"until", "soonish"}});
  CHECK(bad.code == "bad_request");
  CHECK(Mentions(bad, "\"until\""));
  Error past = w.Fails("snooze", {{"prompt", id}, {"until", "2020-01-01"}});
  CHECK(past.code == "bad_request");
  CHECK(Mentions(past, "in the past"));
  CHECK(w.Fails("snooze", {{"prompt", id}, {"until", json::array()}}).code ==
        "bad_request");
  CHECK(w.Fails("snooze", {{"prompt", 999}}).code == "not_found");
}

TEST_CASE("dismiss marks the prompt dismissed and takes it off the pending list") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(3, "t", kNow - 200));
  CHECK(w.Ok("dismiss", {{"prompt", id}})["prompt"]["state"] == "dismissed");
  CHECK(w.Ok("pending")["prompts"].empty());
  CHECK(w.Fails("dismiss", {{"prompt", "x"}}).code == "bad_request");
  CHECK(w.Fails("dismiss", json::object()).code == "bad_request");
}

TEST_CASE("a note keeps its text, tags and commit") {
  JournalWorld w;
  json r = w.Ok("note", {{"text", "Ran the Q3 failover drill"},
                         {"tags", {"reliability", "ops"}},
                         {"commit", "abc123"}});
  json n = r["note"];
  CHECK(n["kind"] == "note");
  CHECK(n["text"] == "Ran the Q3 failover drill");
  CHECK(n["tags"] == json::array({"reliability", "ops"}));
  CHECK(n["commit"] == "abc123");
  CHECK(n["repo"].is_null());
  CHECK(n["source"] == "manual");
  CHECK(n["created"] == FormatIsoUtc(kNow));
}

TEST_CASE("a note's repo may be a watched repo's name or any existing folder") {
  JournalWorld w;
  CHECK(w.Ok("note", {{"text", "a"}, {"repo", "payments"}})["note"]["repo"] ==
        w.repo.path);
  fs::create_directories(w.dir / "other" / "sub");
  std::string dotted = (w.dir / "other" / "sub" / "..").string();
  CHECK(w.Ok("note", {{"text", "b"}, {"repo", dotted}})["note"]["repo"] ==
        fs::canonical(w.dir / "other").string());
  Error missing = w.Fails("note", {{"text", "c"}, {"repo", "nowhere-at-all"}});
  CHECK(missing.code == "not_found");
  CHECK(Mentions(missing, "nowhere-at-all"));
}

TEST_CASE("a note's commit is resolved to a full oid in its git repo") {
  JournalWorld w;
  test::GitRepo repo = test::GitRepo::Init(w.dir / "code");
  std::string first = repo.Commit("a.txt", "a\n", "first");
  repo.Commit("b.txt", "b\n", "second");
  json n = w.Ok("note", {{"text", "x"}, {"repo", repo.dir().string()},
                         {"commit", "HEAD~1"}})["note"];
  CHECK(n["commit"] == first);
  Error unknown = w.Fails("note", {{"text", "y"}, {"repo", repo.dir().string()},
                                   {"commit", "no-such-rev"}});
  CHECK(unknown.code == "not_found");
  CHECK(Mentions(unknown, "no-such-rev"));
}

TEST_CASE("note rejects missing text and mistyped tags") {
  JournalWorld w;
  CHECK(Mentions(w.Fails("note", json::object()), "\"text\""));
  CHECK(w.Fails("note", {{"text", ""}}).code == "bad_request");
  Error tags = w.Fails("note", {{"text", "x"}, {"tags", "perf"}});
  CHECK(tags.code == "bad_request");
  CHECK(Mentions(tags, "\"tags\""));
  CHECK(w.Fails("note", {{"text", "x"}, {"tags", {1, 2}}}).code == "bad_request");
  CHECK(w.Fails("note", {{"text", "x"}, {"repo", 3}}).code == "bad_request");
}

TEST_CASE("note.edit replaces a note's text and says whether it changed") {
  JournalWorld w;
  int64_t note = w.Ok("note", {{"text", "wrote the runbok"}})["note"]["id"];
  json r =
      w.Ok("note.edit", {{"note", note}, {"text", " wrote the runbook "}}, kNow + 5);
  CHECK(r["changed"] == true);
  CHECK(r["note"]["id"] == note);
  CHECK(r["note"]["text"] == "wrote the runbook");
  CHECK(r["note"]["edited"] == FormatIsoUtc(kNow + 5));
  CHECK(w.Ok("note.get", {{"note", note}})["note"]["text"] == "wrote the runbook");
  json same =
      w.Ok("note.edit", {{"note", note}, {"text", "wrote the runbook"}}, kNow + 9);
  CHECK(same["changed"] == false);
  CHECK(same["note"]["edited"] == FormatIsoUtc(kNow + 5));
  json log = w.Ok("log", {{"kind", "note"}});
  REQUIRE(log["entries"].size() == 1);
  CHECK(log["entries"][0]["text"] == "wrote the runbook");
}

TEST_CASE("note.edit and note.get reject bad params and unknown notes") {
  JournalWorld w;
  int64_t note = w.Ok("note", {{"text", "x"}})["note"]["id"];
  Error missing = w.Fails("note.edit", {{"text", "x"}});
  CHECK(missing.code == "bad_request");
  CHECK(Mentions(missing, "\"note\""));
  Error no_text = w.Fails("note.edit", {{"note", note}});
  CHECK(no_text.code == "bad_request");
  CHECK(Mentions(no_text, "\"text\""));
  CHECK(w.Fails("note.edit", {{"note", "1"}, {"text", "x"}}).code == "bad_request");
  CHECK(w.Fails("note.edit", {{"note", note}, {"text", "  "}}).code == "bad_request");
  CHECK(w.Fails("note.edit", {{"note", 999}, {"text", "x"}}).code == "not_found");
  CHECK(w.Fails("note.get", {{"note", 999}}).code == "not_found");
  CHECK(w.Fails("note.rm", {{"note", 999}}).code == "not_found");
  CHECK(w.Fails("note.rm", json::object()).code == "bad_request");
}

TEST_CASE("note.rm leaves a tombstone that log, digest and status leave out") {
  JournalWorld w;
  int64_t kept = w.Ok("note", {{"text", "kept"}})["note"]["id"];
  int64_t gone = w.Ok("note", {{"text", "gone for good"}})["note"]["id"];
  json r = w.Ok("note.rm", {{"note", gone}}, kNow + 7);
  CHECK(r["note"]["id"] == gone);
  CHECK(r["note"]["text"] == "gone for good");
  CHECK(r["note"]["removed"] == FormatIsoUtc(kNow + 7));
  CHECK(r["reopened"].is_null());
  json log = w.Ok("log");
  REQUIRE(log["entries"].size() == 1);
  CHECK(log["entries"][0]["id"] == kept);
  json digest = w.Ok("digest", {{"since", kNow - kDay}, {"until", kNow + kDay}});
  CHECK(digest["text"].get<std::string>().find("gone for good") == std::string::npos);
  CHECK(digest["text"].get<std::string>().find("kept") != std::string::npos);
  CHECK(w.Fails("note.rm", {{"note", gone}}).code == "conflict");
  CHECK(w.Fails("note.get", {{"note", gone}}).code == "not_found");
  CHECK(w.Fails("note.edit", {{"note", gone}, {"text", "back"}}).code == "not_found");
}

TEST_CASE("note.rm of a prompt's answer puts the prompt back to pending") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(481, "Add index", kNow - 200));
  int64_t note = w.Ok("answer", {{"prompt", id}, {"note", "q"}})["note"]["id"];
  CHECK(w.Ok("pending")["count"] == 0);
  json r = w.Ok("note.rm", {{"note", note}});
  CHECK(r["reopened"]["id"] == id);
  CHECK(r["reopened"]["state"] == "pending");
  json pending = w.Ok("pending");
  CHECK(pending["count"] == 1);
  CHECK(pending["prompts"][0]["id"] == id);
  json answered = w.Ok("answer", {{"prompt", id}, {"note", "p95 3.4s -> 18ms"}});
  CHECK(answered["prompt"]["state"] == "answered");
  json log = w.Ok("log");
  REQUIRE(log["entries"].size() == 1);
  CHECK(log["entries"][0]["note"] == "p95 3.4s -> 18ms");
  CHECK(log["entries"][0]["note_id"] == answered["note"]["id"]);
}

TEST_CASE("log lists events with their notes and free notes, newest first") {
  JournalWorld w;
  int64_t id = w.Prompt(MergeEvent(481, "Add index", kNow - 3 * kDay));
  w.Prompt(MergeEvent(482, "Drop table", kNow - 2 * kDay));
  w.Ok("answer", {{"prompt", id}, {"note", "p95 3.4s -> 18ms"}});
  w.Ok("note", {{"text", "drill"}}, kNow - kDay);
  json entries = w.Ok("log")["entries"];
  REQUIRE(entries.size() == 3);
  CHECK(entries[0]["kind"] == "note");
  CHECK(entries[0]["text"] == "drill");
  CHECK(entries[1]["pr"] == 482);
  CHECK(entries[1]["note"].is_null());
  CHECK(entries[2]["pr"] == 481);
  CHECK(entries[2]["note"] == "p95 3.4s -> 18ms");
  CHECK(entries[2]["repo_name"] == "payments");

  SUBCASE("filtered by kind") {
    json notes = w.Ok("log", {{"kind", "note"}})["entries"];
    REQUIRE(notes.size() == 1);
    CHECK(notes[0]["text"] == "drill");
    CHECK(w.Ok("log", {{"kind", "pr_merged"}})["entries"].size() == 2);
  }
  SUBCASE("limited") {
    json one = w.Ok("log", {{"limit", 1}})["entries"];
    REQUIRE(one.size() == 1);
    CHECK(one[0]["kind"] == "note");
  }
  SUBCASE("since a relative date or unix seconds, until exclusive") {
    CHECK(w.Ok("log", {{"since", "2d"}})["entries"].size() == 2);
    CHECK(w.Ok("log", {{"since", kNow - 2 * kDay}})["entries"].size() == 2);
    CHECK(w.Ok("log", {{"until", kNow - 2 * kDay}})["entries"].size() == 1);
  }
  SUBCASE("by repo name or path") {
    CHECK(w.Ok("log", {{"repo", "payments"}})["entries"].size() == 2);
    CHECK(w.Ok("log", {{"repo", w.repo.path}})["entries"].size() == 2);
    CHECK(w.Ok("log", {{"repo", "elsewhere"}})["entries"].empty());
  }
}

TEST_CASE("log rejects bad filters, naming the parameter") {
  JournalWorld w;
  Error kind = w.Fails("log", {{"kind", "commit"}});
  CHECK(kind.code == "bad_request");
  CHECK(Mentions(kind, "\"kind\""));
  CHECK(Mentions(w.Fails("log", {{"limit", -1}}), "\"limit\""));
  CHECK(Mentions(w.Fails("log", {{"limit", "5"}}), "\"limit\""));
  CHECK(Mentions(w.Fails("log", {{"since", "the dawn of time"}}), "\"since\""));
  CHECK(Mentions(w.Fails("log", {{"until", true}}), "\"until\""));
}

TEST_CASE("repos.list shows the watched repos") {
  JournalWorld w;
  json repos = w.Ok("repos.list")["repos"];
  REQUIRE(repos.size() == 1);
  CHECK(repos[0]["name"] == "payments");
  CHECK(repos[0]["path"] == w.repo.path);
  CHECK(repos[0]["source"] == "added");
}

TEST_CASE("status without bragd says it is not running, with the journal's counts") {
  JournalWorld w;
  w.Prompt(MergeEvent(481, "Add composite index on orders", kNow - 200));
  json s = w.Ok("status");
  CHECK(s["running"] == false);
  CHECK(s["pending"] == 1);
  REQUIRE(s["repos"].size() == 1);
  CHECK(s["repos"][0]["name"] == "payments");
  CHECK(s["identities"].is_array());
}

}  // namespace
}  // namespace brag
