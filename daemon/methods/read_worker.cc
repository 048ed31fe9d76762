#include "methods/read_worker.h"

#include <memory>

#include "journal/journal.h"
#include "methods/registry.h"

namespace brag {

ReadWorker::~ReadWorker() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  ready_.notify_one();
  thread_.join();
}

bool ReadWorker::Handles(const std::string& method) {
  const MethodSpec* spec = FindMethod(method);
  return spec && spec->read_only;
}

void ReadWorker::Submit(std::string method, nlohmann::json params, int64_t now,
                        Config config, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back({std::move(method), std::move(params), now, std::move(config),
                     std::move(done)});
  }
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  ready_.notify_one();
}

void ReadWorker::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [&] { return !jobs_.empty() || closing_; });
      if (closing_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job.done(Answer(job));
  }
}

Result<nlohmann::json> ReadWorker::Answer(const Job& job) const {
  // Opened per request: it sees the journal file as it is now, and holds
  // nothing while bragd is idle.
  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(journal_, Journal::Mode::kReadOnly);
  if (!journal) return MakeError("journal", journal.error().message);
  MethodContext context{.journal = journal->get(), .config = &job.config, .now = job.now};
  return CallMethod(job.method, job.params, context);
}

}  // namespace brag
