#include "core/timeutil.h"

#include <doctest/doctest.h>
#include <time.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace brag {
namespace {

using std::chrono::milliseconds;

// Sets TZ for the life of the object, so local-time results are the same on
// every machine, and puts the old value back after.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (old_)
      setenv("TZ", old_->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

int64_t Utc(int year, int month, int day, int hour = 0, int minute = 0,
            int second = 0) {
  struct tm tm {};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm));
}

// Wednesday 2026-11-04 15:30:00 UTC.
const int64_t kNow = Utc(2026, 11, 4, 15, 30);

int64_t DateOrFail(std::string_view text, int64_t now = kNow) {
  Result<int64_t> r = ParseDate(text, now);
  INFO("text: ", std::string(text));
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  return *r;
}

milliseconds DurationOrFail(std::string_view text) {
  Result<milliseconds> r = ParseDuration(text);
  INFO("text: ", std::string(text));
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  return *r;
}

TEST_CASE("each duration unit is understood") {
  CHECK(DurationOrFail("500ms") == milliseconds(500));
  CHECK(DurationOrFail("30s") == std::chrono::seconds(30));
  CHECK(DurationOrFail("5m") == std::chrono::minutes(5));
  CHECK(DurationOrFail("2h") == std::chrono::hours(2));
  CHECK(DurationOrFail("1d") == std::chrono::hours(24));
  CHECK(DurationOrFail("1w") == std::chrono::hours(24 * 7));
  CHECK(DurationOrFail("0s") == milliseconds(0));
}

TEST_CASE("combined durations add up their parts") {
  CHECK(DurationOrFail("1h30m") == std::chrono::minutes(90));
  CHECK(DurationOrFail("1m30s500ms") == milliseconds(90500));
  CHECK(DurationOrFail("2d12h") == std::chrono::hours(60));
}

TEST_CASE("a bare integer duration means seconds") {
  CHECK(DurationOrFail("45") == std::chrono::seconds(45));
  CHECK(DurationOrFail(" 10s ") == std::chrono::seconds(10));
}

TEST_CASE("a malformed duration is an error naming the text and the accepted units") {
  for (const char* bad : {"", "3q", "s", "1.5h", "-5s", "30 s", "5m3", "h1",
                          "99999999999999999999s", "9999999999999999w"}) {
    Result<milliseconds> r = ParseDuration(bad);
    INFO("text: ", bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "bad_duration");
  }
  Result<milliseconds> r = ParseDuration("3q");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message ==
        "bad duration '3q' (expected a number with a unit: ms, s, m, h, d, w — e.g. "
        "30s, 5m, 1h30m)");
}

TEST_CASE("an ISO date is midnight in local time") {
  {
    ScopedTimeZone tz("UTC");
    CHECK(DateOrFail("2026-11-02") == Utc(2026, 11, 2));
  }
  ScopedTimeZone tz("EST5");
  CHECK(DateOrFail("2026-11-02") == Utc(2026, 11, 2, 5));
}

TEST_CASE("an ISO date with a time is read with T or a space, in local time") {
  ScopedTimeZone tz("EST5");
  CHECK(DateOrFail("2026-11-02T14:00") == Utc(2026, 11, 2, 19));
  CHECK(DateOrFail("2026-11-02 14:00") == Utc(2026, 11, 2, 19));
  CHECK(DateOrFail("2026-11-02T14:00:30") == Utc(2026, 11, 2, 19, 0, 30));
}

TEST_CASE("an ISO date-time ending in Z or an offset is not local time") {
  ScopedTimeZone tz("EST5");
  CHECK(DateOrFail("2026-11-02T14:00:00Z") == Utc(2026, 11, 2, 14));
  CHECK(DateOrFail("2026-11-02T14:00Z") == Utc(2026, 11, 2, 14));
  CHECK(DateOrFail("2026-11-02T14:00:00+02:00") == Utc(2026, 11, 2, 12));
  CHECK(DateOrFail("2026-11-02T14:00:00-01:30") == Utc(2026, 11, 2, 15, 30));
}

TEST_CASE("today, yesterday and now are relative to the given now") {
  ScopedTimeZone tz("UTC");
  CHECK(DateOrFail("now") == kNow);
  CHECK(DateOrFail("today") == Utc(2026, 11, 4));
  CHECK(DateOrFail("yesterday") == Utc(2026, 11, 3));
  CHECK(DateOrFail("Yesterday") == Utc(2026, 11, 3));
  CHECK(DateOrFail("today", Utc(2026, 3, 1, 10)) == Utc(2026, 3, 1));
  CHECK(DateOrFail("yesterday", Utc(2026, 3, 1, 10)) == Utc(2026, 2, 28));
}

