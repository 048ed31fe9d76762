// Shared helpers for the journal tests: a real journal file in a temp
// folder, and events shaped like the ones detect/ produces.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "journal/journal.h"
#include "support/temp_dir.h"

namespace brag::test {

// The error message of a failed Result, for test output.
template <typename T>
std::string Why(const Result<T>& result) {
  return result.has_value() ? std::string() : result.error().message;
}

inline std::unique_ptr<Journal> OpenJournal(
    const std::filesystem::path& path, Journal::Mode mode = Journal::Mode::kReadWrite) {
  Result<std::unique_ptr<Journal>> journal = Journal::Open(path, mode);
  REQUIRE_MESSAGE(journal.has_value(), Why(journal));
  return std::move(*journal);
}

// A GitHub merge of PR `pr`, keyed by its (fake) commit oid.
inline Event PrMerged(const std::string& oid, int64_t pr, int64_t commit_time,
                      const std::string& title = "Add composite index") {
  Event e;
  e.kind = EventKind::kPrMerged;
  e.key = oid;
  e.commit = oid;
  e.forge = "github";
  e.pr = pr;
  e.title = title;
  e.branch = "feature-" + std::to_string(pr);
  e.authors = {"me@example.com", "pal@example.com"};
  e.commit_time = commit_time;
  e.diffstat = {3, 40, 7};
  e.paths = {"db/schema.sql", "src/orders.cc"};
  return e;
}

inline Event IncidentClosed(const std::string& branch, int64_t commit_time) {
  Event e;
  e.kind = EventKind::kIncidentClosed;
  e.key = branch;
  e.commit = std::string(40, 'f');
  e.branch = branch;
  e.title = branch;
  e.commit_time = commit_time;
  return e;
}

inline NewNote ManualNote(const std::string& text, const std::string& repo = "") {
  NewNote note;
  note.text = text;
  note.repo = repo;
  return note;
}

inline LogQuery KindQuery(const std::string& kind) {
  LogQuery query;
  query.kind = kind;
  return query;
}

// A fresh journal with helpers that fail the test on any error.
struct JournalFixture {
  TempDir dir{"journal"};
  std::filesystem::path db_path = dir / "journal.db";
  std::unique_ptr<Journal> journal = OpenJournal(db_path);

  RepoRecord AddRepo(const std::string& path, const std::string& name = "",
                     const std::string& source = "added", int64_t now = 1000) {
    Result<RepoRecord> repo = journal->repos().AddRepo(path, name, source, now);
    REQUIRE_MESSAGE(repo.has_value(), Why(repo));
    return *repo;
  }

  std::vector<Prompt> Scan(int64_t repo_id, const std::vector<Event>& events,
                           int64_t now = 2000, const RefState& refs = {}) {
    Result<std::vector<Prompt>> made =
        journal->repos().RecordScan(repo_id, refs, events, now);
    REQUIRE_MESSAGE(made.has_value(), Why(made));
    return *made;
  }

  std::vector<Prompt> Pending(int64_t now) {
    Result<std::vector<Prompt>> pending = journal->prompts().Pending(now);
    REQUIRE_MESSAGE(pending.has_value(), Why(pending));
    return *pending;
  }

  Note AddNote(const NewNote& note, int64_t now) {
    Result<Note> added = journal->prompts().AddNote(note, now);
    REQUIRE_MESSAGE(added.has_value(), Why(added));
    return *added;
  }

  Note Answer(int64_t prompt_id, const std::string& text, int64_t now) {
    Result<Note> note = journal->prompts().Answer(prompt_id, text, now);
    REQUIRE_MESSAGE(note.has_value(), Why(note));
    return *note;
  }

  std::vector<LogEntry> Log(const LogQuery& query = {}) {
    Result<std::vector<LogEntry>> entries = journal->history().Log(query);
    REQUIRE_MESSAGE(entries.has_value(), Why(entries));
    return *entries;
  }
};

}  // namespace brag::test
