// The commits the hooks record, and their Impact: notes (journal_commits.cc).
// Part of a Journal (journal.h): get it from Journal::commits(); it lives as
// long as its Journal.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "model/records.h"

namespace brag {

class Journal;
namespace sql {
class Database;
}

class JournalCommits {
 public:
  JournalCommits(const JournalCommits&) = delete;
  JournalCommits& operator=(const JournalCommits&) = delete;

  // Records a commit made in `commit.repo` (post-commit), once per (repo,
  // oid). A non-empty `impact` (its Impact: trailer) becomes the commit's
  // note, source "hook": a commit has at most one such note, and recording
  // it again replaces its text (an amend that kept the oid's place), unless
  // the user edited that note (EditNote: theirs is kept) or removed it
  // (RemoveNote: it is not filed again, and nothing is returned). Returns
  // that note, if any.
  Result<std::optional<Note>> RecordCommit(const CommitRecord& commit,
                                           const std::string& impact, int64_t now);
  // After `git commit --amend` or a rebase (post-rewrite): each old oid's
  // commit row and notes move to the new oid. Where the new commit already
  // has its own trailer note, the old trailer note is dropped instead (the
  // newer trailer wins); rows of commits squashed into one new commit merge.
  // Returns how many notes moved.
  Result<int> RewriteCommits(const std::string& repo,
                             const std::vector<std::pair<std::string, std::string>>& moves);
  // Which of `oids` are recorded commits of `repo` (RecordCommit, or moved
  // there by RewriteCommits).
  Result<std::set<std::string>> KnownCommits(const std::string& repo,
                                             const std::vector<std::string>& oids);
  // The commits recorded in a repo, newest first (at most `limit`, 0: all).
  Result<std::vector<CommitRecord>> Commits(const std::string& repo, int limit = 0);

 private:
  friend class Journal;
  explicit JournalCommits(Journal& journal) : journal_(journal) {}
  // The journal's connection as it is now (Follow may replace it).
  sql::Database& db() const;

  Journal& journal_;
};

}  // namespace brag
