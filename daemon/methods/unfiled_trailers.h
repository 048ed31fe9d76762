// Impact: trailers no hook filed (DESIGN §5 "Commit note"): a hook whose
// spool could not be written (disk full, spool path unusable) loses nothing,
// as the trailer is in the commit. bragd reads the user's recent commits on
// local branches as it scans a repo and files the trailers the journal does
// not hold yet, exactly as the hook's commit.record would have.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "git/repo.h"
#include "journal/journal.h"

namespace brag {

struct TrailerScan {
  std::vector<std::string> identities;  // the user's emails (any case)
  int64_t since = 0;                    // commits older than this are not read
  size_t limit = 500;                   // at most this many commits read per call
  int64_t now = 0;
  // Amends seen in HEAD's reflog ("commit (amend)": old, new): applied as
  // the post-rewrite hook's commit.rewrite would have (it may not have been
  // spooled either), for each old commit the journal holds.
  std::vector<std::pair<std::string, std::string>> rewrites;
};

// Walks each local branch (HEAD's first, then refs/heads/* in order; a
// detached HEAD too) newest first, down to `scan.since` or `scan.limit`
// commits in all, skipping what `walked` (tips read by earlier calls, kept by
// the caller) and earlier branches of this call reach, and files each commit
// of the user's with an Impact: trailer whose oid `repo` has no journal row
// for: once, with the branch it was found on; then applies `scan.rewrites`.
// Tips read are added to
// `walked` when every filing succeeded. Returns how many were filed.
Result<int> FileUnfiledTrailers(Journal& journal, git::Repo& repo, const TrailerScan& scan,
                                std::set<std::string>* walked);

}  // namespace brag