TEST_CASE("a weekday name is its most recent midnight, today counting") {
  ScopedTimeZone tz("UTC");
  CHECK(DateOrFail("monday") == Utc(2026, 11, 2));
  CHECK(DateOrFail("tuesday") == Utc(2026, 11, 3));
  CHECK(DateOrFail("wednesday") == Utc(2026, 11, 4));
  CHECK(DateOrFail("thursday") == Utc(2026, 10, 29));
  CHECK(DateOrFail("sunday") == Utc(2026, 11, 1));
  CHECK(DateOrFail("Friday") == Utc(2026, 10, 30));
  CHECK(DateOrFail("mon") == Utc(2026, 11, 2));
}

TEST_CASE("a weekday is found in local time, not UTC") {
  ScopedTimeZone tz("EST5");
  // 02:00 UTC on Wednesday is still Tuesday evening in New York.
  int64_t now = Utc(2026, 11, 4, 2);
  CHECK(DateOrFail("tuesday", now) == Utc(2026, 11, 3, 5));
  CHECK(DateOrFail("today", now) == Utc(2026, 11, 3, 5));
}

TEST_CASE("a short duration means that long before now") {
  ScopedTimeZone tz("UTC");
  CHECK(DateOrFail("7d") == kNow - 7 * 86400);
  CHECK(DateOrFail("2w") == kNow - 14 * 86400);
  CHECK(DateOrFail("3h") == kNow - 3 * 3600);
  CHECK(DateOrFail("1h30m") == kNow - 5400);
}

TEST_CASE("'N units ago' understands singular and plural units") {
  ScopedTimeZone tz("UTC");
  CHECK(DateOrFail("10 minutes ago") == kNow - 600);
  CHECK(DateOrFail("1 minute ago") == kNow - 60);
  CHECK(DateOrFail("5 hours ago") == kNow - 5 * 3600);
  CHECK(DateOrFail("1 hour ago") == kNow - 3600);
  CHECK(DateOrFail("2 days ago") == Utc(2026, 11, 2, 15, 30));
  CHECK(DateOrFail("1 day ago") == Utc(2026, 11, 3, 15, 30));
  CHECK(DateOrFail("1 week ago") == Utc(2026, 10, 28, 15, 30));
  CHECK(DateOrFail("a week ago") == Utc(2026, 10, 28, 15, 30));
  CHECK(DateOrFail("3 weeks ago") == Utc(2026, 10, 14, 15, 30));
  CHECK(DateOrFail("1 year ago") == Utc(2025, 11, 4, 15, 30));
  CHECK(DateOrFail("30 seconds ago") == kNow - 30);
}

TEST_CASE("'3 months ago' steps back calendar months") {
  ScopedTimeZone tz("UTC");
  CHECK(DateOrFail("3 months ago") == Utc(2026, 8, 4, 15, 30));
  CHECK(DateOrFail("1 month ago") == Utc(2026, 10, 4, 15, 30));
  CHECK(DateOrFail("12 months ago") == Utc(2025, 11, 4, 15, 30));
  CHECK(DateOrFail("3 Months Ago") == Utc(2026, 8, 4, 15, 30));
}

TEST_CASE("calendar steps keep the wall-clock time across a DST change") {
  ScopedTimeZone tz("EST5EDT,M3.2.0,M11.1.0");
  // 12:00 EST on 2026-11-15; three months earlier was 12:00 EDT.
  int64_t now = Utc(2026, 11, 15, 17);
  CHECK(DateOrFail("3 months ago", now) == Utc(2026, 8, 15, 16));
  CHECK(DateOrFail("2 weeks ago", now) == Utc(2026, 11, 1, 17));
  CHECK(DateOrFail("3 weeks ago", now) == Utc(2026, 10, 25, 16));
}

TEST_CASE("a unix timestamp of nine or more digits is taken as is") {
  CHECK(DateOrFail("1793806200") == 1793806200);
  CHECK(DateOrFail("999999999") == 999999999);
}

