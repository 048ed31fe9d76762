// One thread that answers the journal's read-only methods that can take a
// while (`digest`, `log`, `pending`) away from bragd's io thread: a digest
// analyses and renders every entry of its window, a listing turns hundreds
// of rows into JSON, and either would hold the loop that answers every
// other client. Each request opens the journal read-only on the worker (WAL
// lets it read while the io thread writes; it sees every commit made before
// the request) and runs the same method entry as a daemon-down `brag`, with
// the config it was given. Requests run one at a time, in order; `done` is
// called on the worker thread (the caller posts the result back to its
// own). Submit from one thread only. The thread starts with the first
// request; the destructor finishes the one in progress and drops the rest.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "config/config.h"
#include "core/result.h"

namespace brag {

class ReadWorker {
 public:
  using Done = std::function<void(Result<nlohmann::json>)>;

  explicit ReadWorker(std::filesystem::path journal) : journal_(std::move(journal)) {}
  ~ReadWorker();
  ReadWorker(const ReadWorker&) = delete;
  ReadWorker& operator=(const ReadWorker&) = delete;

  // True for the methods a ReadWorker answers: those of the registry that
  // only read the journal (MethodSpec::read_only).
  static bool Handles(const std::string& method);

  // `method` with `params` at `now` (unix seconds), under `config`.
  void Submit(std::string method, nlohmann::json params, int64_t now, Config config,
              Done done);

 private:
  struct Job {
    std::string method;
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
