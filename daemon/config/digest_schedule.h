// When the digest is written: the `[digest] schedule` value ("fri 16:00",
// "friday 16:00", "daily 09:30") parsed into its parts, local time.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace brag {

struct DigestSchedule {
  int weekday = 5;  // 0 = Sunday .. 6 = Saturday; kEveryDay for "daily"
  int hour = 16;
  int minute = 0;

  static constexpr int kEveryDay = -1;
  bool operator==(const DigestSchedule&) const = default;
};

// Day names are case-insensitive, short ("mon") or full ("monday"); the hour
// has one or two digits, the minute two. Error code "bad_schedule".
Result<DigestSchedule> ParseDigestSchedule(std::string_view text);

// The latest time <= `now` (unix seconds) the schedule fires, local time.
int64_t PreviousRun(const DigestSchedule& schedule, int64_t now);
// The first time > `now` it fires, local time.
int64_t NextRun(const DigestSchedule& schedule, int64_t now);

}  // namespace brag
