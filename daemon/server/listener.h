// The socket side of bragd's event loop: takes the socket, accepts clients
// (backing off at the open-file limit), owns their Sessions and the
// SendBudget they share, cuts off clients that stall that budget, and turns
// SIGTERM and SIGINT into a clean shutdown and SIGHUP into a callback. Each
// request line goes to the function it was given. io thread only.
#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>  // Boost 1.74's awaitable.hpp misses it.

#include "core/result.h"
#include "server/line_handler.h"
#include "server/send_budget.h"

namespace brag {

class Session;

// systemd's sd_notify(state) where bragd was built with libsystemd.
void NotifySystemd(const char* state);

class Listener : public LineHandler {
 public:
  // Returns the reply line, or none when the reply comes later through
  // session.DeliverReply.
  using LineFunction =
      std::function<std::optional<std::string>(const std::string& line, Session& session)>;
  struct Limits {
    // What all sessions together may hold for their clients, and how long
    // one with bytes queued may go without reading while that is passed
    // before it is cut off.
    size_t send_budget_bytes = 64 * 1024 * 1024;
    std::chrono::milliseconds stall_grace{2000};
    // Retries of a failing accept: from the first to the longest delay.
    std::chrono::milliseconds accept_first_delay{20};
    std::chrono::milliseconds accept_max_delay{1000};
  };

  Listener(boost::asio::io_context& io, LineFunction handle_line, Limits limits);
  Listener(boost::asio::io_context& io, LineFunction handle_line)
      : Listener(io, std::move(handle_line), Limits()) {}
  ~Listener();

  // Binds `socket` (the caller holds its SocketLock) and starts accepting.
  Status Listen(const std::filesystem::path& socket);
  // Accepts on `fd`, a listening socket systemd handed over; its file is
  // systemd's, so Shutdown leaves it.
  void Adopt(int fd);
  // Until Shutdown: SIGHUP runs `on_hangup`, SIGTERM and SIGINT Shutdown.
  void WaitSignals(std::function<void()> on_hangup);
  // Stops accepting, removes the socket file (one it bound itself), closes
  // every session and stops the io_context.
  void Shutdown();
  size_t session_count() const { return sessions_.size(); }

  // The sessions' LineHandler: each line goes to `handle_line`; a closed
  // session is dropped and frees its descriptor for the next client.
  std::optional<std::string> HandleLine(const std::string& line, Session& session) override;
  void Forget(Session* session) override;

 private:
  void AwaitSignal();
  void Accept();
  // At the open-file limit (EMFILE, ENFILE) or another accept error: stops
  // accepting, says so once, and tries again after a growing delay, or as
  // soon as a session closes.
  void PauseAccepting(const boost::system::error_code& ec);
  // Past the SendBudget: clients that have read nothing for a while are cut
  // off, so that the ones that read are served again.
  void ArmStallCheck();
  void DropStalledClients(std::chrono::steady_clock::time_point since);
  void ResumeSessions();

  boost::asio::io_context& io_;
  LineFunction handle_line_;
  Limits limits_;
  std::filesystem::path socket_path_;  // bound by Listen: ours to remove
  std::map<Session*, std::weak_ptr<Session>> sessions_;
  SendBudget send_budget_;
  boost::asio::steady_timer stall_timer_;
  bool stall_check_armed_ = false;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  boost::asio::steady_timer accept_timer_;
  std::chrono::milliseconds accept_delay_{0};  // 0: accepting
  bool accept_waiting_ = false;                // accept_timer_ armed
  boost::asio::signal_set signals_;
  std::function<void()> on_hangup_;
};

}  // namespace brag
