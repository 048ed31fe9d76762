// Reading commits, walking history and diffing: what detection asks of a repo.
#include <utility>

#include "git/handles.h"
#include "git/repo.h"
#include "git/repo_handle.h"

namespace brag::git {
namespace {

Result<git_oid> ParseOid(const std::string& hex, std::string_view where) {
  git_oid oid;
  if (hex.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, hex.c_str()) < 0) {
    git_error_clear();
    return MakeError("git", std::string(where) + ": not a commit id: '" + hex + "'");
  }
  return oid;
}

// Reads commits of one repo into CommitData. The .mailmap is loaded once per
// reader, i.e. once per walk, so an edited .mailmap applies to the next walk.
class CommitReader {
 public:
  CommitReader(git_repository* repo, std::string where)
      : repo_(repo), where_(std::move(where)) {
    // Without a readable .mailmap, authors are taken as written.
    if (Create(mailmap_, git_mailmap_from_repository, repo) < 0) git_error_clear();
  }

  Result<CommitData> Read(const git_oid& oid) const {
    CommitPtr commit;
    if (Create(commit, git_commit_lookup, repo_, &oid) < 0) {
      return Fail(where_, "cannot read commit " + Hex(&oid));
    }
    CommitData data;
    data.oid = Hex(&oid);
    for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
      data.parents.push_back(Hex(git_commit_parent_id(commit.get(), i)));
    }
    const char* message = git_commit_message(commit.get());
    data.message = message ? message : "";
    data.trailers = ParseTrailers(data.message);
    SetAuthor(commit.get(), &data);
    data.commit_time = git_commit_time(commit.get());
    return data;
  }

 private:
  void SetAuthor(const git_commit* commit, CommitData* data) const {
    SignaturePtr mapped;
    const git_signature* author = git_commit_author(commit);
    if (Create(mapped, git_commit_author_with_mailmap, commit, mailmap_.get()) == 0) {
      author = mapped.get();
    } else {
      git_error_clear();
    }
    data->author_name = author->name ? author->name : "";
    data->author_email = author->email ? author->email : "";
    data->time = author->when.time;
  }

  git_repository* repo_;
  std::string where_;
  MailmapPtr mailmap_;
};

// No sorting: a first-parent walk is a chain, listed child first whatever the
// commit clocks say, and a topological sort would read a whole range before
// yielding its first commit, which the walks' limits are there to prevent.
Result<RevwalkPtr> NewWalk(git_repository* repo, std::string_view where) {
  RevwalkPtr walk;
  if (Create(walk, git_revwalk_new, repo) < 0) {
    return Fail(where, "cannot walk the history");
  }
  return walk;
}

Status Push(git_revwalk* walk, const std::string& hex, std::string_view where) {
  Result<git_oid> oid = ParseOid(hex, where);
  if (!oid) return oid.error();
  if (git_revwalk_push(walk, &*oid) < 0)
    return Fail(where, "cannot read commit " + hex);
  return {};
}

Status Hide(git_revwalk* walk, const std::string& hex, std::string_view where) {
  Result<git_oid> oid = ParseOid(hex, where);
  if (!oid) return oid.error();
  if (git_revwalk_hide(walk, &*oid) < 0)
    return Fail(where, "cannot read commit " + hex);
  return {};
}

Result<std::vector<CommitData>> Drain(git_revwalk* walk, const CommitReader& reader,
                                      size_t limit, std::string_view where) {
  std::vector<CommitData> commits;
  git_oid oid;
  while (commits.size() < limit) {
    int rc = git_revwalk_next(&oid, walk);
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) return Fail(where, "cannot walk the history");
    Result<CommitData> commit = reader.Read(oid);
    if (!commit) return commit.error();
    commits.push_back(std::move(*commit));
  }
  return commits;
}

Result<TreePtr> TreeOf(const git_commit* commit, std::string_view where) {
  TreePtr tree;
  if (Create(tree, git_commit_tree, commit) < 0) {
    return Fail(where, "cannot read the tree of " + Hex(git_commit_id(commit)));
  }
  return tree;
}

// The tree a commit is compared against: its first parent's, or none (the
// empty tree) for a root commit.
Result<TreePtr> BaseTreeOf(const git_commit* commit, std::string_view where) {
  if (git_commit_parentcount(commit) == 0) return TreePtr();
  CommitPtr parent;
  if (Create(parent, git_commit_parent, commit, 0u) < 0) {
    return Fail(where, "cannot read the parent of " + Hex(git_commit_id(commit)));
  }
  return TreeOf(parent.get(), where);
}

