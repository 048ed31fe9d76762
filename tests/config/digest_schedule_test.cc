#include "config/digest_schedule.h"

#include <doctest/doctest.h>

#include "support/temp_dir.h"

namespace brag::test {

// Unix seconds of a UTC time (the tests run with TZ=UTC).
int64_t Utc(int year, int month, int day, int hour, int minute) {
  struct tm tm {};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return static_cast<int64_t>(timegm(&tm));
}

TEST_CASE("a weekly schedule's previous and next runs, local time") {
  ScopedEnv tz("TZ", "UTC");
  tzset();
  DigestSchedule fri{5, 16, 0};
  int64_t sun = Utc(2026, 11, 29, 10, 0);  // Sunday
  CHECK(PreviousRun(fri, sun) == Utc(2026, 11, 27, 16, 0));
  CHECK(NextRun(fri, sun) == Utc(2026, 12, 4, 16, 0));
  int64_t at = Utc(2026, 11, 27, 16, 0);  // exactly then
  CHECK(PreviousRun(fri, at) == at);
  CHECK(NextRun(fri, at) == Utc(2026, 12, 4, 16, 0));
  CHECK(PreviousRun(fri, at - 1) == Utc(2026, 11, 20, 16, 0));
}

TEST_CASE("a daily schedule fires every day") {
  ScopedEnv tz("TZ", "UTC");
  tzset();
  DigestSchedule daily{DigestSchedule::kEveryDay, 9, 30};
  int64_t now = Utc(2026, 11, 29, 10, 0);
  CHECK(PreviousRun(daily, now) == Utc(2026, 11, 29, 9, 30));
  CHECK(NextRun(daily, now) == Utc(2026, 11, 30, 9, 30));
  CHECK(PreviousRun(daily, Utc(2026, 11, 29, 9, 0)) == Utc(2026, 11, 28, 9, 30));
}

TEST_CASE("the schedule follows the local clock, not UTC") {
  ScopedEnv tz("TZ", "EST5");  // POSIX form: no tzdata needed
  tzset();
  DigestSchedule fri{5, 16, 0};
  // 2026-11-27 16:00 at UTC-5 is 21:00 UTC.
  CHECK(PreviousRun(fri, Utc(2026, 11, 28, 0, 0)) == Utc(2026, 11, 27, 21, 0));
  tzset();
}

}  // namespace brag::test
