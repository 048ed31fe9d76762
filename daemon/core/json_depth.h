// A cheap check of how deeply JSON text nests, run before nlohmann::json
// parses anything from outside (request lines, reply and event lines, spool
// records): 100,000 nested '[' overflow the stack in parts of nlohmann's
// code that recurse, so such text is refused before it gets there.
#pragma once

#include <cstddef>
#include <string_view>

namespace brag {

// Deeper than any message of the protocol or record of the spool (those
// nest less than 10 levels).
inline constexpr size_t kMaxJsonDepth = 64;

// True when `text` opens more than `max_depth` arrays/objects ('[' and '{'
// outside strings, minding backslash escapes) at once. Needs no valid
// JSON: it only counts, stopping at the first level too deep.
bool JsonTooDeep(std::string_view text, size_t max_depth = kMaxJsonDepth);

}  // namespace brag
