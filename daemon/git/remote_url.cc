// A remote's URL, for links to the forge a repo lives on.
#include "git/handles.h"
#include "git/repo.h"
#include "git/repo_handle.h"

namespace brag::git {
namespace {

using RemotePtr = GitPtr<git_remote, git_remote_free>;

}  // namespace

Result<std::optional<std::string>> Repo::RemoteUrl(const std::string& name) {
  RemotePtr remote;
  int rc = Create(remote, git_remote_lookup, h_->repo.get(), name.c_str());
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
    git_error_clear();
    return std::optional<std::string>();
  }
  if (rc < 0) return Fail(h_->where(), "cannot read remote " + name);
  // git_remote_url applies url.<base>.insteadOf, as `git remote get-url` does.
  const char* url = git_remote_url(remote.get());
  if (!url || !*url) return std::optional<std::string>();
  return std::optional<std::string>(url);
}

}  // namespace brag::git
