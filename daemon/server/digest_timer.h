// The [digest] schedule: writes the week's digest files into the digest
// folder when the schedule's time has come and no file of that run exists
// yet (so a run missed while bragd was down is made at start, and a restart
// does not write it twice), then waits for the next run. Owns its timer.
// io thread only.
#pragma once

#include <boost/asio.hpp>
#include <utility>  // Boost 1.74's awaitable.hpp misses it.

#include "config/config.h"
#include "journal/journal.h"

namespace brag {

class DigestTimer {
 public:
  // `config` and `journal` must outlive the timer; a reload that changes
  // `config` in place calls Restart.
  DigestTimer(boost::asio::io_context& io, const Config& config, Journal& journal);

  // Writes the digest if it is due, then arms the timer.
  void Start();
  // The schedule may have changed: waits for its next run instead.
  void Restart();
  // Writes the latest run's digest unless its file is there already and
  // newer than the run.
  void WriteDue();

 private:
  void Arm();

  const Config& config_;
  Journal& journal_;
  boost::asio::steady_timer timer_;
};

}  // namespace brag
