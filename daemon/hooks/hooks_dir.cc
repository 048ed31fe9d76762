#include "hooks/hooks_dir.h"

#include <optional>
#include <string>
#include <system_error>

#include "core/paths.h"
#include "git/repo.h"

namespace brag::hooks {
namespace fs = std::filesystem;

namespace {

// `path` made absolute and normal, with no trailing separator ("a/b/" would
// otherwise differ from "a/b" when compared or joined).
fs::path Clean(const fs::path& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  fs::path normal = (ec ? path : abs).lexically_normal();
  if (!normal.has_filename() && normal.has_parent_path() &&
      normal != normal.root_path()) {
    normal = normal.parent_path();
  }
  return normal;
}

}  // namespace

Result<HookSite> LocateHooks(const fs::path& repo_path) {
  Result<git::Repo> repo = git::Repo::Open(repo_path);
  if (!repo) return repo.error();
  Result<std::optional<std::string>> configured = repo->ConfigString("core.hooksPath");
  if (!configured) return configured.error();
  HookSite site{repo->DisplayPath(), repo->CommonDir() / "hooks", repo->CommonDir()};
  // An empty value is no path at all: git would look for "/NAME".
  if (*configured && !(*configured)->empty()) {
    fs::path dir = ExpandHome(**configured);
    // Git runs hooks from the top of the work tree (the git dir when bare),
    // so that is what a relative path is relative to.
    if (dir.is_relative()) dir = repo->WorkDir().value_or(repo->CommonDir()) / dir;
    site.dir = dir;
  }
  site.dir = Clean(site.dir);
  site.git_dir = Clean(site.git_dir);
  return site;
}

Result<fs::path> FindRepo(const fs::path& start) {
  fs::path at = Clean(start);
  for (;;) {
    Result<git::Repo> repo = git::Repo::Open(at);
    if (repo) return at;
    if (repo.error().code != "not_found") return repo.error();
    if (at == at.root_path() || !at.has_parent_path()) break;
    at = at.parent_path();
  }
  return MakeError("not_found", Clean(start).string() + " is not in a git repository");
}

}  // namespace brag::hooks
