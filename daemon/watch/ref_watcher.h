// Follows the ref storage of many repos with one inotify descriptor (DESIGN
// §5): refs are written by lock+rename, new ref folders need new watches and
// packed-refs is rewritten whole. The owner polls fd() for readability (bragd
// wraps it in its event loop) and then calls Drain(). Not thread-safe: one
// thread owns a RefWatcher.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace brag {

class RefWatcher {
 public:
  // What one Drain() saw.
  struct Changes {
    std::set<int64_t> repos;  // repos whose refs may have changed
    bool overflow = false;    // the kernel queue overflowed: rescan everything
    bool roots = false;       // something appeared under a scan root: rediscover
  };

  RefWatcher();
  ~RefWatcher();
  RefWatcher(const RefWatcher&) = delete;
  RefWatcher& operator=(const RefWatcher&) = delete;

  // Error code "io" when inotify itself is unavailable.
  Status Init();
  int fd() const { return fd_; }

  // Watches `common_dir` (the folder with refs/ and packed-refs) of repo
  // `repo_id`, including every folder under refs/. Re-watching a repo first
  // drops its old watches. Error code "watch_limit" when the kernel's watch
  // limit is reached (the caller polls that repo instead), "io" otherwise;
  // on error no watch of this repo is kept.
  Status Watch(int64_t repo_id, const std::filesystem::path& common_dir);
  void Unwatch(int64_t repo_id);

  // Watches the folders under each scan root, `depth` levels down, skipping
  // repositories and hidden folders (as DiscoverRepos does), so a new clone
  // shows up as Changes::roots. Replaces the previous root watches. Errors
  // (e.g. the watch limit) leave the roots partly watched; the caller still
  // rediscovers on its poll timer.
  Status WatchRoots(const std::vector<std::string>& roots, int depth);

  // Reads every pending event without blocking; adds watches for new ref
  // folders (and new folders under scan roots) as they appear.
  Changes Drain();

 private:
  struct WatchedDir {
    int64_t repo_id;
    std::filesystem::path path;
    bool is_refs;  // under refs/: new subfolders get watched too
    int root_depth = -1;  // >= 0: a folder under a scan root, this many levels left
  };
  // The repo id of scan-root watches (real repo ids are positive).
  static constexpr int64_t kRootsId = -1;
  Status AddRootTree(const std::filesystem::path& dir, int depth_left);
  Status AddDir(int64_t repo_id, const std::filesystem::path& dir, bool is_refs);
  Status AddTree(int64_t repo_id, const std::filesystem::path& dir);
  void Forget(int wd);

  int fd_ = -1;
  int wd_of_last_add_ = -1;
  std::map<int, WatchedDir> dirs_;                 // watch descriptor -> dir
  std::map<int64_t, std::set<int>> dirs_by_repo_;  // repo -> its descriptors
};

}  // namespace brag
