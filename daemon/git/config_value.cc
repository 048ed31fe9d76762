// A repo's configuration values and its work tree.
#include <system_error>

#include "git/handles.h"
#include "git/repo.h"
#include "git/repo_handle.h"

namespace brag::git {
namespace fs = std::filesystem;

std::optional<fs::path> Repo::WorkDir() const {
  const char* dir = git_repository_workdir(h_->repo.get());
  if (!dir) return std::nullopt;
  // libgit2 ends folders with '/'; brag's paths never do.
  std::string s = dir;
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  std::error_code ec;
  fs::path abs = fs::absolute(s, ec);
  return ec ? fs::path(s) : abs.lexically_normal();
}

Result<std::optional<std::string>> Repo::ConfigString(const std::string& name) {
  ConfigPtr config;
  if (Create(config, git_repository_config_snapshot, h_->repo.get()) < 0) {
    return Fail(h_->where(), "cannot read the config");
  }
  Buf value;
  int rc = git_config_get_string_buf(value.get(), config.get(), name.c_str());
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return std::optional<std::string>();
  }
  if (rc < 0) return Fail(h_->where(), "cannot read " + name + " from the config");
  return std::optional<std::string>(value.str());
}

}  // namespace brag::git
