// The DigestTimer writes the digest of the schedule's latest run into the
// digest folder, once; a file older than that run is written again.
#include "server/digest_timer.h"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>

#include "support/temp_dir.h"

namespace brag {
namespace {

namespace fs = std::filesystem;

// The ISO week (YYYY-Www) of today, by date(1): with "daily 00:00" the
// latest run is today's midnight.
std::string ThisIsoWeek() {
  test::CommandResult r = test::RunCommand("date +%G-W%V");
  REQUIRE(r.code == 0);
  return r.output.substr(0, r.output.find('\n'));
}

struct Fixture {
  test::TempDir t{"digest-timer"};
  boost::asio::io_context io;
  Config config;
  std::unique_ptr<Journal> journal;

  Fixture() {
    config.digest_dir = (t / "digests").string();
    config.digest_schedule = "daily 00:00";
    config.notify = false;
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(t / "journal.db", Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    journal = std::move(*j);
  }
};

}  // namespace

TEST_CASE("the due digest is written under the week of the latest run, once") {
  Fixture f;
  DigestTimer timer(f.io, f.config, *f.journal);
  timer.Start();
  fs::path file = f.t / "digests" / (ThisIsoWeek() + ".md");
  REQUIRE(fs::exists(file));
  CHECK_FALSE(fs::exists(f.t / "digests" / (ThisIsoWeek() + ".html")));
  test::WriteFile(file, "kept");
  timer.WriteDue();  // this run's file is there: not written again
  CHECK(test::ReadFile(file) == "kept");
}

TEST_CASE("a digest file older than the latest run is written again, in each format asked") {
  Fixture f;
  f.config.digest_format = "html";
  fs::path file = f.t / "digests" / (ThisIsoWeek() + ".md");
  test::WriteFile(file, "last week's");
  fs::last_write_time(file, fs::file_time_type::clock::now() - std::chrono::hours(48));
  DigestTimer timer(f.io, f.config, *f.journal);
  timer.WriteDue();
  CHECK(test::ReadFile(file) != "last week's");
  CHECK(fs::exists(f.t / "digests" / (ThisIsoWeek() + ".html")));
}

TEST_CASE("a schedule that does not parse writes nothing") {
  Fixture f;
  f.config.digest_schedule = "someday";
  DigestTimer timer(f.io, f.config, *f.journal);
  timer.Start();
  CHECK_FALSE(fs::exists(f.t / "digests"));
}

}  // namespace brag
