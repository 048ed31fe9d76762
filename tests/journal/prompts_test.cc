// Prompts: pending, snooze, dismiss, answer; and free notes.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "journal/journal.h"
#include "journal/journal_fixture.h"

namespace brag::test {
namespace {

// A repo with two prompts made at t=100 (PR #1) and t=200 (PR #2).
struct PromptFixture : JournalFixture {
  RepoRecord api = AddRepo("/code/api");
  Prompt first = Scan(api.id, {PrMerged("c1", 1, 50)}, 100).at(0);
  Prompt second = Scan(api.id, {PrMerged("c2", 2, 60)}, 200).at(0);

  std::vector<int64_t> PendingIds(int64_t now) {
    std::vector<int64_t> ids;
    for (const Prompt& p : Pending(now)) ids.push_back(p.id);
    return ids;
  }
};

TEST_CASE_FIXTURE(PromptFixture, "pending prompts are listed newest merge first") {
  // Merged at 10, recorded at 100 with the first: a backfill of an old PR
  // comes after the newer merges, not first.
  Prompt third = Scan(api.id, {PrMerged("c0", 3, 10)}, 100).at(0);
  CHECK(PendingIds(300) == std::vector<int64_t>{second.id, first.id, third.id});
  CHECK(journal->prompts().PendingCount(300).value() == 3);
}

TEST_CASE_FIXTURE(PromptFixture,
                  "the digest's rows call a snooze that has run out pending, by the clock") {
  // Run out long ago (2001), and still to come (2100), whenever this runs.
  REQUIRE(journal->prompts().Snooze(first.id, 1000000000).has_value());
  REQUIRE(journal->prompts().Snooze(second.id, 4102444800).has_value());
  std::map<int64_t, std::string> states;
  REQUIRE(journal->history()
              .ForEachDigestRow(0, 1000000,
                                [&](const DigestRow& row) {
                                  states[row.pr] = std::string(row.prompt_state);
                                })
              .has_value());
  CHECK(states == std::map<int64_t, std::string>{{1, "pending"}, {2, "snoozed"}});
}

TEST_CASE_FIXTURE(PromptFixture, "a snoozed prompt comes back when its time has come") {
  Result<Prompt> snoozed = journal->prompts().Snooze(first.id, 1000);
  REQUIRE(snoozed.has_value());
  CHECK(snoozed->state == PromptState::kSnoozed);
  CHECK(snoozed->snoozed_until == 1000);
  CHECK(snoozed->event.key == "c1");

  CHECK(PendingIds(999) == std::vector<int64_t>{second.id});
  CHECK(journal->prompts().PendingCount(999).value() == 1);

  std::vector<Prompt> later = Pending(1000);
  REQUIRE(later.size() == 2);
  CHECK(later[1].id == first.id);
  CHECK(later[1].state == PromptState::kPending);
  CHECK(journal->prompts().PendingCount(1000).value() == 2);
  CHECK(journal->prompts().GetPrompt(first.id).value().state == PromptState::kSnoozed);
}

TEST_CASE_FIXTURE(PromptFixture, "a dismissed prompt is no longer pending") {
  Result<Prompt> dismissed = journal->prompts().Dismiss(second.id);
  REQUIRE(dismissed.has_value());
  CHECK(dismissed->state == PromptState::kDismissed);
  CHECK(dismissed->id == second.id);
  CHECK(PendingIds(1'000'000) == std::vector<int64_t>{first.id});
  CHECK(journal->prompts().PendingCount(1'000'000).value() == 1);
}

TEST_CASE_FIXTURE(PromptFixture,
                  "answering a prompt stores a note linked to its event") {
  Note note = Answer(first.id, "  p95 3.4s -> 18ms, alert silent since\n", 400);
  CHECK(note.id > 0);
  CHECK(note.text == "p95 3.4s -> 18ms, alert silent since");
  CHECK(note.created == 400);
  CHECK(note.source == "prompt");
  CHECK(note.repo == "/code/api");
  CHECK(note.commit == "c1");
  CHECK(note.tags.empty());
  CHECK(note.prompt_id == first.id);
  CHECK(note.event_id == first.event.id);

  Result<Prompt> prompt = journal->prompts().GetPrompt(first.id);
  REQUIRE(prompt.has_value());
  CHECK(prompt->state == PromptState::kAnswered);
  CHECK(prompt->answered == 400);
  CHECK(prompt->note_id == note.id);
  CHECK(PendingIds(500) == std::vector<int64_t>{second.id});
}

TEST_CASE_FIXTURE(PromptFixture,
                  "a snoozed or dismissed prompt can still be answered") {
  REQUIRE(journal->prompts().Snooze(first.id, 5000).has_value());
  REQUIRE(journal->prompts().Dismiss(second.id).has_value());
  Answer(first.id, "cut deploys from 40 to 12 minutes", 300);
  Answer(second.id, "removed 3 flaky tests", 300);
  CHECK(journal->prompts().GetPrompt(first.id).value().state == PromptState::kAnswered);
  CHECK(journal->prompts().GetPrompt(second.id).value().state ==
        PromptState::kAnswered);
  CHECK(journal->prompts().PendingCount(10'000).value() == 0);
}

TEST_CASE_FIXTURE(PromptFixture,
                  "answering twice is a conflict and keeps the first note") {
  Note note = Answer(first.id, "first", 300);
  Result<Note> again = journal->prompts().Answer(first.id, "second", 310);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == "conflict");
  Result<Prompt> prompt = journal->prompts().GetPrompt(first.id);
  REQUIRE(prompt.has_value());
  CHECK(prompt->note_id == note.id);
  CHECK(prompt->answered == 300);
  std::vector<LogEntry> log = Log(KindQuery("pr_merged"));
  REQUIRE(log.size() == 2);
  REQUIRE(log.back().note.has_value());
  CHECK(log.back().note->text == "first");
}

TEST_CASE_FIXTURE(PromptFixture, "an answered prompt cannot be snoozed or dismissed") {
  Answer(first.id, "done", 300);
  Result<Prompt> snoozed = journal->prompts().Snooze(first.id, 9000);
  REQUIRE_FALSE(snoozed.has_value());
  CHECK(snoozed.error().code == "conflict");
  Result<Prompt> dismissed = journal->prompts().Dismiss(first.id);
  REQUIRE_FALSE(dismissed.has_value());
  CHECK(dismissed.error().code == "conflict");
  CHECK(journal->prompts().GetPrompt(first.id).value().state == PromptState::kAnswered);
}

TEST_CASE_FIXTURE(PromptFixture,
                  "a blank answer is a bad request and changes nothing") {
  for (const char* text : {"", "   ", " \n\t "}) {
    Result<Note> note = journal->prompts().Answer(first.id, text, 300);
    REQUIRE_FALSE(note.has_value());
    CHECK(note.error().code == "bad_request");
  }
  CHECK(journal->prompts().GetPrompt(first.id).value().state == PromptState::kPending);
  CHECK(Log(KindQuery("note")).empty());
}

TEST_CASE_FIXTURE(PromptFixture, "unknown prompts are not_found") {
  int64_t missing = second.id + 100;
  Result<Prompt> get = journal->prompts().GetPrompt(missing);
  REQUIRE_FALSE(get.has_value());
  CHECK(get.error().code == "not_found");
  Result<Note> answer = journal->prompts().Answer(missing, "text", 1);
  REQUIRE_FALSE(answer.has_value());
  CHECK(answer.error().code == "not_found");
  Result<Prompt> snooze = journal->prompts().Snooze(missing, 1);
  REQUIRE_FALSE(snooze.has_value());
  CHECK(snooze.error().code == "not_found");
  Result<Prompt> dismiss = journal->prompts().Dismiss(missing);
  REQUIRE_FALSE(dismiss.has_value());
  CHECK(dismiss.error().code == "not_found");
  CHECK(Log(KindQuery("note")).empty());
}

TEST_CASE_FIXTURE(JournalFixture,
                  "a free note keeps its repo, commit, tags and source") {
  NewNote input = ManualNote(" wrote the on-call runbook ", "/somewhere/else");
  input.commit = "abc123";
  input.tags = {"docs", "oncall"};
  input.source = "hook";
  Note note = AddNote(input, 77);
  CHECK(note.id > 0);
  CHECK(note.text == "wrote the on-call runbook");
  CHECK(note.created == 77);
  CHECK(note.source == "hook");
  CHECK(note.repo == "/somewhere/else");
  CHECK(note.commit == "abc123");
  CHECK(note.tags == std::vector<std::string>{"docs", "oncall"});
  CHECK_FALSE(note.prompt_id.has_value());
  CHECK_FALSE(note.event_id.has_value());

  std::vector<LogEntry> log = Log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].kind == "note");
  CHECK(log[0].repo == "/somewhere/else");
  CHECK(log[0].repo_name == "else");
  REQUIRE(log[0].note.has_value());
  CHECK(log[0].note->tags == note.tags);
}

TEST_CASE_FIXTURE(JournalFixture, "a free note needs text and a known source") {
  Result<Note> blank = journal->prompts().AddNote(ManualNote(" \n"), 1);
  REQUIRE_FALSE(blank.has_value());
  CHECK(blank.error().code == "bad_request");
  NewNote odd = ManualNote("text");
  odd.source = "telepathy";
  Result<Note> bad_source = journal->prompts().AddNote(odd, 1);
  REQUIRE_FALSE(bad_source.has_value());
  CHECK(bad_source.error().code == "bad_request");
  CHECK(Log().empty());
}

}  // namespace
}  // namespace brag::test

