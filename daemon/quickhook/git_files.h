// Just enough of a repository, read as plain files, for a git hook to say
// which commit it is about without loading libgit2 (whose start-up alone,
// with its TLS set-up, costs more than the hook's whole budget): the git
// folder, HEAD, a branch's tip and a loose commit object. Anything unusual
// (packed-only refs in a reftable, a packed commit, SHA-256 objects one day)
// gives nullopt, and the caller leaves that part to bragd, which has libgit2.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace brag::quickhook {

// The git folder a hook runs for: $GIT_DIR (`git_dir_env`, relative to
// `cwd`) when set, else `cwd`/.git (a folder, or a "gitdir:" file in a linked
// worktree), else `cwd` itself when it is a bare repository.
std::optional<std::filesystem::path> FindGitDir(const std::filesystem::path& cwd,
                                                const char* git_dir_env);

// Where a linked worktree keeps the refs and objects it shares: the folder
// named by `git_dir`/commondir, else `git_dir`.
std::filesystem::path CommonDir(const std::filesystem::path& git_dir);

struct Head {
  std::string branch;  // "feature/x" for refs/heads/feature/x; "" when detached
  std::string oid;     // "" when it cannot be read as plain files
};

// HEAD of `git_dir`: its branch and that branch's commit (loose ref, then
// packed-refs).
std::optional<Head> ReadHead(const std::filesystem::path& git_dir);

struct CommitText {
  std::string author_email;
  int64_t commit_time = 0;  // the committer's time, as libgit2's git_commit_time
  std::string message;
};

// Commit `oid` when it is a loose object (a commit just made always is).
std::optional<CommitText> ReadLooseCommit(const std::filesystem::path& common_dir,
                                          const std::string& oid);

// The pure parts of ReadHead and ReadLooseCommit, over buffers (exposed for
// tests and fuzz/). ParseHeadText: HEAD's text; `ref` receives the symbolic
// ref ("refs/heads/x", "" when detached), whose oid is left empty.
std::optional<Head> ParseHeadText(std::string_view text, std::string* ref);
// The oid packed-refs text gives `ref`, "" when none.
std::string FindPackedRef(std::string_view packed, std::string_view ref);
// A loose object's bytes inflated; nullopt when not zlib, truncated, or
// inflating to more than kMaxLooseObjectBytes.
inline constexpr size_t kMaxLooseObjectBytes = 64 * 1024 * 1024;
std::optional<std::string> InflateObject(const std::string& compressed);
// An inflated object ("commit SIZE\0BODY") as a commit; nullopt otherwise.
std::optional<CommitText> ParseCommitObject(const std::string& object);

// The body of a commit object parsed (exposed for tests).
std::optional<CommitText> ParseCommit(const std::string& body);

// The remotes' URLs a repository's own config file names (remote.NAME.url,
// the last one given for each name), read as git reads the file: a digest
// links to the forge without loading libgit2 (its start-up loads the
// system's TLS certificates: ~10 ms). `known` is false when the file cannot
// be read, does not parse, or has what this reader leaves to libgit2
// (include sections, per-worktree config).
struct ConfigRemotes {
  bool known = false;
  std::map<std::string, std::string> urls;  // remote name -> URL
};
ConfigRemotes ReadConfigRemotes(const std::filesystem::path& repo);
// The same from the text of a config file (exposed for tests).
ConfigRemotes ParseConfigRemotes(std::string_view text);

}  // namespace brag::quickhook
