// Pure classification of mainline commits (DESIGN §5): which commits are PR
// merges, and whether they are the user's. No I/O, no libgit2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brag::detect {

// What the classifier needs to know about one commit.
struct CommitFacts {
  std::string oid;
  int parent_count = 0;
  std::string message;  // full raw message: subject, blank line, body
  std::string author_email;
  int64_t time = 0;
  // The closing trailer block as git reads it (key as written, value), in
  // order; see git::ParseTrailers.
  std::vector<std::pair<std::string, std::string>> trailers;
};

// A PR recognised from a commit's shape.
struct ForgeMarker {
  // "github", "gitlab", "bitbucket", "azure", "gerrit", "phabricator", "local"
  std::string forge;
  int64_t number = 0;  // PR, MR, change or revision number; 0 for a local merge
  std::string title;
  std::string branch;     // source branch, "" when unknown
  bool is_merge = false;  // true: authors come from P1..P2; false: author + co-authors
};

// What a classification goes by besides the commit (DESIGN §5).
struct DetectOptions {
  // The mainline branch names ("main", ...): a merge *of* a mainline is a
  // sync, not a PR.
  std::vector<std::string> mainlines;
  // `[detect] long_lived` globs (fnmatch, '*' crossing '/'): a merge of a
  // branch they match is a sync. Mainline names are long-lived without being
  // listed.
  std::vector<std::string> long_lived = DefaultLongLived();
  // Remote names ("origin", ...) dropped from a branch before matching.
  std::vector<std::string> remotes{"origin", "upstream"};

  static std::vector<std::string> DefaultLongLived();
};

// Classifies a commit found on a mainline's first-parent chain by the forge
// shapes of DESIGN §5, reading `commit.trailers` for the review trailers
// (Gerrit's `Reviewed-on:`). A merge of a long-lived branch (a mainline, a
// maintenance, release or stable branch: `options.long_lived`) is a sync,
// not a PR: e.g. `Merge branch '2.2.x'`, `Merge remote-tracking branch
// 'origin/main'`, `Merge branch 'main' into 'feature'`, `Merge pull request
// #7 from owner/release-2.0`. So are `Merge tag 'v1'` and a two-parent
// commit with neither a forge marker nor git's own merge subject.
std::optional<ForgeMarker> ClassifyCommit(const CommitFacts& commit,
                                          const DetectOptions& options);

// The same with the default long-lived globs and remotes.
std::optional<ForgeMarker> ClassifyCommit(const CommitFacts& commit,
                                          const std::vector<std::string>& mainlines);

// True when `branch`, with a leading remote name of `options.remotes`
// dropped ("origin/2.2.x" -> "2.2.x"), is a mainline or matches a
// long-lived glob.
bool IsLongLived(std::string_view branch, const DetectOptions& options);

// Whether `[detect] coauthor` lets a PR in which the user is only a
// co-author count as theirs.
enum class CoauthorRule { kPrompt, kIgnore };

// Whether a PR is the user's (DESIGN §5): one of `identities` authored one
// of its commits (`commit_authors`), or, with CoauthorRule::kPrompt, is
// among `authors` (commit authors and `Co-authored-by:` emails).
bool IsUsersPr(const std::vector<std::string>& commit_authors,
               const std::vector<std::string>& authors,
               const std::vector<std::string>& identities, CoauthorRule rule);

// Emails named in `Co-authored-by: Name <email>` trailers (case-insensitive
// key), in order.
std::vector<std::string> CoAuthorEmails(std::string_view message);

// Case-insensitive email comparison against the user's identities.
bool IsIdentity(std::string_view email, const std::vector<std::string>& identities);

}  // namespace brag::detect
