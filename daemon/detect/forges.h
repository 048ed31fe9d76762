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

// The mainline branch names: a merge of one of them is a sync, not a PR.
using Mainlines = std::vector<std::string>;

// Gives the commit's PR when it has the recogniser's forge shape, else
// nullopt (the next recogniser is tried).
using ForgeRecogniser = std::optional<ForgeMarker> (*)(const ParsedMessage&,
                                                       const CommitFacts&,
                                                       const Mainlines&);

// Every forge's recognisers, most specific marker first: a merge subject or a
// review trailer before GitHub's bare "(#N)" suffix.
std::span<const ForgeRecogniser> ForgeRecognisers();

// The fallback for a two-parent commit no forge claims: a plain `git merge`
// of a branch (forge "local"), or nullopt for a sync merge.
std::optional<ForgeMarker> LocalMerge(const ParsedMessage& message,
                                      const Mainlines& mainlines);

bool IsMainline(std::string_view branch, const Mainlines& mainlines);

}  // namespace brag::detect
