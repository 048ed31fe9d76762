// One client connection (Asio C++20 coroutines, after Asio's chat_server):
// a reader coroutine that cuts lines and hands them to the Daemon, and a
// writer coroutine that drains the outbox, so replies and pushed events never
// interleave. Lives as long as either coroutine holds it. io thread only.
#pragma once

#include <utility>  // Boost 1.74's awaitable.hpp misses it.

#include <boost/asio.hpp>
#include <deque>
#include <memory>
#include <string>

#include "protocol/message.h"

namespace brag {

class Daemon;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::local::stream_protocol::socket socket, Daemon& daemon);

  // Checks the peer's uid (SO_PEERCRED), then starts reading and writing.
  void Start();
  // Queues one complete line for the client. A client that stops reading
  // while its queue grows past a limit is disconnected.
  void Push(std::string line);
  // Closes the connection once everything queued has been written.
  void CloseAfterFlush();
  void Stop();

  bool subscribed() const { return subscribed_; }
  void set_subscribed(bool on) { subscribed_ = on; }

 private:
  boost::asio::awaitable<void> Reader();
  boost::asio::awaitable<void> Writer();
  bool PeerIsOwner();

  boost::asio::local::stream_protocol::socket socket_;
  boost::asio::steady_timer wakeup_;
  Daemon& daemon_;
  protocol::LineBuffer lines_;
  std::deque<std::string> outbox_;
  size_t outbox_bytes_ = 0;
  bool close_after_flush_ = false;
  bool subscribed_ = false;
};

}  // namespace brag
