#include "core/timeutil.h"

#include <time.h>

#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <string>

namespace brag {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kSecondsPerDay = 86400;

Error BadDuration(std::string_view text) {
  return MakeError("bad_duration",
                   "bad duration '" + std::string(text) +
                       "' (expected a number with a unit: ms, s, m, h, d, w — e.g. "
                       "30s, 5m, 1h30m)");
}

Error BadDate(std::string_view text) {
  return MakeError("bad_date", "bad date '" + std::string(text) +
                                   "' (expected 2026-11-02, monday, 7d, 3 months ago, "
                                   "yesterday)");
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Reads the leading run of digits of `*s` into `*out`, consuming it.
bool TakeNumber(std::string_view* s, int64_t* out) {
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), *out);
  if (ec != std::errc() || end == s->data()) return false;
  s->remove_prefix(static_cast<size_t>(end - s->data()));
  return true;
}

// Milliseconds per unit; "ms" must be tried before "m".
std::optional<int64_t> TakeUnit(std::string_view* s) {
  struct Unit {
    std::string_view name;
    int64_t ms;
  };
  static constexpr std::array<Unit, 6> kUnits{{{"ms", 1},
                                               {"s", 1000},
                                               {"m", 60 * 1000},
                                               {"h", 3600 * 1000},
                                               {"d", kSecondsPerDay * 1000},
                                               {"w", 7 * kSecondsPerDay * 1000}}};
  for (const Unit& unit : kUnits) {
    if (s->substr(0, unit.name.size()) == unit.name) {
      s->remove_prefix(unit.name.size());
      return unit.ms;
    }
  }
  return std::nullopt;
}

