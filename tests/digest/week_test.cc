#include "digest/week.h"

#include <doctest/doctest.h>

#include <ctime>

#include "support/temp_dir.h"

namespace brag::digest {
namespace {

struct Zone {
  explicit Zone(const char* tz) : env("TZ", tz) { tzset(); }
  ~Zone() { tzset(); }
  test::ScopedEnv env;
};

TEST_CASE("an ISO week parses and prints back") {
  Result<IsoWeek> w = ParseIsoWeek("2026-W48");
  REQUIRE(w.has_value());
  CHECK(w->year == 2026);
  CHECK(w->week == 48);
  CHECK(FormatIsoWeek(*w) == "2026-W48");
  CHECK(ParseIsoWeek("2026-w01").has_value());
}

TEST_CASE("malformed weeks and weeks a year does not have are refused") {
  for (const char* bad : {"2026-48", "2026W48", "2026-W4", "2026-W00", "2026-W54",
                          "2025-W53", "W48", "", "2026-W4x", "abcd-W10"}) {
    INFO(bad);
    Result<IsoWeek> w = ParseIsoWeek(bad);
    REQUIRE_FALSE(w.has_value());
    CHECK(w.error().code == "bad_week");
  }
  CHECK(ParseIsoWeek("2026-W53").has_value());  // 2026 starts on a Thursday
}

TEST_CASE("a week runs from local Monday midnight to the next Monday") {
  Zone utc("UTC");
  TimeRange r = WeekRange({2025, 48});
  CHECK(r.since == 1763942400);  // 2025-11-24T00:00:00Z
  CHECK(r.until == 1763942400 + 7 * 86400);
  Zone berlin("Europe/Berlin");
  TimeRange local = WeekRange({2025, 48});
  CHECK(local.since == 1763942400 - 3600);
}

TEST_CASE("the ISO week of a time, across year ends") {
  Zone utc("UTC");
  CHECK(IsoWeekOf(1763942400) == IsoWeek{2025, 48});
  CHECK(IsoWeekOf(1763942400 - 1) == IsoWeek{2025, 47});
  CHECK(IsoWeekOf(1767139200) == IsoWeek{2026, 1});  // Wed 2025-12-31
  CHECK(IsoWeekOf(1704067200) == IsoWeek{2024, 1});  // Mon 2024-01-01
  CHECK(IsoWeekOf(1609459200) == IsoWeek{2020, 53});  // Fri 2021-01-01
  CHECK(LocalDate(1763942400) == "2025-11-24");
}

}  // namespace
}  // namespace brag::digest
