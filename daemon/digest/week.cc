#include "digest/week.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace brag::digest {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil), so week arithmetic never goes through a time zone.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// 0 = Monday .. 6 = Sunday.
int WeekdayMonday0(int64_t days) {
  int64_t w = (days + 3) % 7;  // 1970-01-01 was a Thursday
  return static_cast<int>(w < 0 ? w + 7 : w);
}

// The Monday (in days) of week 1 of ISO year `year`: the week with Jan 4.
int64_t FirstMonday(int64_t year) {
  int64_t jan4 = DaysFromCivil(year, 1, 4);
  return jan4 - WeekdayMonday0(jan4);
}

IsoWeek IsoWeekOfDay(int64_t days) {
  CivilDate date = CivilFromDays(days);
  int64_t year = date.year + 1;
  while (days < FirstMonday(year)) --year;
  return {static_cast<int>(year), static_cast<int>((days - FirstMonday(year)) / 7 + 1)};
}

// Unix seconds of local midnight starting day `days`.
int64_t LocalMidnight(int64_t days) {
  CivilDate date = CivilFromDays(days);
  std::tm tm{};
  tm.tm_year = static_cast<int>(date.year - 1900);
  tm.tm_mon = static_cast<int>(date.month) - 1;
  tm.tm_mday = static_cast<int>(date.day);
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
  if (week.week < 1 || IsoWeekOfDay(FirstMonday(week.year) + 7 * (week.week - 1)) != week)
    return BadWeek(text);
  return week;
}

std::string FormatIsoWeek(IsoWeek week) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", week.year % 10000, week.week % 100);
  return buf;
}

IsoWeek IsoWeekOf(int64_t unix_seconds) { return IsoWeekOfDay(LocalDay(unix_seconds)); }

TimeRange WeekRange(IsoWeek week) {
  int64_t monday = FirstMonday(week.year) + 7 * (week.week - 1);
  return {LocalMidnight(monday), LocalMidnight(monday + 7)};
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
  return DaysFromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                       static_cast<unsigned>(tm.tm_mday));
}

}  // namespace brag::digest