Result<std::pair<Diffstat, std::vector<std::string>>> Summarise(
    git_diff* diff, std::string_view where) {
  DiffStatsPtr stats;
  if (Create(stats, git_diff_get_stats, diff) < 0) {
    return Fail(where, "cannot count the changes");
  }
  Diffstat diffstat;
  diffstat.files = static_cast<int>(git_diff_stats_files_changed(stats.get()));
  diffstat.insertions = static_cast<int>(git_diff_stats_insertions(stats.get()));
  diffstat.deletions = static_cast<int>(git_diff_stats_deletions(stats.get()));
  std::vector<std::string> paths;
  for (size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    // A deleted file has no new path; it is still a path the change touched.
    const char* path = delta->status == GIT_DELTA_DELETED ? delta->old_file.path
                                                          : delta->new_file.path;
    paths.emplace_back(path ? path : "");
  }
  return std::pair(diffstat, std::move(paths));
}

}  // namespace

Result<CommitData> Repo::Commit(const std::string& oid) {
  Result<git_oid> id = ParseOid(oid, h_->where());
  if (!id) return id.error();
  return CommitReader(h_->repo.get(), h_->where()).Read(*id);
}

Result<std::vector<CommitData>> Repo::NewFirstParentCommits(
    const std::string& tip, const std::vector<std::string>& hide, size_t limit) {
  Result<RevwalkPtr> walk = NewWalk(h_->repo.get(), h_->where());
  if (!walk) return walk.error();
  if (git_revwalk_simplify_first_parent(walk->get()) < 0) {
    return Fail(h_->where(), "cannot walk the history");
  }
  if (Status s = Push(walk->get(), tip, h_->where()); !s) return s.error();
  for (const std::string& oid : hide) {
    // A stored tip may since have been garbage-collected (force push): it
    // hides nothing then, which is what the caller asks for.
    if (!Hide(walk->get(), oid, h_->where())) git_error_clear();
  }
  return Drain(walk->get(), CommitReader(h_->repo.get(), h_->where()), limit,
               h_->where());
}

Result<std::vector<CommitData>> Repo::Range(const std::string& exclude,
                                            const std::string& include, size_t limit) {
  Result<RevwalkPtr> walk = NewWalk(h_->repo.get(), h_->where());
  if (!walk) return walk.error();
  if (Status s = Push(walk->get(), include, h_->where()); !s) return s.error();
  if (Status s = Hide(walk->get(), exclude, h_->where()); !s) return s.error();
  return Drain(walk->get(), CommitReader(h_->repo.get(), h_->where()), limit,
               h_->where());
}

Result<std::vector<CommitData>> Repo::RecentCommits(const std::vector<std::string>& tips,
                                                     const std::vector<std::string>& hide,
                                                     int64_t since, size_t limit) {
  std::vector<CommitData> commits;
  if (tips.empty()) return commits;
  Result<RevwalkPtr> walk = NewWalk(h_->repo.get(), h_->where());
  if (!walk) return walk.error();
  if (git_revwalk_sorting(walk->get(), GIT_SORT_TIME) < 0) {
    return Fail(h_->where(), "cannot walk the history");
  }
  for (const std::string& tip : tips) {
    if (Status s = Push(walk->get(), tip, h_->where()); !s) return s.error();
  }
  for (const std::string& oid : hide) {
    if (!Hide(walk->get(), oid, h_->where())) git_error_clear();
  }
  CommitReader reader(h_->repo.get(), h_->where());
  git_oid oid;
  while (commits.size() < limit) {
    int rc = git_revwalk_next(&oid, walk->get());
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) return Fail(h_->where(), "cannot walk the history");
    Result<CommitData> commit = reader.Read(oid);
    if (!commit) return commit.error();
    if (commit->commit_time < since) break;
    commits.push_back(std::move(*commit));
  }
  return commits;
}

Result<std::pair<Diffstat, std::vector<std::string>>> Repo::DiffAgainstFirstParent(
    const std::string& oid) {
  Result<git_oid> id = ParseOid(oid, h_->where());
  if (!id) return id.error();
  CommitPtr commit;
  if (Create(commit, git_commit_lookup, h_->repo.get(), &*id) < 0) {
    return Fail(h_->where(), "cannot read commit " + oid);
  }
  Result<TreePtr> tree = TreeOf(commit.get(), h_->where());
  if (!tree) return tree.error();
  Result<TreePtr> base = BaseTreeOf(commit.get(), h_->where());
  if (!base) return base.error();
  DiffPtr diff;
  if (Create(diff, git_diff_tree_to_tree, h_->repo.get(), base->get(), tree->get(),
             nullptr) < 0) {
    return Fail(h_->where(), "cannot diff " + oid);
  }
  return Summarise(diff.get(), h_->where());
}

}  // namespace brag::git
