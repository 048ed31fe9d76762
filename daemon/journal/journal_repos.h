// The journal's watched repos, their ref state, and the scans and backfills
// recorded for them (journal_repos.cc). Part of a Journal (journal.h): get
// it from Journal::repos(); it lives as long as its Journal.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/records.h"

namespace brag {

class Journal;
namespace sql {
class Database;
}

// refname ("refs/heads/main") -> hex oid of its tip, for one repo.
using RefState = std::map<std::string, std::string>;

class JournalRepos {
 public:
  JournalRepos(const JournalRepos&) = delete;
  JournalRepos& operator=(const JournalRepos&) = delete;

  // --- watched repos -------------------------------------------------------
  // Adds a repo by canonical path, or returns the existing row (with its
  // source upgraded from "scan" to "added"/"config" if asked, taking `name`
  // too when given). `now` is unix s. An empty name means the last path
  // component. A removed repo added again gets its old id back (its events
  // stay known) and no baseline; but one found again by discovery (source
  // "scan") stays removed: error code "removed". Source other than config/added/scan, or an
  // empty path: "bad_request".
  Result<RepoRecord> AddRepo(const std::string& path, const std::string& name,
                             const std::string& source, int64_t now);
  // Removes the repo row and its ref state (events, prompts and notes stay:
  // the journal is history). False if no such repo. Matches path or name.
  // The row is only marked removed, so history keeps its path and name;
  // ListRepos and FindRepo no longer see it. For RemoveRepo and FindRepo a
  // path match wins; a name that several repos share: "conflict".
  Result<bool> RemoveRepo(const std::string& path_or_name);
  Result<std::vector<RepoRecord>> ListRepos();
  Result<std::optional<RepoRecord>> FindRepo(const std::string& path_or_name);
  // "not_found" for an unknown repo id.
  Result<void> SetRepoState(int64_t repo_id, RepoState state,
                            const std::string& error);

  // --- ref state and detection --------------------------------------------
  // The stored tips of the refs brag follows in this repo. Empty for a repo
  // never scanned (the caller then sets a baseline).
  Result<RefState> LoadRefState(int64_t repo_id);
  // Whether this repo has a baseline (a scan was recorded at least once,
  // even if it had no refs).
  Result<bool> HasBaseline(int64_t repo_id);

  // In one transaction: replaces the repo's ref state with `refs`, marks the
  // baseline, inserts each event not already known by (repo_id, kind, key),
  // and creates a pending prompt for each newly inserted event. Returns the
  // prompts created (fully filled, as Pending would return them).
  // Unknown or removed repo: "not_found"; an event without kind or key:
  // "bad_request", and nothing of the scan is recorded.
  Result<std::vector<Prompt>> RecordScan(int64_t repo_id, const RefState& refs,
                                         const std::vector<Event>& events, int64_t now);
  // A backfill (`brag scan --record`): in one transaction, inserts each event
  // not already known by (repo_id, kind, key) and creates a pending prompt
  // for each one inserted, like RecordScan, but leaves the ref state and the
  // baseline alone. Returns the prompts created. Same errors as RecordScan.
  Result<std::vector<Prompt>> RecordEvents(int64_t repo_id,
                                           const std::vector<Event>& events,
                                           int64_t now);

 private:
  friend class Journal;
  explicit JournalRepos(Journal& journal) : journal_(journal) {}
  // The journal's connection as it is now (Follow may replace it).
  sql::Database& db() const;
  // Inside a caller's transaction: the new events and their pending prompts.
  Result<std::vector<Prompt>> InsertWithPrompts(int64_t repo_id,
                                                const std::vector<Event>& events,
                                                int64_t now);

  Journal& journal_;
};

}  // namespace brag
