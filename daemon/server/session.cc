#include "server/session.h"

#include <sys/socket.h>
#include <unistd.h>

#include <optional>

#include "core/log.h"

namespace brag {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

namespace {
// A client that has this much unread gets no new request handled until it
// reads: pipelining is welcome, hoarding replies in bragd is not.
constexpr size_t kReadPauseBytes = 64 * 1024;
// Events are pushed whether or not the subscriber reads; one that lets
// this much pile up is cut off rather than grow without bound.
constexpr size_t kMaxEventBacklogBytes = 16 * 1024 * 1024;
}  // namespace

Session::Session(asio::local::stream_protocol::socket socket, LineHandler& handler,
                 SendBudget& budget)
    : socket_(std::move(socket)),
      wakeup_(socket_.get_executor()),
      resume_(socket_.get_executor()),
      handler_(handler),
      budget_(budget),
      last_progress_(std::chrono::steady_clock::now()) {
  wakeup_.expires_at(std::chrono::steady_clock::time_point::max());
  resume_.expires_at(std::chrono::steady_clock::time_point::max());
}

bool Session::PeerIsOwner() {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return false;
  }
  return cred.uid == ::getuid();
}

void Session::Start() {
  auto self = shared_from_this();
  if (!PeerIsOwner()) {
    LogWarn("refused a connection from another user");
    Enqueue(protocol::ErrorLine(nullptr, "forbidden",
                                "this bragd serves only its own user"),
            false);
    CloseAfterFlush();
  } else {
    asio::co_spawn(
        socket_.get_executor(), [self] { return self->Reader(); }, asio::detached);
  }
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->Writer(); }, asio::detached);
}

void Session::DeliverReply(std::string line) {
  awaiting_reply_ = false;
  Enqueue(std::move(line), false);
  Resume();
}

void Session::PushEvent(std::string line) {
  if (stopped_) return;
  if (event_bytes_ + line.size() > kMaxEventBacklogBytes) {
    LogWarn("dropping a subscriber that does not read its events");
    Stop();
    return;
  }
  event_bytes_ += line.size();
  Enqueue(std::move(line), true);
}

void Session::Enqueue(std::string line, bool event) {
  if (stopped_) return;
  if (outbox_.empty()) last_progress_ = std::chrono::steady_clock::now();
  outbox_bytes_ += line.size();
  budget_.Add(line.size());
  outbox_.push_back({std::move(line), event});
  wakeup_.cancel_one();
}

void Session::Written(size_t bytes) {
  last_progress_ = std::chrono::steady_clock::now();
  outbox_bytes_ -= bytes;
  if (outbox_.front().event) event_bytes_ -= bytes;
  sent_ += bytes;
  if (sent_ == outbox_.front().bytes.size()) {
    outbox_.pop_front();
    sent_ = 0;
  }
  budget_.Release(bytes);
  if (outbox_bytes_ <= kReadPauseBytes) Resume();
}

void Session::CloseAfterFlush() {
  close_after_flush_ = true;
  wakeup_.cancel_one();
}

void Session::Resume() { resume_.cancel(); }

void Session::Stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(asio::socket_base::shutdown_both, ignored);
  socket_.close(ignored);
  wakeup_.cancel();
  resume_.cancel();
  // What is still queued will never be written; the outbox itself goes
  // with the session, once the writer has let go of its front.
  size_t unsent = outbox_bytes_;
  outbox_bytes_ = 0;
  event_bytes_ = 0;
  budget_.Release(unsent);
  handler_.Forget(this);
}

bool Session::MayRead() const {
  return !awaiting_reply_ && outbox_bytes_ <= kReadPauseBytes && !budget_.exceeded();
}

awaitable<void> Session::WaitTurn() {
  // One request per turn of the loop: the other clients' come between.
  co_await asio::post(socket_.get_executor(), use_awaitable);
  while (!stopped_ && !MayRead()) {
    boost::system::error_code ec;
    co_await resume_.async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

awaitable<void> Session::Reader() {
  char buf[16384];
  std::string line;
  bool at_eof = false;
  while (!stopped_ && !close_after_flush_) {
    co_await WaitTurn();
    if (stopped_) break;
    protocol::LineBuffer::Next next = lines_.Pop(&line);
    if (next == protocol::LineBuffer::Next::kTooLong) {
      Enqueue(protocol::ErrorLine(nullptr, "line_too_long",
                                  "a request line may be at most " +
                                      std::to_string(protocol::kMaxLineBytes) +
                                      " bytes; closing"),
              false);
      CloseAfterFlush();
      co_return;
    }
    if (next == protocol::LineBuffer::Next::kLine) {
      awaiting_reply_ = true;
      std::optional<std::string> reply = handler_.HandleLine(line, *this);
      if (reply) DeliverReply(std::move(*reply));
      continue;
    }
    if (at_eof) break;
    boost::system::error_code ec;
    size_t n = co_await socket_.async_read_some(
        asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::eof) {
      // Half-closed: what was sent before still gets its replies.
      at_eof = true;
      continue;
    }
    if (ec) break;
    lines_.Append(buf, n);
  }
  if (at_eof && !stopped_) {
    CloseAfterFlush();
  } else if (!close_after_flush_) {
    Stop();
  }
}

awaitable<void> Session::Writer() {
  while (!stopped_) {
    if (outbox_.empty()) {
      if (close_after_flush_) break;
      boost::system::error_code ec;
      co_await wakeup_.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    // Written a piece at a time, so that progress shows and a reply of
    // any size goes out whole to a client that reads.
    const std::string& front = outbox_.front().bytes;
    boost::system::error_code ec;
    size_t n = co_await socket_.async_write_some(
        asio::buffer(front.data() + sent_, front.size() - sent_),
        asio::redirect_error(use_awaitable, ec));
    if (ec || stopped_) break;
    Written(n);
  }
  Stop();
}

}  // namespace brag