namespace brag::test {

TEST_CASE("commit notes: a squash of two noted commits keeps both, and accepting counts them once") {
  TempDir dir("journal");
  std::unique_ptr<Journal> j = OpenJournal(dir / "journal.db");
  Result<RepoRecord> repo = j->repos().AddRepo("/code/api", "", "added", 1);
  REQUIRE(repo.has_value());
  CommitRecord a{"/code/api", "a1", "feature", "Add the index", "me@example.com", 10, {}, {}};
  CommitRecord b{"/code/api", "b1", "feature", "Tune the pool", "me@example.com", 11, {}, {}};
  REQUIRE(j->commits().RecordCommit(a, "p95 3.4s -> 18ms", 10).has_value());
  REQUIRE(j->commits().RecordCommit(b, "pool waits gone", 11).has_value());
  // Recording the same commit again replaces nothing twice.
  REQUIRE(j->commits().RecordCommit(b, "pool waits gone", 12).has_value());

  // `git rebase -i` squashed both into c1, whose own message kept no trailer.
  CommitRecord c{"/code/api", "c1", "feature", "Add the index", "me@example.com", 20, {}, {}};
  REQUIRE(j->commits().RecordCommit(c, "", 20).has_value());
  Result<int> moved =
      j->commits().RewriteCommits("/code/api", {{"a1", "c1"}, {"b1", "c1"}});
  REQUIRE(moved.has_value());
  CHECK(*moved == 2);
  Result<std::vector<CommitRecord>> commits = j->commits().Commits("/code/api");
  REQUIRE(commits.has_value());
  REQUIRE(commits->size() == 1);
  CHECK(commits->front().oid == "c1");

  // The PR that lands c1 offers both notes; accepting files them as one.
  Event pr = PrMerged("m1", 42, 30);
  pr.member_commits = {"c1", "m1"};
  Result<std::vector<Prompt>> made = j->repos().RecordScan(repo->id, {}, {pr}, 30);
  REQUIRE(made.has_value());
  REQUIRE(made->size() == 1);
  REQUIRE((*made)[0].commit_notes.size() == 2);
  Result<Note> note = j->prompts().AcceptCommitNotes((*made)[0].id, 40);
  REQUIRE(note.has_value());
  CHECK(note->text == "p95 3.4s -> 18ms; pool waits gone");
  LogQuery notes_only;
  notes_only.kind = "note";
  Result<std::vector<LogEntry>> free_notes = j->history().Log(notes_only);
  REQUIRE(free_notes.has_value());
  CHECK(free_notes->empty());  // taken by the PR: not counted again
  CHECK(j->prompts().GetPrompt((*made)[0].id)->commit_notes.empty());
  CHECK_FALSE(j->prompts().AcceptCommitNotes((*made)[0].id, 41).has_value());
}

TEST_CASE("an amend with a new trailer replaces the old note instead of adding one") {
  TempDir dir("journal");
  std::unique_ptr<Journal> j = OpenJournal(dir / "journal.db");
  CommitRecord old{"/code/api", "o1", "main", "Fix", "me@example.com", 10, {}, {}};
  CommitRecord amended{"/code/api", "n1", "main", "Fix", "me@example.com", 11, {}, {}};
  REQUIRE(j->commits().RecordCommit(old, "errors -40%", 10).has_value());
  REQUIRE(j->commits()
              .RecordCommit(amended, "errors -60%", 11)
              .has_value());  // post-commit first
  REQUIRE(j->commits().RewriteCommits("/code/api", {{"o1", "n1"}}).has_value());
  LogQuery q;
  q.kind = "note";
  Result<std::vector<LogEntry>> notes = j->history().Log(q);
  REQUIRE(notes.has_value());
  REQUIRE(notes->size() == 1);
  CHECK((*notes)[0].note->text == "errors -60%");
  CHECK((*notes)[0].note->commit == "n1");
}

}  // namespace brag::test
