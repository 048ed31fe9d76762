// The log: events with their prompt and note, free notes, filters, order.
#include <doctest/doctest.h>

#include "journal/journal.h"
#include "journal/journal_fixture.h"

namespace brag::test {
namespace {

// Two repos; on the time line (commit time for events, created for notes):
//   100 api PR #1 (answered)     150 free note A (api)
//   200 web PR #7 (dismissed)    250 free note B (no repo)
//   300 api incident (pending)   310 free note C (web, by path)
struct LogFixture : JournalFixture {
  RepoRecord api = AddRepo("/code/api");
  RepoRecord web = AddRepo("/code/web", "frontend");
  std::vector<Prompt> api_prompts = Scan(
      api.id, {PrMerged("c1", 1, 100), IncidentClosed("incident/db-down", 300)}, 400);
  Prompt web_prompt =
      Scan(web.id, {PrMerged("w1", 7, 200, "Lazy-load images")}, 400).at(0);
  Note answer = Answer(api_prompts.at(0).id, "p95 3.4s -> 18ms", 500);
  Note note_a = AddNote(ManualNote("note A", "/code/api"), 150);
  Note note_b = AddNote(ManualNote("note B"), 250);
  Note note_c = AddNote(ManualNote("note C", "/code/web"), 310);

  LogFixture() { REQUIRE(journal->prompts().Dismiss(web_prompt.id).has_value()); }

