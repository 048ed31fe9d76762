// One thread that answers `digest` requests away from bragd's io thread: a
// digest reads, analyses and renders every entry of its window, and a long
// window would hold the loop that serves every other client. Each request
// opens the journal read-only on the worker (WAL lets it read while the io
// thread writes) and runs the same method entry as a daemon-down `brag
// digest`, with the config it was given. Requests run one at a time, in
// order; `done` is called on the worker thread (the caller posts the result
// back to its own). The thread starts with the first request; the
// destructor finishes the request in progress and drops those not started.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "config/config.h"
#include "core/result.h"

namespace brag {

class DigestWorker {
 public:
  using Done = std::function<void(Result<nlohmann::json>)>;

  explicit DigestWorker(std::filesystem::path journal) : journal_(std::move(journal)) {}
  ~DigestWorker();
  DigestWorker(const DigestWorker&) = delete;
  DigestWorker& operator=(const DigestWorker&) = delete;

  // The `digest` method with `params` at `now` (unix seconds), under `config`.
  void Submit(nlohmann::json params, int64_t now, Config config, Done done);

 private:
  struct Job {
    nlohmann::json params;
    int64_t now = 0;
    Config config;
    Done done;
  };
  void Run();
  Result<nlohmann::json> Answer(const Job& job) const;

  const std::filesystem::path journal_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;  // guarded by mu_
  bool closing_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace brag
