// Where a repository's git hooks live, found the way git finds them.
#pragma once

#include <filesystem>

#include "core/result.h"

namespace brag::hooks {

// A repository and its hooks folder.
struct HookSite {
  std::filesystem::path repo;     // as users know it (git::Repo::DisplayPath)
  std::filesystem::path dir;      // absolute; it need not exist yet
  std::filesystem::path git_dir;  // the common git dir, where the refs are
};

// The hooks folder of the repo at `repo` (a work tree, .git folder, bare repo
// or linked worktree): core.hooksPath when set ("~/" expanded; a relative one
// is taken from the work tree's top, or the git dir of a bare repo, as git
// does), else <common git dir>/hooks, which linked worktrees share.
// code "not_found" when `repo` is no repository.
Result<HookSite> LocateHooks(const std::filesystem::path& repo);

// The repository `start` is in: `start` itself or the nearest folder above it
// that git::Repo::Open accepts. code "not_found" when there is none.
Result<std::filesystem::path> FindRepo(const std::filesystem::path& start);

}  // namespace brag::hooks
