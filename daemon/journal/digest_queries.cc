// The digest's read: every event and free note of a window, streamed row by
// row to the caller. A digest over years of notes must not build a LogEntry
// (an event twice over, once in its prompt) per row: it reads each column
// it shows once, as a view into SQLite's row, and keeps what it needs.
#include <map>
#include <string>

#include "journal/journal.h"
#include "journal/journal_history.h"
#include "journal/rows.h"
#include "journal/sqlite.h"

namespace brag {
namespace {

struct RepoNames {
  std::string path;
  std::string name;  // the repo's name, else its folder's
};

// Every repo, removed ones too (their events are history): a handful of
// rows, read once instead of joined into each event.
Result<std::map<int64_t, RepoNames>> ReadRepos(const sql::Database& db) {
  Result<sql::Statement> stmt = db.Prepare("SELECT id, path, name FROM repos");
  if (!stmt) return stmt.error();
  std::map<int64_t, RepoNames> repos;
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) return repos;
    sql::Row row = stmt->row();
    int64_t id = row.Int();
    RepoNames names{row.Text(), row.Text()};
    if (names.name.empty()) names.name = rows::RepoNameFromPath(names.path);
    repos.emplace(id, std::move(names));
  }
}

}  // namespace

// Equal times keep Log's order reversed (latest recorded first), so that a
// digest built from either read folds and lists notes the same way. The
// indexes are in this order (schema version 5), so SQLite walks them and
// sorts nothing.
const char* const JournalHistory::kDigestEventsSql =
    "SELECT e.repo_id, e.id, e.kind, e.key, e.commit_oid, e.forge, e.pr, e.title,"
    " e.branch, e.commit_time, e.files, e.insertions, e.deletions, e.paths, e.opened,"
    " e.commit_count, p.id,"
    // A snooze that has run out is waiting again, as `pending` says.
    " CASE WHEN p.state = 'snoozed' AND p.snoozed_until <= unixepoch() THEN 'pending'"
    " ELSE p.state END,"
    " n.id, n.text, n.source, n.tags"
    " FROM events e LEFT JOIN prompts p ON p.event_id = e.id"
    " LEFT JOIN notes n ON n.id = p.note_id AND n.removed = 0"
    " WHERE e.commit_time >= ?1 AND e.commit_time < ?2"
    " ORDER BY e.commit_time, e.id DESC";

const char* const JournalHistory::kDigestFreeNotesSql =
    "SELECT n.id, n.text, n.created, n.source, n.repo, n.commit_oid, n.tags"
    " FROM notes n WHERE n.event_id IS NULL AND n.created >= ?1 AND n.created < ?2"
    " AND n.removed = 0"
    " ORDER BY n.created, n.id DESC";

namespace {

void ReadNoteColumns(sql::Row& row, DigestRow& out) {
  out.note_id = row.Int();
  out.note_text = row.View();
  out.note_created = row.Int();
  out.note_source = row.View();
  out.note_repo = row.View();
  out.note_commit = row.View();
  out.note_tags = row.View();
}

// Steps `stmt` to the end, calling `each` on every row.
template <typename Each>
Status StepAll(sql::Statement& stmt, Each each) {
  for (;;) {
    Result<bool> more = stmt.Step();
    if (!more) return more.error();
    if (!*more) return {};
    sql::Row row = stmt.row();
    each(row);
  }
}

// 32 pages of 16 KiB: the query's four trees are 3 or 4 levels deep.
constexpr int kDigestCacheKib = 512;

// SQLite's page cache set to `kib` KiB while this lives, then back as it
// was. A digest's read steps through the journal about once: a small cache
// holds the trees' upper pages it comes back to, and each page of memory a
// larger one fills is only a page fault more.
class CacheSize {
 public:
  CacheSize(sql::Database& db, int kib) : db_(db) {
    Result<int64_t> was = db_.QueryInt("PRAGMA cache_size");
    if (!was) return;
    was_ = *was;
    set_ = static_cast<bool>(db_.Exec("PRAGMA cache_size = " + std::to_string(-kib)));
  }
  ~CacheSize() {
    if (set_) (void)db_.Exec("PRAGMA cache_size = " + std::to_string(was_));
  }
  CacheSize(const CacheSize&) = delete;
  CacheSize& operator=(const CacheSize&) = delete;

