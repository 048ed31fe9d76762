// What the journal holds over time, read back: the log (journal_history.cc)
// and the digest's read (digest_queries.cc). Part of a Journal (journal.h):
// get it from Journal::history(); it lives as long as its Journal.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/result.h"
#include "model/records.h"

namespace brag {

class Journal;
namespace sql {
class Database;
}

class JournalHistory {
 public:
  JournalHistory(const JournalHistory&) = delete;
  JournalHistory& operator=(const JournalHistory&) = delete;

  // Events (with their prompt and note) and free notes, newest first (by
  // time, then latest recorded first). Time is the commit time of an event
  // and the creation time of a note; `repo` matches a path or a name.
  Result<std::vector<LogEntry>> Log(const LogQuery& query);

  // --- the digest's read (digest_queries.cc) ---------------------------------
  // Calls `row` for each event committed in [since, until), with its prompt
  // and note, oldest first (latest recorded first among equal times, as
  // Log's order reversed); then for each free note created in it, oldest
  // first. Streams straight from SQLite over the events_time and notes_free
  // indexes, reading only the columns a digest shows: a year of notes is
  // never held as LogEntry records.
  Status ForEachDigestRow(int64_t since, int64_t until,
                          const std::function<void(const DigestRow&)>& row);
  // At least as many rows as ForEachDigestRow gives for any window, to size
  // for them: the events and notes ever recorded, read off the ends of two
  // tables (a count of the window's rows walks two indexes: ~13 ms over
  // 100k notes).
  Result<int64_t> DigestRowsBound();
  // The two queries ForEachDigestRow runs (?1 since, ?2 until), for tests of
  // their plans: each walks its index in order, with no sort.
  static const char* const kDigestEventsSql;
  static const char* const kDigestFreeNotesSql;

 private:
  friend class Journal;
  explicit JournalHistory(Journal& journal) : journal_(journal) {}
  // The journal's connection as it is now (Follow may replace it).
  sql::Database& db() const;

  Journal& journal_;
};

}  // namespace brag