TEST_CASE("an unreadable date is an error naming the text and the accepted forms") {
  ScopedTimeZone tz("UTC");
  for (const char* bad :
       {"", "blah", "2026-13-01", "2026-02-30", "2026-11-02T25:00", "2026-11-02X",
        "2026-11-02T14:00+2", "12345", "3 fortnights ago", "ago", "three days ago",
        "7x", "someday"}) {
    Result<int64_t> r = ParseDate(bad, kNow);
    INFO("text: ", bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "bad_date");
  }
  Result<int64_t> r = ParseDate("blah", kNow);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message ==
        "bad date 'blah' (expected 2026-11-02, monday, 7d, 3 months ago, yesterday)");
}

TEST_CASE("a leap day is a valid date only in a leap year") {
  ScopedTimeZone tz("UTC");
  CHECK(DateOrFail("2028-02-29") == Utc(2028, 2, 29));
  CHECK_FALSE(ParseDate("2026-02-29", kNow).has_value());
}

TEST_CASE("FormatIsoUtc writes UTC with a Z, whatever the local zone") {
  ScopedTimeZone tz("EST5");
  CHECK(FormatIsoUtc(0) == "1970-01-01T00:00:00Z");
  CHECK(FormatIsoUtc(kNow) == "2026-11-04T15:30:00Z");
  CHECK(FormatIsoUtc(Utc(2026, 11, 29, 2, 24, 36)) == "2026-11-29T02:24:36Z");
}

TEST_CASE("a formatted time parses back to the same second") {
  ScopedTimeZone tz("EST5");
  int64_t t = Utc(2027, 1, 31, 23, 59, 59);
  CHECK(DateOrFail(FormatIsoUtc(t)) == t);
}

TEST_CASE("UnixNow follows the system clock") {
  int64_t before = static_cast<int64_t>(time(nullptr));
  int64_t now = UnixNow();
  int64_t after = static_cast<int64_t>(time(nullptr));
  CHECK(now >= before);
  CHECK(now <= after);
}

}  // namespace
}  // namespace brag

