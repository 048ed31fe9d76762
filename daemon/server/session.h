// One client connection (Asio C++20 coroutines, after Asio's chat_server):
// a reader coroutine that cuts lines and hands them to a LineHandler (the
// Daemon) one at a time, and a writer coroutine that drains the outbox, so
// replies and pushed events never interleave. Lives as long as either
// coroutine holds it. io thread only.
//
// Bounded: the reader takes no new request while the previous one awaits
// its reply, while this client has more than a little unread, or while
// every session together holds more than the SendBudget; and it handles one
// request per turn of the loop, so no client holds the others. A client
// that half-closes gets every reply to what it sent before, then EOF.
#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <utility>  // Boost 1.74's awaitable.hpp misses it.

#include "protocol/message.h"
#include "server/line_handler.h"
#include "server/send_budget.h"

namespace brag {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `handler` and `budget` must outlive the session.
  Session(boost::asio::local::stream_protocol::socket socket, LineHandler& handler,
          SendBudget& budget);

  // Checks the peer's uid (SO_PEERCRED), then starts reading and writing.
  void Start();
  // The reply to the request being handled (LineHandler::HandleLine returned
  // none): queued whole, whatever its size; the next request is read after.
  void DeliverReply(std::string line);
  // Queues a pushed event. A subscriber whose unwritten events pass a cap
  // does not read them, and is disconnected.
  void PushEvent(std::string line);
  // Closes the connection once everything queued has been written.
  void CloseAfterFlush();
  void Stop();
  // Makes the reader look again whether it may read: the budget was relieved.
  void Resume();

  // Bytes queued and not yet written.
  size_t queued_bytes() const { return outbox_bytes_; }
  // When a write last went out, or something was queued on an empty outbox:
  // a client with queued bytes and no progress since a while is not reading.
  std::chrono::steady_clock::time_point last_progress() const { return last_progress_; }

 private:
  struct Outgoing {
    std::string bytes;
    bool event = false;
  };

  boost::asio::awaitable<void> Reader();
  boost::asio::awaitable<void> Writer();
  // Returns once the reader may take the next request, after every other
  // handler that was ready.
  boost::asio::awaitable<void> WaitTurn();
  bool MayRead() const;
  void Enqueue(std::string line, bool event);
  void Written(size_t bytes);
  bool PeerIsOwner();

  boost::asio::local::stream_protocol::socket socket_;
  boost::asio::steady_timer wakeup_;  // the writer's: something to write
  boost::asio::steady_timer resume_;  // the reader's: it may read again
  LineHandler& handler_;
  SendBudget& budget_;
  protocol::LineBuffer lines_;
  std::deque<Outgoing> outbox_;
  size_t sent_ = 0;          // bytes of outbox_.front() already written
  size_t outbox_bytes_ = 0;  // unwritten bytes in outbox_, counted in budget_
  size_t event_bytes_ = 0;   // the part of outbox_bytes_ that is events
  std::chrono::steady_clock::time_point last_progress_;
  bool awaiting_reply_ = false;
  bool close_after_flush_ = false;
  bool stopped_ = false;
};

}  // namespace brag
