// Pieces of text the renderers share: how a win is referred to, the window's
// dates, counts with their nouns. Internal to daemon/digest/.
#pragma once

#include <string>

#include "digest/digest.h"

namespace brag::digest {

// "payments #481", "payments incident/db-failover", "payments", "" (a note
// about no repo).
std::string WinSubject(const Win& win);
// "payments [#481 Add index](url) · `a1b2c3d` · 3 files, +42 -7 · note 12":
// in Markdown, the PR, commit and note a line comes from.
std::string TraceMd(const Win& win);
// "3 files, +42 -7"; "" when the diffstat is empty.
std::string DiffstatText(const Diffstat& diffstat);
// "2026-11-23 to 2026-11-29" (until is exclusive, so its previous second).
std::string WindowDates(const DigestWindow& window);
// "1 PR", "3 PRs": `count` and the noun, plural with an "s" when not 1.
std::string Counted(int count, const std::string& noun);
// "3h 20m", "2d 4h", "45m".
std::string DurationText(int64_t seconds);
// "improved", "regressed", "unknown".
const char* DirectionName(Direction direction);
// "change", "multiplier", "percent", "money", "count", "measure".
const char* KindName(MetricKind kind);

}  // namespace brag::digest
