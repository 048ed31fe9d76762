#include "server/digest_timer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "config/digest_schedule.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/timeutil.h"
#include "methods/digest_method.h"
#include "server/notifier.h"

namespace brag {

DigestTimer::DigestTimer(boost::asio::io_context& io, const Config& config,
                         Journal& journal)
    : config_(config), journal_(journal), timer_(io) {}

void DigestTimer::Start() {
  WriteDue();
  Arm();
}

void DigestTimer::Restart() {
  timer_.cancel();
  Arm();
}

void DigestTimer::WriteDue() {
  Result<DigestSchedule> schedule = ParseDigestSchedule(config_.digest_schedule);
  if (!schedule) return;  // refused when the config was loaded
  int64_t due = PreviousRun(*schedule, UnixNow());
  digest::IsoWeek week = digest::IsoWeekOf(due);
  std::filesystem::path dir = DigestDir(config_);
  std::filesystem::path file = dir / (digest::FormatIsoWeek(week) + ".md");
  std::error_code ec;
  auto written = std::filesystem::last_write_time(file, ec);
  if (!ec) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::file_clock::to_sys(written).time_since_epoch());
    if (seconds.count() >= due) return;  // this run's digest is there
  }
  std::vector<std::string> formats{"markdown"};
  if (config_.digest_format != "markdown" && config_.digest_format != "md") {
    formats.push_back(config_.digest_format);
  }
  Result<std::vector<std::filesystem::path>> files =
      WriteWeeklyDigest(journal_, config_, week, formats, dir);
  if (!files) {
    LogError("digest: " + files.error().message);
    return;
  }
  LogInfo("wrote the digest of " + digest::FormatIsoWeek(week) + " to " + file.string());
  NotifyDesktop(config_, "brag: your digest of " + digest::FormatIsoWeek(week),
                file.string());
}

void DigestTimer::Arm() {
  Result<DigestSchedule> schedule = ParseDigestSchedule(config_.digest_schedule);
  if (!schedule) return;
  int64_t now = UnixNow();
  // At most an hour at a time: a suspended laptop or a clock change is
  // caught up within the hour.
  int64_t wait = std::clamp<int64_t>(NextRun(*schedule, now) - now, 1, 3600);
  timer_.expires_after(std::chrono::seconds(wait));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    WriteDue();
    Arm();
  });
}

}  // namespace brag
