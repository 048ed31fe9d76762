// Snoozes that run out: when the earliest snooze still to come ends, the
// prompts whose snooze ended are pushed to subscribers (a waiting `brag
// prompt` asks about them again) as new prompts are; then it waits for the
// next one. io thread only.
#pragma once

#include <boost/asio.hpp>
#include <cstdint>
#include <utility>  // Boost 1.74's awaitable.hpp misses it.

#include "journal/journal.h"
#include "server/notifier.h"

namespace brag {

class SnoozeTimer {
 public:
  // `journal` and `notifier` must outlive the timer.
  SnoozeTimer(boost::asio::io_context& io, Journal& journal, Notifier& notifier);

  // Waits for the next snooze to end (snoozes that ended before now are
  // the pending list's already, not news).
  void Start();
  // A snooze was set: the next end may be sooner than the one waited for.
  void Rearm();

 private:
  void Arm();
  // Pushes the prompts whose snooze ended in (since_, now], then re-arms.
  void PushEnded();

  Journal& journal_;
  Notifier& notifier_;
  boost::asio::steady_timer timer_;
  int64_t since_ = 0;  // snoozes that ended up to here are pushed
};

}  // namespace brag
