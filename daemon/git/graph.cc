// Reachability questions about the commit graph.
#include "git/handles.h"
#include "git/repo.h"
#include "git/repo_handle.h"

namespace brag::git {

Result<bool> Repo::IsAncestor(const std::string& ancestor,
                              const std::string& descendant) {
  if (ancestor == descendant) return true;
  git_oid a, d;
  if (git_oid_fromstr(&a, ancestor.c_str()) < 0 ||
      git_oid_fromstr(&d, descendant.c_str()) < 0) {
    git_error_clear();
    return MakeError("git", "not an object id: " + ancestor + " or " + descendant);
  }
  int rc = git_graph_descendant_of(h_->repo.get(), &d, &a);
  if (rc < 0) return Fail(h_->where(), "cannot walk from " + descendant);
  return rc == 1;
}

}  // namespace brag::git