bool AddChecked(int64_t a, int64_t b, int64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

bool MulChecked(int64_t a, int64_t b, int64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

// Local midnight of the day `days_back` calendar days before the day of `now`.
int64_t LocalMidnight(int64_t now, int days_back) {
  time_t t = static_cast<time_t>(now);
  struct tm tm {};
  localtime_r(&t, &tm);
  tm.tm_mday -= days_back;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return static_cast<int64_t>(mktime(&tm));
}

std::optional<int> WeekdayIndex(std::string_view word) {
  static constexpr std::array<std::string_view, 7> kDays{
      "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  for (size_t i = 0; i < kDays.size(); ++i) {
    if (word == kDays[i] || word == kDays[i].substr(0, 3)) return static_cast<int>(i);
  }
  return std::nullopt;
}

int64_t MostRecentWeekday(int weekday, int64_t now) {
  time_t t = static_cast<time_t>(now);
  struct tm tm {};
  localtime_r(&t, &tm);
  int back = (tm.tm_wday - weekday + 7) % 7;
  return LocalMidnight(now, back);
}

// Parses exactly `digits` digits at `pos` of `s`.
bool FixedNumber(std::string_view s, size_t pos, size_t digits, int* out) {
  if (pos + digits > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + digits; ++i) {
    if (!IsDigit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30,
                                             31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

// "YYYY-MM-DD", then optionally [T ]HH:MM[:SS] and "Z" or "+HH:MM"/"-HH:MM".
std::optional<int64_t> ParseIso(std::string_view s) {
  struct tm tm {};
  int year = 0, month = 0, day = 0;
  if (!FixedNumber(s, 0, 4, &year) || s.size() < 10 || s[4] != '-' ||
      !FixedNumber(s, 5, 2, &month) || s[7] != '-' || !FixedNumber(s, 8, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  s.remove_prefix(10);
  if (!s.empty()) {
    if (s[0] != 'T' && s[0] != 't' && s[0] != ' ') return std::nullopt;
    if (!FixedNumber(s, 1, 2, &tm.tm_hour) || s.size() < 6 || s[3] != ':' ||
        !FixedNumber(s, 4, 2, &tm.tm_min)) {
      return std::nullopt;
    }
    s.remove_prefix(6);
    if (!s.empty() && s[0] == ':') {
      if (!FixedNumber(s, 1, 2, &tm.tm_sec)) return std::nullopt;
      s.remove_prefix(3);
    }
    if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) return std::nullopt;
  }
  if (s.empty()) {
    tm.tm_isdst = -1;
    return static_cast<int64_t>(mktime(&tm));
  }
  int64_t offset = 0;
  if (s != "Z" && s != "z") {
    int oh = 0, om = 0;
    if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || !FixedNumber(s, 1, 2, &oh) ||
        s[3] != ':' || !FixedNumber(s, 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (s[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  }
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

// "N unit(s) ago" (or "a"/"an" for one). Hours and shorter are exact
// seconds; days and longer are calendar steps that keep the wall-clock time.
std::optional<int64_t> ParseAgo(std::string_view s, int64_t now) {
  size_t space = s.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view count_text = s.substr(0, space);
  std::string_view rest = Trim(s.substr(space + 1));
  if (rest.size() < 4 || rest.substr(rest.size() - 4) != " ago") return std::nullopt;
  std::string_view unit = Trim(rest.substr(0, rest.size() - 4));
  int64_t count = 1;
  if (count_text != "a" && count_text != "an") {
    if (!AllDigits(count_text) || !TakeNumber(&count_text, &count)) return std::nullopt;
  }
  if (unit.size() > 1 && unit.back() == 's') unit.remove_suffix(1);

  struct Exact {
    std::string_view name;
    int64_t seconds;
  };
  static constexpr std::array<Exact, 3> kExact{
      {{"second", 1}, {"minute", 60}, {"hour", 3600}}};
  for (const Exact& e : kExact) {
    if (unit != e.name) continue;
    int64_t back, result;
    if (!MulChecked(count, e.seconds, &back) || !AddChecked(now, -back, &result)) {
      return std::nullopt;
    }
    return result;
  }

  if (count > 100000) return std::nullopt;  // keeps struct tm fields in range
  int n = static_cast<int>(count);
  time_t t = static_cast<time_t>(now);
  struct tm tm {};
  localtime_r(&t, &tm);
  if (unit == "day") {
    tm.tm_mday -= n;
  } else if (unit == "week") {
    tm.tm_mday -= 7 * n;
  } else if (unit == "month") {
    tm.tm_mon -= n;
  } else if (unit == "year") {
    tm.tm_year -= n;
  } else {
    return std::nullopt;
  }
  tm.tm_isdst = -1;
  return static_cast<int64_t>(mktime(&tm));
}

}  // namespace

Result<milliseconds> ParseDuration(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty()) return BadDuration(text);
  int64_t total = 0;
  if (AllDigits(s)) {
    if (!TakeNumber(&s, &total) || !MulChecked(total, 1000, &total)) {
      return BadDuration(text);
    }
    return milliseconds(total);
  }
  while (!s.empty()) {
    int64_t count;
    if (!IsDigit(s.front()) || !TakeNumber(&s, &count)) return BadDuration(text);
    std::optional<int64_t> unit = TakeUnit(&s);
    int64_t part;
    if (!unit || !MulChecked(count, *unit, &part) || !AddChecked(total, part, &total)) {
      return BadDuration(text);
    }
  }
  return milliseconds(total);
}

namespace {
Result<int64_t> ParseDateUnbounded(std::string_view text, int64_t now) {
  std::string s = Lower(Trim(text));
  if (s.empty()) return BadDate(text);
  if (s == "now") return now;
  if (s == "today") return LocalMidnight(now, 0);
  if (s == "yesterday") return LocalMidnight(now, 1);
  if (std::optional<int> day = WeekdayIndex(s)) return MostRecentWeekday(*day, now);
  if (AllDigits(s)) {
    // Short digit runs are more likely a typo than a date in 1970.
    int64_t unix_seconds;
    std::string_view digits = s;
    if (s.size() < 9 || !TakeNumber(&digits, &unix_seconds)) return BadDate(text);
    return unix_seconds;
  }
  if (s.size() >= 10 && IsDigit(s[0]) && s[4] == '-') {
    if (std::optional<int64_t> t = ParseIso(s)) return *t;
    return BadDate(text);
  }
  if (std::optional<int64_t> t = ParseAgo(s, now)) return *t;
  if (IsDigit(s[0])) {
    Result<milliseconds> back = ParseDuration(s);
    if (back)
      return now - std::chrono::duration_cast<std::chrono::seconds>(*back).count();
  }
  return BadDate(text);
}
}  // namespace

Result<int64_t> ParseDate(std::string_view text, int64_t now) {
  Result<int64_t> t = ParseDateUnbounded(text, now);
  if (t && !InUnixTimeRange(*t)) {
    return MakeError("bad_date", "'" + std::string(text) +
                                     "' is out of range: brag takes dates from 1970 to 9999");
  }
  return t;
}

std::optional<int> ParseClock(std::string_view text) {
  int hour = 0, minute = 0;
  bool short_hour = text.size() == 4 && text[1] == ':';  // "9:30"
  if (short_hour) {
    if (!FixedNumber(text, 0, 1, &hour) || !FixedNumber(text, 2, 2, &minute)) return {};
  } else if (text.size() != 5 || text[2] != ':' || !FixedNumber(text, 0, 2, &hour) ||
             !FixedNumber(text, 3, 2, &minute)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

namespace {

// The local time `minutes` after the midnight that starts the day `days`
// calendar days after the day of `t`.
int64_t LocalDayAt(int64_t t, int days, int minutes) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  localtime_r(&tt, &tm);
  tm.tm_mday += days;
  tm.tm_hour = minutes / 60;
  tm.tm_min = minutes % 60;
  tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return static_cast<int64_t>(mktime(&tm));
}

// Days from the day of `now` to the next `weekday` (0 Sunday), 1 to 7.
int DaysToNext(int weekday, int64_t now) {
  time_t t = static_cast<time_t>(now);
  struct tm tm {};
  localtime_r(&t, &tm);
  int days = (weekday - tm.tm_wday + 7) % 7;
  return days == 0 ? 7 : days;
}

std::optional<int64_t> ReadLaterTime(std::string s, int64_t now, int workday_start) {
  if (s.empty()) return std::nullopt;
  if (s == "tomorrow") return LocalDayAt(now, 1, workday_start);
  if (s == "next week") return LocalDayAt(now, DaysToNext(1, now), workday_start);
  std::string_view day = s;
  if (day.starts_with("next ")) day.remove_prefix(5);
  if (std::optional<int> weekday = WeekdayIndex(day)) {
    return LocalDayAt(now, DaysToNext(*weekday, now), workday_start);
  }
  if (std::optional<int> clock = ParseClock(s)) {
    int64_t today = LocalDayAt(now, 0, *clock);
    return today > now ? today : LocalDayAt(now, 1, *clock);
  }
  if (AllDigits(s) && s.size() >= 9) {
    int64_t unix_seconds;
    std::string_view digits = s;
    if (!TakeNumber(&digits, &unix_seconds)) return std::nullopt;
    return unix_seconds;
  }
  if (s.size() >= 10 && IsDigit(s[0]) && s[4] == '-') {
    std::optional<int64_t> t = ParseIso(s);
    if (t && s.size() == 10) return LocalDayAt(*t, 0, workday_start);
    return t;
  }
  std::string_view duration = s;
  if (duration.starts_with("in ")) duration.remove_prefix(3);
  Result<milliseconds> d = ParseDuration(duration);
  if (!d) return std::nullopt;
  int64_t seconds = (d->count() + 999) / 1000, t;
  if (!AddChecked(now, seconds, &t)) return std::nullopt;
  return t;
}

}  // namespace

Result<int64_t> ParseLaterTime(std::string_view text, int64_t now, int workday_start) {
  std::optional<int64_t> t = ReadLaterTime(Lower(Trim(text)), now, workday_start);
  std::string quoted = "'" + std::string(Trim(text)) + "'";
  if (!t) {
    return MakeError("bad_date", quoted +
                                     " is not a time to come; try 2h, 1d, tomorrow, "
                                     "monday, next week, 14:00 or 2026-12-10");
  }
  if (!InUnixTimeRange(*t)) {
    return MakeError("bad_date",
                     quoted + " is out of range: brag takes dates from 1970 to 9999");
  }
  if (*t <= now) return MakeError("bad_date", quoted + " is in the past");
  return *t;
}

std::string FormatIsoUtc(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace brag
