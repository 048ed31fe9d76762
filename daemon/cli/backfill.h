// The user's PRs already in their repos' history: what `brag scan` lists for
// one repo, and what `brag setup` offers to backfill across all of them
// (DESIGN §11: bounded in time, recorded newest first).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "model/records.h"
#include "scan/history_scan.h"

namespace brag::cli {

// A scan of the repo at `repo_path` as the config has it: the repo's own
// [[repo]] mainline and long_lived where given, else [detect]'s; remotes,
// incident globs and the co-author rule. No identities, branch or dates.
HistoryQuery QueryForRepo(const Config& config, const std::string& repo_path);

// The PRs of `identities` merged in one repo since a time.
struct RepoFinds {
  std::filesystem::path repo;  // as git::Repo::DisplayPath names it
  std::vector<Event> events;   // oldest first, with diffstats
};

struct Backfill {
  std::vector<RepoFinds> repos;  // only repos with at least one PR
  std::vector<std::string> unreadable;  // "PATH: why", repos that could not be read
  size_t prs() const;
};

// Scans each of `repos` for PRs of `identities` merged at or after `since`;
// `progress(done, total)` after each repo. A repo that cannot be read is
// listed in `unreadable` and the others are still scanned.
Backfill FindBackfill(const Config& config, const std::vector<std::filesystem::path>& repos,
                      const std::vector<std::string>& identities, int64_t since,
                      const std::function<void(size_t, size_t)>& progress);

struct BackfillRecorded {
  size_t recorded = 0;       // new prompts
  size_t already_known = 0;  // PRs the journal had
};

// Records every PR of `backfill` as a prompt, newest first across all the
// repos (each repo added to the journal as found under a root), so an
// interrupted backfill has kept the most recent ones. A repo the user
// removed from brag (`brag repos rm`) is left out.
Result<BackfillRecorded> RecordBackfill(const Config& config, const Backfill& backfill,
                                        int64_t now);

}  // namespace brag::cli
