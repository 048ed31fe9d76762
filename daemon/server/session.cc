#include "server/session.h"

#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "server/daemon.h"

namespace brag {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

namespace {
// A subscriber that does not read is cut off rather than grow without bound.
constexpr size_t kMaxOutboxBytes = 16 * 1024 * 1024;
}  // namespace

Session::Session(asio::local::stream_protocol::socket socket, Daemon& daemon)
    : socket_(std::move(socket)), wakeup_(socket_.get_executor()), daemon_(daemon) {
  wakeup_.expires_at(std::chrono::steady_clock::time_point::max());
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
    Push(protocol::ErrorLine(nullptr, "forbidden",
                             "this bragd serves only its own user"));
    CloseAfterFlush();
  } else {
    asio::co_spawn(socket_.get_executor(), [self] { return self->Reader(); },
                   asio::detached);
  }
  asio::co_spawn(socket_.get_executor(), [self] { return self->Writer(); },
                 asio::detached);
}

void Session::Push(std::string line) {
  if (!socket_.is_open()) return;
  outbox_bytes_ += line.size();
  outbox_.push_back(std::move(line));
  if (outbox_bytes_ > kMaxOutboxBytes) {
    LogWarn("dropping a client that does not read its messages");
    Stop();
    return;
  }
  wakeup_.cancel_one();
}

void Session::CloseAfterFlush() {
  close_after_flush_ = true;
  wakeup_.cancel_one();
}

void Session::Stop() {
  boost::system::error_code ignored;
  socket_.shutdown(asio::socket_base::shutdown_both, ignored);
  socket_.close(ignored);
  wakeup_.cancel();
  daemon_.Forget(this);
}

awaitable<void> Session::Reader() {
  char buf[16384];
  std::string line;
  while (socket_.is_open() && !close_after_flush_) {
    boost::system::error_code ec;
    size_t n = co_await socket_.async_read_some(asio::buffer(buf),
                                                asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    lines_.Append(buf, n);
    for (;;) {
      protocol::LineBuffer::Next next = lines_.Pop(&line);
      if (next == protocol::LineBuffer::Next::kNeedMore) break;
      if (next == protocol::LineBuffer::Next::kTooLong) {
        Push(protocol::ErrorLine(
            nullptr, "line_too_long",
            "a request line may be at most " +
                std::to_string(protocol::kMaxLineBytes) + " bytes; closing"));
        CloseAfterFlush();
        co_return;
      }
      Push(daemon_.HandleLine(line, *this));
    }
  }
  if (!close_after_flush_) Stop();
}

awaitable<void> Session::Writer() {
  while (socket_.is_open()) {
    if (outbox_.empty()) {
      if (close_after_flush_) break;
      boost::system::error_code ec;
      co_await wakeup_.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    boost::system::error_code ec;
    co_await asio::async_write(socket_, asio::buffer(outbox_.front()),
                               asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    outbox_bytes_ -= outbox_.front().size();
    outbox_.pop_front();
  }
  Stop();
}

}  // namespace brag
