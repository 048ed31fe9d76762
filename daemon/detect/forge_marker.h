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

// Classifies a commit found on a mainline's first-parent chain by the forge
// shapes of DESIGN §5, reading `commit.trailers` for the review trailers
// (Gerrit's `Reviewed-on:`). `mainlines` are the mainline branch names
// ("main", ...): a merge *of* a mainline (e.g. `Merge branch 'main' of
// github.com:o/r`, `Merge remote-tracking branch 'origin/main'`,
// `Merge branch 'main' into 'feature'`) is a sync, not a PR.
std::optional<ForgeMarker> ClassifyCommit(const CommitFacts& commit,
                                          const std::vector<std::string>& mainlines);

// Emails named in `Co-authored-by: Name <email>` trailers (case-insensitive
// key), in order.
std::vector<std::string> CoAuthorEmails(std::string_view message);

// Case-insensitive email comparison against the user's identities.
bool IsIdentity(std::string_view email, const std::vector<std::string>& identities);

}  // namespace brag::detect
