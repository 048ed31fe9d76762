#include "config/digest_schedule.h"

#include <array>
#include <cctype>
#include <ctime>
#include <optional>
#include <string>

namespace brag {
namespace {

Error BadSchedule(std::string_view text) {
  return MakeError("bad_schedule",
                   "bad schedule '" + std::string(text) +
                       "' (expected \"<day> HH:MM\" with day mon..sun, monday..sunday "
                       "or daily, e.g. \"fri 16:00\")");
}

std::optional<int> DayIndex(const std::string& word) {
  static constexpr std::array<std::string_view, 7> kDays{
      "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  if (word == "daily") return DigestSchedule::kEveryDay;
  for (size_t i = 0; i < kDays.size(); ++i) {
    if (word == kDays[i] || word == kDays[i].substr(0, 3)) return static_cast<int>(i);
  }
  return std::nullopt;
}

// Parses `digits` (1 or 2 characters, all digits) as a number.
std::optional<int> SmallNumber(std::string_view digits) {
  if (digits.empty() || digits.size() > 2) return std::nullopt;
  int v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

Result<DigestSchedule> ParseDigestSchedule(std::string_view text) {
  size_t space = text.find(' ');
  if (space == std::string_view::npos) return BadSchedule(text);
  std::string day(text.substr(0, space));
  for (char& c : day)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t clock_start = text.find_first_not_of(' ', space);
  if (clock_start == std::string_view::npos) return BadSchedule(text);
  std::string_view clock = text.substr(clock_start);
  size_t colon = clock.find(':');
  if (colon == std::string_view::npos) return BadSchedule(text);
  std::optional<int> weekday = DayIndex(day);
  std::optional<int> hour = SmallNumber(clock.substr(0, colon));
  std::string_view minute_text = clock.substr(colon + 1);
  std::optional<int> minute = SmallNumber(minute_text);
  if (!weekday || !hour || !minute || minute_text.size() != 2 || *hour > 23 ||
      *minute > 59) {
    return BadSchedule(text);
  }
  return DigestSchedule{*weekday, *hour, *minute};
}

}  // namespace brag

namespace brag {
namespace {

// Local midnight `days` days after the local date of `t`, at hour:minute.
int64_t LocalAt(int64_t t, int days, int hour, int minute, int* weekday) {
  time_t base = static_cast<time_t>(t);
  struct tm tm {};
  localtime_r(&base, &tm);
  tm.tm_mday += days;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = 0;
  tm.tm_isdst = -1;  // let mktime decide, across a DST change
  time_t at = mktime(&tm);
  if (weekday) *weekday = tm.tm_wday;
  return static_cast<int64_t>(at);
}

bool Fires(const DigestSchedule& s, int weekday) {
  return s.weekday == DigestSchedule::kEveryDay || s.weekday == weekday;
}

}  // namespace

int64_t PreviousRun(const DigestSchedule& schedule, int64_t now) {
  for (int days = 0; days >= -8; --days) {
    int weekday = 0;
    int64_t at = LocalAt(now, days, schedule.hour, schedule.minute, &weekday);
    if (at <= now && Fires(schedule, weekday)) return at;
  }
  return now;  // unreachable: every schedule fires within a week
}

int64_t NextRun(const DigestSchedule& schedule, int64_t now) {
  for (int days = 0; days <= 8; ++days) {
    int weekday = 0;
    int64_t at = LocalAt(now, days, schedule.hour, schedule.minute, &weekday);
    if (at > now && Fires(schedule, weekday)) return at;
  }
  return now + 7 * 86400;
}

}  // namespace brag
