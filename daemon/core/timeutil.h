// Durations and dates as users type them (DESIGN §4, §8). Pure functions:
// "now" is always passed in so tests are deterministic.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace brag {

// "500ms", "30s", "5m", "2h", "1d", "1w", also combined "1h30m" and a bare
// integer meaning seconds. Error code "bad_duration" with a message naming
// the text and what is accepted.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// Unix seconds for a date as users type it, interpreted in local time:
// "2026-11-02" (midnight), "2026-11-02T14:00", "2026-11-02 14:00",
// "2026-11-02T14:00:00Z" (UTC), "today", "yesterday", "now",
// weekday names "monday".."sunday" (the most recent one, today counting),
// "7d"/"2w"/"3h" (that long before now), "3 months ago", "1 week ago",
// "2 days ago", and a plain unix timestamp of 9+ digits.
// Error code "bad_date".
Result<int64_t> ParseDate(std::string_view text, int64_t now);

// "2026-11-29T02:24:36Z".
std::string FormatIsoUtc(int64_t unix_seconds);

// Seconds since the epoch, from the system clock.
int64_t UnixNow();

}  // namespace brag
