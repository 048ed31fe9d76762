#include "watch/ref_watcher.h"

#include <errno.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cstring>
#include <string_view>
#include <system_error>
#include <vector>

namespace brag {
namespace {

constexpr uint32_t kDirMask = IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
                              IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF |
                              IN_ONLYDIR;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Under refs/ every change but a lock file's is a ref update (the rename
// after the lock). In the common dir itself only packed-refs and the
// appearance of refs/ matter; index, HEAD and friends churn on every command.
bool Interesting(bool is_refs, std::string_view name, uint32_t mask) {
  if (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) return true;
  if (EndsWith(name, ".lock")) return false;
  if (is_refs) return true;
  return name == "packed-refs" || name == "refs";
}

}  // namespace

RefWatcher::RefWatcher() = default;

RefWatcher::~RefWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

Status RefWatcher::Init() {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    return MakeError("io", std::string("inotify unavailable: ") + std::strerror(errno));
  }
  return {};
}

Status RefWatcher::AddDir(int64_t repo_id, const std::filesystem::path& dir,
                          bool is_refs) {
  wd_of_last_add_ = -1;
  int wd = inotify_add_watch(fd_, dir.c_str(), kDirMask);
  if (wd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) return {};  // raced with a deletion
    std::string what = dir.string() + ": " + std::strerror(err);
    return MakeError(err == ENOSPC ? "watch_limit" : "io",
                     err == ENOSPC ? "inotify watch limit reached at " + what
                                   : "cannot watch " + what);
  }
  // The same folder watched twice shares a wd: watches follow inodes, so a
  // repo moved to a new path brings its old watches along. The wd now
  // belongs to the repo at the new path; the old one must not remove it.
  if (auto old = dirs_.find(wd); old != dirs_.end() && old->second.repo_id != repo_id) {
    Forget(wd);
  }
  dirs_[wd] = WatchedDir{repo_id, dir, is_refs};
  wd_of_last_add_ = wd;
  dirs_by_repo_[repo_id].insert(wd);
  return {};
}

Status RefWatcher::AddTree(int64_t repo_id, const std::filesystem::path& dir) {
  if (Status s = AddDir(repo_id, dir, true); !s) return s;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      if (Status s = AddTree(repo_id, it->path()); !s) return s;
    }
  }
  return {};
}

Status RefWatcher::AddRootTree(const std::filesystem::path& dir, int depth_left) {
  std::error_code ec;
  // A repository is followed through its git dir, not as part of a root.
  if (std::filesystem::exists(dir / ".git", ec) ||
      std::filesystem::exists(dir / "HEAD", ec)) {
    return {};
  }
  if (Status s = AddDir(kRootsId, dir, false); !s) return s;
  if (wd_of_last_add_ < 0) return {};  // vanished meanwhile
  dirs_[wd_of_last_add_].root_depth = depth_left;
  if (depth_left <= 0) return {};
  for (std::filesystem::directory_iterator it(
           dir, std::filesystem::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().starts_with(".")) continue;
    if (it->is_symlink(ec) || !it->is_directory(ec)) continue;
    if (Status s = AddRootTree(it->path(), depth_left - 1); !s) return s;
  }
  return {};
}

Status RefWatcher::WatchRoots(const std::vector<std::string>& roots, int depth) {
  Unwatch(kRootsId);
  for (const std::string& root : roots) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) continue;
    if (Status s = AddRootTree(root, depth); !s) return s;
  }
  return {};
}

Status RefWatcher::Watch(int64_t repo_id, const std::filesystem::path& common_dir) {
  Unwatch(repo_id);
  Status s = AddDir(repo_id, common_dir, false);
  if (s) s = AddTree(repo_id, common_dir / "refs");
  if (!s) Unwatch(repo_id);
  return s;
}

void RefWatcher::Forget(int wd) {
  auto it = dirs_.find(wd);
  if (it == dirs_.end()) return;
  auto by = dirs_by_repo_.find(it->second.repo_id);
  if (by != dirs_by_repo_.end()) {
    by->second.erase(wd);
    if (by->second.empty()) dirs_by_repo_.erase(by);
  }
  dirs_.erase(it);
}

void RefWatcher::Unwatch(int64_t repo_id) {
  auto by = dirs_by_repo_.find(repo_id);
  if (by == dirs_by_repo_.end()) return;
  for (int wd : by->second) {
    inotify_rm_watch(fd_, wd);
    dirs_.erase(wd);
  }
  dirs_by_repo_.erase(by);
}

RefWatcher::Changes RefWatcher::Drain() {
  Changes changes;
  alignas(inotify_event) char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {
        changes.overflow = true;
        continue;
      }
      auto it = dirs_.find(ev->wd);
      if (it == dirs_.end()) continue;
      WatchedDir dir = it->second;
      std::string_view name = ev->len ? std::string_view(ev->name) : std::string_view();
      if (ev->mask & IN_IGNORED) {
        Forget(ev->wd);
        if (dir.repo_id != kRootsId) changes.repos.insert(dir.repo_id);
        continue;
      }
      if (dir.root_depth >= 0) {
        // Under a scan root: a new folder may become (or already be) a clone.
        if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
          changes.roots = true;
          if ((ev->mask & IN_ISDIR) && dir.root_depth > 0 && !name.starts_with(".")) {
            Status s = AddRootTree(dir.path / std::string(name), dir.root_depth - 1);
            (void)s;  // the poll timer's rediscovery covers what is missed
          }
        }
        continue;
      }
      if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
        // A new ref folder (refs/heads/a/ for a/b, refs/remotes/origin on the
        // first fetch): watch it, and treat its current contents as changed
        // because refs may have landed before the watch existed.
        bool under_refs = dir.is_refs || name == "refs";
        if (under_refs) {
          Status s = AddTree(dir.repo_id, dir.path / std::string(name));
          if (!s) changes.overflow = true;  // let the owner rescan and poll
        }
      }
      if (Interesting(dir.is_refs, name, ev->mask)) changes.repos.insert(dir.repo_id);
    }
  }
  return changes;
}

}  // namespace brag
