// A small facade over libgit2: the only user of git2.h. RAII handles inside;
// every call returns Result (error code "git", message with libgit2's text
// and the repo path). A Repo is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "git/history_graph.h"
#include "model/records.h"

namespace brag::git {

// Initialises libgit2 once per process (idempotent, thread-safe).
void EnsureInit();

struct CommitData {
  std::string oid;
  std::vector<std::string> parents;
  std::string message;      // raw message
  std::string author_name;  // name and email after the repo's .mailmap
  std::string author_email;
  int64_t time = 0;         // author time, unix seconds
  int64_t commit_time = 0;  // committer time: when it landed where it is
  // The message's closing trailer block as ParseTrailers reads it, in order.
  std::vector<std::pair<std::string, std::string>> trailers;
};

// The trailers (`Key: value` lines of a message's last paragraph) as
// libgit2, like git, reads them: key and value, in order, a value's
// continuation lines included. Keys are as written (no case folding); keys
// with spaces ("Differential Revision") are no trailers to git.
std::vector<std::pair<std::string, std::string>> ParseTrailers(
    std::string_view message);

class Repo {
 public:
  // Opens a work tree, a .git folder, a bare repo or a linked worktree.
  // code "not_found" if `path` does not exist or is no git repo; "git" otherwise.
  static Result<Repo> Open(const std::filesystem::path& path);
  Repo(Repo&&) noexcept;
  Repo& operator=(Repo&&) noexcept;
  ~Repo();

  // The folder that holds refs/ and packed-refs (the common dir, shared by
  // linked worktrees). Absolute, without trailing slash.
  std::filesystem::path CommonDir() const;
  // The canonical path users know the repo by: the work tree for a
  // non-bare repo (the main work tree for a linked worktree), else the git dir.
  std::filesystem::path DisplayPath() const;
  // The work tree this Repo was opened on (a linked worktree's own), absolute
  // and without trailing slash; nullopt for a bare repo.
  std::optional<std::filesystem::path> WorkDir() const;

  // A config value as git reads it for this repo (the repo's config, then
  // worktree, global, XDG and system files, includes followed; the last
  // setting wins), read from a fresh snapshot: nullopt when it is not set.
  Result<std::optional<std::string>> ConfigString(const std::string& name);

  // The branch HEAD is on ("main", "feature/x"), or "" when HEAD is detached
  // or the branch has no commit yet.
  Result<std::string> HeadBranch();

  // The URL of remote `name` ("origin"), remote.NAME.url as configured
  // (url.*.insteadOf not applied), or nullopt when it is not set.
  Result<std::optional<std::string>> RemoteUrl(const std::string& name);

  // Every ref under refs/heads/ and refs/remotes/ (not symbolic ones like
  // refs/remotes/origin/HEAD), peeled to a commit: refname -> hex oid.
  // With `glob` ("refs/heads/hotfix/*"; '*' also matches '/'), only the refs
  // it matches: libgit2 then reads just the folders under its literal prefix.
  Result<std::map<std::string, std::string>> BranchRefs(const std::string& glob = "");

  // The commit `refname` (e.g. "refs/heads/main") points at now, peeled, or
  // nullopt when there is no such ref (or it names no commit). Reads one ref,
  // where BranchRefs reads them all.
  Result<std::optional<std::string>> RefTip(const std::string& refname);

  Result<CommitData> Commit(const std::string& oid);

  // Whether `ancestor` is `descendant` or reachable from it (both oids).
  Result<bool> IsAncestor(const std::string& ancestor, const std::string& descendant);

  // The full hex oid of the commit a revision names ("HEAD~2", "a1b2c3",
  // "main"). code "not_found" when it names no commit here.
  Result<std::string> ResolveCommit(const std::string& rev);

  // Commits on the first-parent chain of `tip` not reachable from any of
  // `hide` (oids; unknown ones are ignored), newest first, at most `limit`.
  Result<std::vector<CommitData>> NewFirstParentCommits(
      const std::string& tip, const std::vector<std::string>& hide, size_t limit);

  // Commits reachable from `include` but not from `exclude` (the P1..P2 of a
  // merge), at most `limit`.
  Result<std::vector<CommitData>> Range(const std::string& exclude,
                                        const std::string& include, size_t limit);

  // Commits reachable from any of `tips` and from none of `hide` (oids;
  // unknown hidden ones are ignored), newest first by committer time,
  // stopping at the first older than `since` (unix s) or after `limit`.
  // Cheap for the recent end of a history: a bound walk, no full read.
  Result<std::vector<CommitData>> RecentCommits(const std::vector<std::string>& tips,
                                                const std::vector<std::string>& hide,
                                                int64_t since, size_t limit);

  // Diff of the commit's tree against its first parent's (empty tree for a
  // root commit): file count, lines added and removed, changed paths.
  Result<std::pair<Diffstat, std::vector<std::string>>> DiffAgainstFirstParent(
      const std::string& oid);

  // Every commit reachable from `tip` (an oid), each read once from the
  // object database, tip first. Messages are kept only for commits on the
  // tip's first-parent chain and for commits that name a co-author
  // ("co-authored-by", any case). `progress` (may be empty) is called every
  // few thousand commits. A parent missing from the repo (shallow clone) is
  // listed with `missing` set, not an error.
  Result<History> ReadHistory(const std::string& tip,
                              const HistoryProgress& progress = {});

 private:
  struct Handle;
  explicit Repo(std::unique_ptr<Handle> h);
  std::unique_ptr<Handle> h_;
};

// `git config --global user.email` as libgit2 reads it (global, then XDG, then
// system config), or nullopt.
std::optional<std::string> GlobalUserEmail();

}  // namespace brag::git
