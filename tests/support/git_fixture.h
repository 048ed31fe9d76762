// Builds real git repositories with the git CLI for tests: commits by any
// author, GitHub-style merge and squash commits, local merges, bare remotes.
// Every git failure throws std::runtime_error with git's output, which
// doctest reports as a failed test.
#pragma once

#include <filesystem>
#include <string>

namespace brag::test {

class GitRepo {
 public:
  // `git init -b main` (or `--bare`) at `dir`, creating it.
  static GitRepo Init(const std::filesystem::path& dir, bool bare = false);
  // `git clone from to`.
  static GitRepo Clone(const std::filesystem::path& from,
                       const std::filesystem::path& to);
  explicit GitRepo(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }

  // Runs `git -C dir ARGS` (ARGS is shell text) as author `email` (also the
  // committer); returns stdout with the trailing newline removed.
  std::string Git(const std::string& args,
                  const std::string& email = "me@example.com") const;
  std::string Rev(const std::string& rev = "HEAD") const;

  // Writes `file` (relative to the work tree), commits it on the current
  // branch with `message`, returns the new oid.
  std::string Commit(const std::string& file, const std::string& content,
                     const std::string& message,
                     const std::string& email = "me@example.com") const;

  // On `base`: creates `branch` with one commit by `author`, merges it with
  // --no-ff as GitHub does ("Merge pull request #N from owner/BRANCH", body =
  // title) by `merger`, and leaves `base` checked out. Returns the merge oid.
  std::string GithubMerge(int pr, const std::string& branch,
                          const std::string& title, const std::string& author,
                          const std::string& base = "main",
                          const std::string& merger = "merger@example.com") const;
  // On `base`: one commit "TITLE (#N)" by `author`. Returns its oid.
  std::string GithubSquash(int pr, const std::string& title,
                           const std::string& author,
                           const std::string& base = "main",
                           const std::string& extra_body = "") const;
  // On `base`: a branch with one commit by `author`, merged with a plain
  // `git merge --no-ff BRANCH`. Returns the merge oid.
  std::string LocalMerge(const std::string& branch, const std::string& author,
                         const std::string& base = "main") const;

 private:
  std::filesystem::path dir_;
};

}  // namespace brag::test
