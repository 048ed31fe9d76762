#include "server/listener.h"

#include <csignal>

#ifdef BRAG_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "core/log.h"
#include "server/session.h"
#include "server/socket_guard.h"

namespace brag {

namespace asio = boost::asio;

void NotifySystemd(const char* state) {
#ifdef BRAG_HAVE_SYSTEMD
  sd_notify(0, state);
#else
  (void)state;
#endif
}

Listener::Listener(asio::io_context& io, LineFunction handle_line, Limits limits)
    : io_(io),
      handle_line_(std::move(handle_line)),
      limits_(limits),
      send_budget_(
          limits.send_budget_bytes, [this] { ArmStallCheck(); },
          [this] { ResumeSessions(); }),
      stall_timer_(io),
      acceptor_(io),
      accept_timer_(io),
      signals_(io, SIGINT, SIGTERM, SIGHUP) {}

Listener::~Listener() = default;

Status Listener::Listen(const std::filesystem::path& socket) {
  Result<int> fd = ListenUnix(socket);
  if (!fd) return fd.error();
  socket_path_ = socket;
  acceptor_.assign(asio::local::stream_protocol(), *fd);
  Accept();
  return {};
}

void Listener::Adopt(int fd) {
  acceptor_.assign(asio::local::stream_protocol(), fd);
  Accept();
}

void Listener::WaitSignals(std::function<void()> on_hangup) {
  on_hangup_ = std::move(on_hangup);
  AwaitSignal();
}

void Listener::AwaitSignal() {
  signals_.async_wait([this](boost::system::error_code ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      if (on_hangup_) on_hangup_();
      AwaitSignal();
      return;
    }
    Shutdown();
  });
}

void Listener::Shutdown() {
  NotifySystemd("STOPPING=1");
  LogInfo("shutting down");
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_timer_.cancel();
  stall_timer_.cancel();
  // We still hold the lock, so the socket file we bound is ours to remove
  // (a socket systemd handed over is not: socket_path_ is empty then).
  std::error_code ec;
  if (!socket_path_.empty()) std::filesystem::remove(socket_path_, ec);
  for (auto& [ptr, weak] : std::map<Session*, std::weak_ptr<Session>>(sessions_)) {
    if (auto s = weak.lock()) s->Stop();
  }
  io_.stop();
}

std::optional<std::string> Listener::HandleLine(const std::string& line,
                                                Session& session) {
  return handle_line_(line, session);
}

void Listener::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec,
                                asio::local::stream_protocol::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      PauseAccepting(ec);
      return;
    }
    if (accept_delay_.count() > 0) {
      LogInfo("accepting connections again (" + std::to_string(sessions_.size() + 1) +
              " open)");
      accept_delay_ = std::chrono::milliseconds(0);
    }
    auto session = std::make_shared<Session>(std::move(socket), *this, send_budget_);
    sessions_[session.get()] = session;
    session->Start();
    Accept();
  });
}

void Listener::PauseAccepting(const boost::system::error_code& ec) {
  // The connection stays in the listen queue, so accepting again at once
  // would spin; it waits there until a descriptor is free.
  if (accept_delay_.count() == 0) {
    bool out_of_fds = ec == asio::error::no_descriptors ||
                      ec == boost::system::errc::too_many_files_open_in_system;
    LogError("accept: " + ec.message() + " (" + std::to_string(sessions_.size()) +
             " connections open); " +
             (out_of_fds ? "new clients wait until a connection closes"
                         : "new clients wait, retrying"));
    accept_delay_ = limits_.accept_first_delay;
  } else {
    accept_delay_ = std::min(accept_delay_ * 2, limits_.accept_max_delay);
  }
  accept_waiting_ = true;
  accept_timer_.expires_after(accept_delay_);
  accept_timer_.async_wait([this](boost::system::error_code timer_ec) {
    if (timer_ec || !accept_waiting_) return;
    accept_waiting_ = false;
    Accept();
  });
}

void Listener::Forget(Session* session) {
  sessions_.erase(session);
  // Its descriptor is free: take the next client now.
  if (accept_waiting_ && acceptor_.is_open()) {
    accept_waiting_ = false;
    accept_timer_.cancel();
    asio::post(io_, [this] { Accept(); });
  }
}

void Listener::ArmStallCheck() {
  if (stall_check_armed_) return;
  stall_check_armed_ = true;
  auto since = std::chrono::steady_clock::now();
  stall_timer_.expires_after(limits_.stall_grace);
  stall_timer_.async_wait([this, since](boost::system::error_code ec) {
    stall_check_armed_ = false;
    if (!ec) DropStalledClients(since);
  });
}

void Listener::DropStalledClients(std::chrono::steady_clock::time_point since) {
  if (!send_budget_.exceeded()) return;
  size_t held = send_budget_.queued();
  int dropped = 0;
  for (auto& [ptr, weak] : std::map<Session*, std::weak_ptr<Session>>(sessions_)) {
    auto s = weak.lock();
    if (s && s->queued_bytes() > 0 && s->last_progress() < since) {
      s->Stop();
      ++dropped;
    }
  }
  if (dropped > 0) {
    LogWarn("holding " + std::to_string(held >> 20) +
            " MiB of unread replies, over the " +
            std::to_string(limits_.send_budget_bytes >> 20) + " MiB budget: dropped " +
            std::to_string(dropped) + " client(s) that read nothing for " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                               limits_.stall_grace)
                               .count()) +
            "s");
  }
  if (send_budget_.exceeded()) ArmStallCheck();
}

void Listener::ResumeSessions() {
  for (auto& [ptr, weak] : sessions_) {
    if (auto s = weak.lock()) s->Resume();
  }
}

}  // namespace brag
