// ISO weeks ("2026-W48") and the windows of time a digest covers, in local
// time: a week runs from Monday 00:00 to the next Monday 00:00 where the user
// is (TZ), so a Friday evening's merge lands in that Friday's week.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace brag::digest {

struct IsoWeek {
  int year = 0;  // the ISO week-numbering year (2026-W01 may start in 2025)
  int week = 0;  // 1..53

  bool operator==(const IsoWeek&) const = default;
};

// "2026-W48" (also "2026-w48"). Error code "bad_week" with a message naming
// the text and the expected form, also for a week the year does not have
// ("2026-W53").
Result<IsoWeek> ParseIsoWeek(std::string_view text);

// "2026-W48".
std::string FormatIsoWeek(IsoWeek week);

// The ISO week that local time `unix_seconds` falls in.
IsoWeek IsoWeekOf(int64_t unix_seconds);

// [Monday 00:00, next Monday 00:00) of `week`, local time, as unix seconds.
struct TimeRange {
  int64_t since = 0;  // inclusive
  int64_t until = 0;  // exclusive
};
TimeRange WeekRange(IsoWeek week);

// "2026-11-23", local time.
std::string LocalDate(int64_t unix_seconds);
// "2026-11-23 14:05", local time.
std::string LocalDateTime(int64_t unix_seconds);
// Days since 1970-01-01 of the local date of `unix_seconds`.
int64_t LocalDay(int64_t unix_seconds);

}  // namespace brag::digest
