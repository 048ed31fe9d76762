#include "watch/discovery.h"

#include <system_error>

namespace brag {
namespace {

namespace fs = std::filesystem;

bool IsBareRepo(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "HEAD", ec) && fs::is_directory(dir / "objects", ec) &&
         fs::is_directory(dir / "refs", ec);
}

bool IsWorkTree(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / ".git", ec);
}

void Walk(const fs::path& dir, int depth_left, std::vector<fs::path>* out) {
  if (IsWorkTree(dir) || IsBareRepo(dir)) {
    out->push_back(dir);
    return;
  }
  if (depth_left <= 0) return;
  std::error_code ec;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) continue;
    if (it->is_symlink(ec) || !it->is_directory(ec)) continue;
    Walk(p, depth_left - 1, out);
  }
}

}  // namespace

std::vector<fs::path> DiscoverRepos(const std::vector<std::string>& roots, int depth) {
  std::vector<fs::path> found;
  for (const std::string& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    Walk(fs::path(root), depth, &found);
  }
  return found;
}

}  // namespace brag
