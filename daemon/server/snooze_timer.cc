#include "server/snooze_timer.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "core/log.h"
#include "core/timeutil.h"

namespace brag {

SnoozeTimer::SnoozeTimer(boost::asio::io_context& io, Journal& journal,
                         Notifier& notifier)
    : journal_(journal), notifier_(notifier), timer_(io) {}

void SnoozeTimer::Start() {
  since_ = UnixNow();
  Arm();
}

void SnoozeTimer::Rearm() {
  timer_.cancel();
  Arm();
}

void SnoozeTimer::Arm() {
  int64_t now = UnixNow();
  Result<std::optional<int64_t>> next = journal_.prompts().NextSnoozeEnd(now);
  if (!next) {
    LogWarn("snoozes: " + next.error().message);
    return;
  }
  if (!*next) return;  // none to wait for: a new snooze re-arms
  // At most an hour at a time: a suspended laptop or a clock change is
  // caught up within the hour.
  int64_t wait = std::clamp<int64_t>(**next - now, 1, 3600);
  timer_.expires_after(std::chrono::seconds(wait));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) PushEnded();
  });
}

void SnoozeTimer::PushEnded() {
  int64_t now = UnixNow();
  Result<std::vector<Prompt>> due = journal_.prompts().Pending(now);
  if (!due) {
    LogWarn("snoozes: " + due.error().message);
  } else {
    std::vector<Prompt> ended;
    for (Prompt& p : *due) {
      if (p.snoozed_until > since_ && p.snoozed_until <= now) ended.push_back(std::move(p));
    }
    if (!ended.empty()) notifier_.Publish(ended);
    since_ = now;
  }
  Arm();
}

}  // namespace brag
