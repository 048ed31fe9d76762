// Durations and dates as users type them (DESIGN §4, §8). Pure functions:
// "now" is always passed in so tests are deterministic.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <optional>
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
// Error code "bad_date"; also for a time outside kMinUnixTime..kMaxUnixTime.
Result<int64_t> ParseDate(std::string_view text, int64_t now);

// A time to come, as users type one to put something off (a snooze),
// interpreted in local time: a duration from now ("30m", "2h", "1d", also
// "in 2h"); "tomorrow"; a weekday name ("monday", "mon", "next monday": the
// next such day, never today); "next week" (the next Monday); a time of day
// ("14:00": today, or tomorrow once it has passed); a date ("2026-12-10")
// or a date and time ("2026-12-10 14:00"); a unix timestamp of 9+ digits.
// A day named without a time means `workday_start` minutes after its local
// midnight ([daemon] workday_start). Error code "bad_date" for text it cannot
// read, and for a time not after `now` (naming it).
Result<int64_t> ParseLaterTime(std::string_view text, int64_t now, int workday_start);

// Minutes after midnight for a time of day "HH:MM" (00:00 to 23:59), or
// nullopt.
std::optional<int> ParseClock(std::string_view text);

// The times brag accepts from outside (dates, unix seconds in requests):
// years 1970 to 9999, so that date arithmetic on them cannot overflow.
inline constexpr int64_t kMinUnixTime = 0;             // 1970-01-01T00:00:00Z
inline constexpr int64_t kMaxUnixTime = 253402300799;  // 9999-12-31T23:59:59Z
inline bool InUnixTimeRange(int64_t t) { return t >= kMinUnixTime && t <= kMaxUnixTime; }

// "2026-11-29T02:24:36Z".
std::string FormatIsoUtc(int64_t unix_seconds);

// Seconds since the epoch, from the system clock.
int64_t UnixNow();

}  // namespace brag
