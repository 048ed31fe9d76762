// One recogniser per forge shape of DESIGN §5, tried in a fixed order by
// ClassifyCommit. Internal to daemon/detect/.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detect/forge_marker.h"

namespace brag::detect {

// A commit message split once for every recogniser.
struct ParsedMessage {
  std::string_view subject;  // trimmed first non-empty line
  std::string_view body;     // everything after the subject's line
};

// Gives the commit's PR when it has the recogniser's forge shape, else
// nullopt (the next recogniser is tried).
using ForgeRecogniser = std::optional<ForgeMarker> (*)(const ParsedMessage&,
                                                       const CommitFacts&,
                                                       const DetectOptions&);

// Every forge's recognisers, most specific marker first: a merge subject or a
// review trailer before GitHub's bare "(#N)" suffix. A recogniser gives the
// PR whatever its source branch; ClassifyCommit drops a merge of a
// long-lived one.
std::span<const ForgeRecogniser> ForgeRecognisers();

// The fallback for a two-parent commit no forge claims: a `git merge` of a
// topic branch with git's own subject (forge "local", its number from a
// `pr/N`-style branch or a "(PR #N)"), or nullopt for anything else: a sync
// merge, `Merge tag`, a custom message.
std::optional<ForgeMarker> LocalMerge(const ParsedMessage& message,
                                      const DetectOptions& options);

bool IsMainline(std::string_view branch, const std::vector<std::string>& mainlines);

// `branch` without a leading "<remote>/" of `remotes`.
std::string_view WithoutRemote(std::string_view branch,
                               const std::vector<std::string>& remotes);

// True when a `long_lived` glob matches `branch` (remote already dropped).
bool MatchesLongLivedGlob(std::string_view branch,
                          const std::vector<std::string>& globs);

}  // namespace brag::detect