namespace brag {
namespace {

TEST_CASE("ParseDate refuses times outside 1970..9999 (break 13: digest overflowed)") {
  const int64_t now = 1764547200;  // 2025-12-01
  for (const char* text : {"9223372036854775807", "253402300800", "99999999999999"}) {
    INFO(text);
    Result<int64_t> r = ParseDate(text, now);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "bad_date");
    CHECK(r.error().message.find("out of range") != std::string::npos);
  }
  CHECK(ParseDate("253402300799", now).value() == kMaxUnixTime);
  CHECK(ParseDate("9999-12-31T23:59:59Z", now).value() == kMaxUnixTime);
  // Before 1970 by going back from a now near the epoch.
  Result<int64_t> early = ParseDate("2 days ago", 1000);
  REQUIRE_FALSE(early.has_value());
  CHECK(early.error().message.find("out of range") != std::string::npos);
  CHECK(InUnixTimeRange(0));
  CHECK_FALSE(InUnixTimeRange(-1));
  CHECK_FALSE(InUnixTimeRange(kMaxUnixTime + 1));
}

// --- ParseLaterTime: when a snooze ends ------------------------------------

constexpr int kNine = 9 * 60;

int64_t LaterOrFail(std::string_view text, int64_t now, int workday_start = kNine) {
  Result<int64_t> r = ParseLaterTime(text, now, workday_start);
  INFO("text: ", std::string(text));
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  return *r;
}

// Friday 2026-12-04 17:45 UTC, and the expectations written out by hand from
// a calendar: the next Monday is 2026-12-07, the next Friday 2026-12-11.
const int64_t kFriday = Utc(2026, 12, 4, 17, 45);

TEST_CASE("a weekday snooze on a Friday is the next such day at the start of the work day") {
  ScopedTimeZone tz("UTC");
  CHECK(LaterOrFail("monday", kFriday) == Utc(2026, 12, 7, 9));
  CHECK(LaterOrFail("Mon", kFriday) == Utc(2026, 12, 7, 9));
  CHECK(LaterOrFail("next monday", kFriday) == Utc(2026, 12, 7, 9));
  CHECK(LaterOrFail("saturday", kFriday) == Utc(2026, 12, 5, 9));
  CHECK(LaterOrFail("thursday", kFriday) == Utc(2026, 12, 10, 9));
  // Today's name is a week away, never earlier today.
  CHECK(LaterOrFail("friday", kFriday) == Utc(2026, 12, 11, 9));
  CHECK(LaterOrFail("friday", Utc(2026, 12, 4, 6)) == Utc(2026, 12, 11, 9));
}

TEST_CASE("tomorrow and next week start the work day; the start is configurable") {
  ScopedTimeZone tz("UTC");
  CHECK(LaterOrFail("tomorrow", kFriday) == Utc(2026, 12, 5, 9));
  CHECK(LaterOrFail("next week", kFriday) == Utc(2026, 12, 7, 9));
  CHECK(LaterOrFail("Next Week", Utc(2026, 12, 7, 8)) == Utc(2026, 12, 14, 9));
  CHECK(LaterOrFail("tomorrow", kFriday, 7 * 60 + 30) == Utc(2026, 12, 5, 7, 30));
  CHECK(LaterOrFail("monday", kFriday, 10 * 60) == Utc(2026, 12, 7, 10));
}

TEST_CASE("a snooze day is found in local time, across a month's and a year's end") {
  ScopedTimeZone tz("EST5");
  // 02:00 UTC on Saturday 2026-12-05 is Friday 21:00 in New York.
  CHECK(LaterOrFail("monday", Utc(2026, 12, 5, 2)) == Utc(2026, 12, 7, 14));
  CHECK(LaterOrFail("tomorrow", Utc(2026, 12, 5, 2)) == Utc(2026, 12, 5, 14));
  ScopedTimeZone utc("UTC");
  CHECK(LaterOrFail("tomorrow", Utc(2026, 12, 31, 18)) == Utc(2027, 1, 1, 9));
  CHECK(LaterOrFail("monday", Utc(2026, 11, 28, 18)) == Utc(2026, 11, 30, 9));
}

TEST_CASE("durations, times of day, dates and timestamps as snooze times") {
  ScopedTimeZone tz("UTC");
  CHECK(LaterOrFail("2h", kFriday) == kFriday + 7200);
  CHECK(LaterOrFail("in 2h", kFriday) == kFriday + 7200);
  CHECK(LaterOrFail("1d", kFriday) == kFriday + 86400);
  CHECK(LaterOrFail("30m", kFriday) == kFriday + 1800);
  // A time of day: today while it is to come, else tomorrow.
  CHECK(LaterOrFail("18:00", kFriday) == Utc(2026, 12, 4, 18));
  CHECK(LaterOrFail("09:00", kFriday) == Utc(2026, 12, 5, 9));
  CHECK(LaterOrFail("9:15", kFriday) == Utc(2026, 12, 5, 9, 15));
  // A date is the start of its work day; a date and time is as written.
  CHECK(LaterOrFail("2026-12-10", kFriday) == Utc(2026, 12, 10, 9));
  CHECK(LaterOrFail("2026-12-10 14:30", kFriday) == Utc(2026, 12, 10, 14, 30));
  CHECK(LaterOrFail("1800000000", kFriday) == 1800000000);
}

TEST_CASE("a snooze time in the past or unreadable is an error that says which") {
  ScopedTimeZone tz("UTC");
  Result<int64_t> past = ParseLaterTime("2026-12-01", kFriday, kNine);
  REQUIRE_FALSE(past.has_value());
  CHECK(past.error().code == "bad_date");
  CHECK(past.error().message == "'2026-12-01' is in the past");
  Result<int64_t> today = ParseLaterTime("2026-12-04", kFriday, kNine);
  REQUIRE_FALSE(today.has_value());  // 09:00 today has passed at 17:45
  CHECK(today.error().message == "'2026-12-04' is in the past");
  for (const char* text : {"", "soon", "next", "next year", "monday 25:00", "3 weeks ago",
                           "25:00", "-2h"}) {
    Result<int64_t> r = ParseLaterTime(text, kFriday, kNine);
    INFO("text: ", text);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "bad_date");
    CHECK(r.error().message.find("is not a time to come") != std::string::npos);
  }
}

TEST_CASE("a time of day reads HH:MM and H:MM only") {
  CHECK(ParseClock("09:00") == 540);
  CHECK(ParseClock("9:00") == 540);
  CHECK(ParseClock("23:59") == 23 * 60 + 59);
  CHECK(ParseClock("00:00") == 0);
  CHECK_FALSE(ParseClock("24:00"));
  CHECK_FALSE(ParseClock("9:60"));
  CHECK_FALSE(ParseClock("0900"));
  CHECK_FALSE(ParseClock("9am"));
  CHECK_FALSE(ParseClock(""));
}

}  // namespace
}  // namespace brag
