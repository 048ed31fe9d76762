// The read worker answers on its own thread, from the journal as committed
// when the request was made, with the config it was given.
#include "methods/read_worker.h"

#include <doctest/doctest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "journal/journal.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

using nlohmann::json;

// The answer of one request, waited for with a deadline.
class Answer {
 public:
  ReadWorker::Done Callback() {
    return [this](Result<json> r) {
      std::lock_guard<std::mutex> lock(mu_);
      result_ = std::move(r);
      thread_ = std::this_thread::get_id();
      done_.notify_one();
    };
  }
  Result<json> Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    REQUIRE(done_.wait_for(lock, std::chrono::seconds(10),
                           [&] { return result_.has_value(); }));
    return *result_;
  }
  std::thread::id thread() {
    std::lock_guard<std::mutex> lock(mu_);
    return thread_;
  }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  std::optional<Result<json>> result_;
  std::thread::id thread_;
};

}  // namespace

TEST_CASE(
    "the read worker answers log and pending on its own thread, seeing committed "
    "notes") {
  test::TempDir t("read-worker");
  Result<std::unique_ptr<Journal>> j =
      Journal::Open(t / "journal.db", Journal::Mode::kReadWrite);
  REQUIRE(j.has_value());
  NewNote note;
  note.text = "Cut p95 from 900ms to 120ms";
  REQUIRE((*j)->prompts().AddNote(note, 1700000000).has_value());

  ReadWorker worker(t / "journal.db");
  Answer log, pending;
  worker.Submit("log", json::object(), 1700000100, Config(), log.Callback());
  worker.Submit("pending", json::object(), 1700000100, Config(), pending.Callback());
  Result<json> entries = log.Wait();
  REQUIRE(entries.has_value());
  REQUIRE((*entries)["entries"].size() == 1);
  CHECK((*entries)["entries"][0]["text"] == note.text);
  Result<json> prompts = pending.Wait();
  REQUIRE(prompts.has_value());
  CHECK((*prompts)["prompts"].empty());
  CHECK(log.thread() != std::this_thread::get_id());
}

TEST_CASE(
    "the read worker reports a journal it cannot open and a bad parameter as errors") {
  test::TempDir t("read-worker");
  ReadWorker missing(t / "no-such-journal.db");
  Answer a;
  missing.Submit("log", json::object(), 1700000000, Config(), a.Callback());
  CHECK_FALSE(a.Wait().has_value());

  Result<std::unique_ptr<Journal>> j =
      Journal::Open(t / "journal.db", Journal::Mode::kReadWrite);
  REQUIRE(j.has_value());
  ReadWorker worker(t / "journal.db");
  Answer b;
  worker.Submit("digest", {{"format", "pdf"}}, 1700000000, Config(), b.Callback());
  Result<json> r = b.Wait();
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "bad_request");
}

TEST_CASE("only the journal's long read-only methods go to the read worker") {
  CHECK(ReadWorker::Handles("digest"));
  CHECK(ReadWorker::Handles("log"));
  CHECK(ReadWorker::Handles("pending"));
  CHECK_FALSE(ReadWorker::Handles("note"));
  CHECK_FALSE(ReadWorker::Handles("answer"));
  CHECK_FALSE(ReadWorker::Handles("status"));
}

}  // namespace brag