 private:
  sql::Database& db_;
  int64_t was_ = 0;
  bool set_ = false;
};

}  // namespace

Result<int64_t> JournalHistory::DigestRowsBound() {
  // Ids are distinct positive row ids: the largest is at least the count.
  Result<sql::Statement> stmt = db().Prepare(
      "SELECT coalesce((SELECT max(id) FROM events), 0)"
      " + coalesce((SELECT max(id) FROM notes), 0)");
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->Step();
  if (!row) return row.error();
  return *row ? stmt->row().Int() : 0;
}

Status JournalHistory::ForEachDigestRow(
    int64_t since, int64_t until, const std::function<void(const DigestRow&)>& row) {
  Result<std::map<int64_t, RepoNames>> repos = ReadRepos(db());
  if (!repos) return repos.error();
  std::map<std::string, std::string, std::less<>> name_of_path;
  for (const auto& [id, names] : *repos) name_of_path.emplace(names.path, names.name);
  CacheSize small_cache(db(), kDigestCacheKib);

  Result<sql::Statement> events = db().Prepare(kDigestEventsSql);
  if (!events) return events.error();
  events->BindAll(since, until);
  DigestRow out;
  // Runs of events share their repo: the last one found is tried first.
  int64_t last_repo_id = 0;
  const RepoNames* last_repo = nullptr;
  Status read = StepAll(*events, [&](sql::Row& r) {
    out = DigestRow{};
    out.has_event = true;
    int64_t repo_id = r.Int();
    if (!last_repo || repo_id != last_repo_id) {
      auto repo = repos->find(repo_id);
      last_repo_id = repo_id;
      last_repo = repo == repos->end() ? nullptr : &repo->second;
    }
    if (last_repo) {
      out.repo = last_repo->path;
      out.repo_name = last_repo->name;
    }
    out.event_id = r.Int();
    out.kind = r.View();
    out.key = r.View();
    out.commit = r.View();
    out.forge = r.View();
    out.pr = r.Int();
    out.title = r.View();
    out.branch = r.View();
    out.commit_time = r.Int();
    out.diffstat.files = static_cast<int>(r.Int());
    out.diffstat.insertions = static_cast<int>(r.Int());
    out.diffstat.deletions = static_cast<int>(r.Int());
    out.paths = r.View();
    out.opened = r.Int();
    out.commit_count = static_cast<int>(r.Int());
    if (r.NextIsNull()) {
      r.Skip(2);
    } else {
      out.prompt_id = r.Int();
      out.prompt_state = r.View();
    }
    if (!r.NextIsNull()) {
      // Shown at the event's time, in its repo, at its commit.
      out.note_id = r.Int();
      out.note_text = r.View();
      out.note_source = r.View();
      out.note_tags = r.View();
    }
    row(out);
  });
  if (!read) return read;

  Result<sql::Statement> notes = db().Prepare(kDigestFreeNotesSql);
  if (!notes) return notes.error();
  notes->BindAll(since, until);
  return StepAll(*notes, [&](sql::Row& r) {
    out = DigestRow{};
    ReadNoteColumns(r, out);
    out.repo = out.note_repo;
    if (!out.note_repo.empty()) {
      auto name = name_of_path.find(out.note_repo);
      if (name == name_of_path.end()) {
        // A repo brag never watched: named after its folder, as Log does.
        std::string path(out.note_repo);
        name = name_of_path.emplace(path, rows::RepoNameFromPath(path)).first;
      }
      out.repo_name = name->second;
    }
    row(out);
  });
}

}  // namespace brag
