// The hook scripts `brag hooks install` puts in a repo's hooks folder: the
// text of hooks/NAME in the source tree, byte for byte (a unit test keeps
// them in step). Each is self-contained, so it works in a hooks folder that
// several repos share, and carries kShimMarker on its second line.
#pragma once

#include <span>
#include <string_view>

namespace brag::hooks {

// The line that tells brag's shims from anybody else's hooks; a later
// version of the shims changes the number after "v".
inline constexpr std::string_view kShimMarker = "# brag-hook-shim v2";
// What every version's marker line starts with.
inline constexpr std::string_view kShimMarkerPrefix = "# brag-hook-shim v";

// Where a shim keeps the hook it replaced: NAME + kOriginalSuffix, beside it.
inline constexpr std::string_view kOriginalSuffix = ".brag-orig";

struct Shim {
  std::string_view name;  // the git hook: "post-commit"
  std::string_view text;  // the whole script
  // Only a nudge for bragd where it cannot see refs move through filesystem
  // events (reference-transaction): installed only where it is needed.
  bool stands_in_for_events = false;
};

// The shims, in the order brag reports them: post-commit, post-merge,
// post-rewrite, reference-transaction.
std::span<const Shim> Shims();

// Whether the hook `name` is a shim that only stands in for filesystem
// events (reference-transaction), installed only where it is needed.
bool StandsInForEvents(std::string_view name);

// Whether a hook file's first bytes (a few hundred are enough) hold a marker
// line of any shim version.
bool IsShim(std::string_view head);

}  // namespace brag::hooks