  // Each entry as "<kind>@<time>".
  std::vector<std::string> Sequence(const LogQuery& query = {}) {
    std::vector<std::string> lines;
    for (const LogEntry& e : Log(query)) {
      lines.push_back(e.kind + "@" + std::to_string(e.time));
    }
    return lines;
  }
};

using Timeline = std::vector<std::string>;

TEST_CASE_FIXTURE(LogFixture, "the log lists events and free notes, newest first") {
  CHECK(Sequence() == Timeline{"note@310", "incident_closed@300", "note@250",
                               "pr_merged@200", "note@150", "pr_merged@100"});
}

TEST_CASE_FIXTURE(LogFixture, "a log entry for an event carries its prompt and note") {
  std::vector<LogEntry> log = Log();
  REQUIRE(log.size() == 6);

  const LogEntry& answered = log[5];
  CHECK(answered.repo == "/code/api");
  CHECK(answered.repo_name == "api");
  REQUIRE(answered.event.has_value());
  CHECK(answered.event->pr == 1);
  CHECK(answered.event->commit == "c1");
  CHECK(answered.event->authors.size() == 2);
  REQUIRE(answered.prompt.has_value());
  CHECK(answered.prompt->id == api_prompts[0].id);
  CHECK(answered.prompt->state == PromptState::kAnswered);
  CHECK(answered.prompt->repo == "/code/api");
  CHECK(answered.prompt->event.id == answered.event->id);
  REQUIRE(answered.note.has_value());
  CHECK(answered.note->id == answer.id);
  CHECK(answered.note->text == "p95 3.4s -> 18ms");

  const LogEntry& dismissed = log[3];
  CHECK(dismissed.repo_name == "frontend");
  REQUIRE(dismissed.prompt.has_value());
  CHECK(dismissed.prompt->state == PromptState::kDismissed);
  CHECK(dismissed.event->title == "Lazy-load images");
  CHECK_FALSE(dismissed.note.has_value());

  const LogEntry& free_note = log[0];
  CHECK_FALSE(free_note.event.has_value());
  CHECK_FALSE(free_note.prompt.has_value());
  REQUIRE(free_note.note.has_value());
  CHECK(free_note.note->id == note_c.id);
  CHECK(free_note.repo == "/code/web");
  CHECK(free_note.repo_name == "frontend");

  CHECK(log[2].repo.empty());
  CHECK(log[2].repo_name.empty());
}

TEST_CASE_FIXTURE(LogFixture, "the log's since is inclusive and its until exclusive") {
  LogQuery query;
  query.since = 200;
  query.until = 300;
  CHECK(Sequence(query) == Timeline{"note@250", "pr_merged@200"});
  query.since = 151;
  query.until = std::nullopt;
  CHECK(Sequence(query) ==
        Timeline{"note@310", "incident_closed@300", "note@250", "pr_merged@200"});
  query.since = std::nullopt;
  query.until = 150;
  CHECK(Sequence(query) == Timeline{"pr_merged@100"});
}

TEST_CASE_FIXTURE(LogFixture, "the log filters by a repo's path or name") {
  LogQuery query;
  query.repo = "/code/api";
  CHECK(Sequence(query) ==
        Timeline{"incident_closed@300", "note@150", "pr_merged@100"});
  query.repo = "api";
  CHECK(Sequence(query) ==
        Timeline{"incident_closed@300", "note@150", "pr_merged@100"});
  query.repo = "frontend";
  CHECK(Sequence(query) == Timeline{"note@310", "pr_merged@200"});
  query.repo = "/code/web";
  CHECK(Sequence(query) == Timeline{"note@310", "pr_merged@200"});
  query.repo = "web";
  CHECK(Sequence(query).empty());
}

TEST_CASE_FIXTURE(LogFixture, "the log filters by kind") {
  CHECK(Sequence(KindQuery("pr_merged")) == Timeline{"pr_merged@200", "pr_merged@100"});
  CHECK(Sequence(KindQuery("incident_closed")) == Timeline{"incident_closed@300"});
  CHECK(Sequence(KindQuery("note")) == Timeline{"note@310", "note@250", "note@150"});
  CHECK(Sequence(KindQuery("commit")).empty());
}

TEST_CASE_FIXTURE(LogFixture, "the log's limit keeps the newest entries") {
  LogQuery query;
  query.limit = 2;
  CHECK(Sequence(query) == Timeline{"note@310", "incident_closed@300"});
  query.kind = "note";
  query.limit = 1;
  CHECK(Sequence(query) == Timeline{"note@310"});
  query.kind = std::nullopt;
  query.repo = "api";
  query.since = 100;
  query.limit = 2;
  CHECK(Sequence(query) == Timeline{"incident_closed@300", "note@150"});
}

TEST_CASE_FIXTURE(JournalFixture,
                  "log entries at the same time list the latest first") {
  Note first = AddNote(ManualNote("first"), 50);
  Note second = AddNote(ManualNote("second"), 50);
  RepoRecord api = AddRepo("/code/api");
  std::vector<Prompt> made = Scan(api.id, {PrMerged("a", 1, 60), PrMerged("b", 2, 60)});
  std::vector<LogEntry> log = Log();
  REQUIRE(log.size() == 4);
  CHECK(log[0].event->id == made[1].event.id);
  CHECK(log[1].event->id == made[0].event.id);
  CHECK(log[2].note->id == second.id);
  CHECK(log[3].note->id == first.id);
}

TEST_CASE_FIXTURE(LogFixture, "events, prompts and notes outlive removing their repo") {
  REQUIRE(journal->repos().RemoveRepo("api").value());

  LogQuery query;
  query.repo = "/code/api";
  CHECK(Sequence(query) ==
        Timeline{"incident_closed@300", "note@150", "pr_merged@100"});
  std::vector<LogEntry> log = Log(query);
  CHECK(log[0].repo_name == "api");
  REQUIRE(log[2].note.has_value());
  CHECK(log[2].note->text == "p95 3.4s -> 18ms");
  query.repo = "api";
  CHECK(Sequence(query).size() == 3);

  Result<Prompt> prompt = journal->prompts().GetPrompt(api_prompts[1].id);
  REQUIRE(prompt.has_value());
  CHECK(prompt->repo == "/code/api");
  CHECK(prompt->repo_name == "api");
  CHECK(prompt->state == PromptState::kPending);
  // An unanswered question about work done stays in the queue.
  std::vector<Prompt> pending = Pending(1000);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].repo == "/code/api");
}

}  // namespace
}  // namespace brag::test
