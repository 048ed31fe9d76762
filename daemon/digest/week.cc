#include "digest/week.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace brag::digest {
namespace {

using std::chrono::sys_days;

// The Monday of week 1 of ISO year `year`: the week with 4 January.
sys_days FirstMonday(int year) {
  sys_days jan4{std::chrono::year{year} / std::chrono::January / 4};
  return jan4 - (std::chrono::weekday{jan4} - std::chrono::Monday);
}

IsoWeek IsoWeekOfDay(sys_days day) {
  int year = static_cast<int>(std::chrono::year_month_day{day}.year()) + 1;
  while (day < FirstMonday(year)) --year;
  return {year, static_cast<int>((day - FirstMonday(year)).count() / 7 + 1)};
}

sys_days MondayOf(IsoWeek week) {
  return FirstMonday(week.year) + std::chrono::days{7 * (week.week - 1)};
}

// Unix seconds of local midnight starting `day`.
int64_t LocalMidnight(sys_days day) {
  std::chrono::year_month_day date{day};
  std::tm tm{};
  tm.tm_year = static_cast<int>(date.year()) - 1900;
  tm.tm_mon = static_cast<int>(static_cast<unsigned>(date.month())) - 1;
  tm.tm_mday = static_cast<int>(static_cast<unsigned>(date.day()));
  tm.tm_isdst = -1;
  return static_cast<int64_t>(std::mktime(&tm));
}

std::tm LocalTm(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

Error BadWeek(std::string_view text) {
  return MakeError("bad_week",
                   "'" + std::string(text) + "' is not an ISO week like 2026-W48");
}

}  // namespace

Result<IsoWeek> ParseIsoWeek(std::string_view text) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
  };
  if (text.size() != 8 || !digits(0, 4) || text[4] != '-' ||
      (text[5] != 'W' && text[5] != 'w') || !digits(6, 2)) {
    return BadWeek(text);
  }
  IsoWeek week{std::stoi(std::string(text.substr(0, 4))),
               std::stoi(std::string(text.substr(6, 2)))};
  if (week.week < 1 || IsoWeekOfDay(MondayOf(week)) != week) return BadWeek(text);
  return week;
}

std::string FormatIsoWeek(IsoWeek week) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", week.year % 10000, week.week % 100);
  return buf;
}

IsoWeek IsoWeekOf(int64_t unix_seconds) {
  return IsoWeekOfDay(sys_days{std::chrono::days{LocalDay(unix_seconds)}});
}

TimeRange WeekRange(IsoWeek week) {
  sys_days monday = MondayOf(week);
  return {LocalMidnight(monday), LocalMidnight(monday + std::chrono::days{7})};
}

std::string LocalDate(int64_t unix_seconds) {
  std::tm tm = LocalTm(unix_seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string LocalDateTime(int64_t unix_seconds) {
  std::tm tm = LocalTm(unix_seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

int64_t LocalDay(int64_t unix_seconds) {
  std::tm tm = LocalTm(unix_seconds);
  sys_days day{std::chrono::year{tm.tm_year + 1900} / (tm.tm_mon + 1) / tm.tm_mday};
  return day.time_since_epoch().count();
}

}  // namespace brag::digest
