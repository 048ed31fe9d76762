// Repo::HeadBranch: which branch the user is on.
#include "git/handles.h"
#include "git/repo_handle.h"

namespace brag::git {

Result<std::string> Repo::HeadBranch() {
  ReferencePtr head;
  int rc = Create(head, git_repository_head, h_->repo.get());
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
    git_error_clear();
    return std::string();
  }
  if (rc < 0) return Fail(h_->where(), "cannot read HEAD");
  if (git_reference_is_branch(head.get()) == 0) return std::string();
  return std::string(git_reference_shorthand(head.get()));
}

}  // namespace brag::git
