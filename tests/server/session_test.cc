// A Session's line handling (docs/protocol.md, "Framing" and "Flow and
// limits"), driven over a socketpair: the test is the client on one end, a
// Session with a stand-in LineHandler on the other, and the io_context is
// stepped until what is awaited shows up or a deadline passes.
#include <utility>  // Boost 1.74's awaitable.hpp misses it.

#include "server/session.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <cerrno>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace brag {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
constexpr auto kDeadline = std::chrono::seconds(10);

// Answers "re:LINE" at once, or, while `defer` is set, later (the test
// calls DeliverReply).
class RecordingHandler : public LineHandler {
 public:
  std::optional<std::string> HandleLine(const std::string& line, Session& session) override {
    lines.push_back(line);
    last_session = &session;
    if (defer) return std::nullopt;
    return "re:" + line + "\n";
  }
  void Forget(Session*) override { ++forgotten; }

  std::vector<std::string> lines;
  Session* last_session = nullptr;
  bool defer = false;
  int forgotten = 0;
};

// The client end of a socketpair whose other end is served by a Session.
class Connection {
 public:
  Connection() : budget_(64 * 1024 * 1024, {}, {}) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    client_ = fds[0];
    REQUIRE(::fcntl(client_, F_SETFL, O_NONBLOCK) == 0);
    asio::local::stream_protocol::socket server(io_);
    server.assign(asio::local::stream_protocol(), fds[1]);
    session_ = std::make_shared<Session>(std::move(server), handler_, budget_);
    session_->Start();
  }
  ~Connection() {
    if (client_ >= 0) ::close(client_);
  }

  RecordingHandler& handler() { return handler_; }
  Session& session() { return *session_; }

  // Runs the loop until `done` holds; false at the deadline.
  bool StepUntil(const std::function<bool()>& done) {
    Clock::time_point deadline = Clock::now() + kDeadline;
    while (!done()) {
      if (Clock::now() > deadline) return false;
      if (io_.stopped()) io_.restart();
      io_.run_for(std::chrono::milliseconds(2));
      Receive();
    }
    return true;
  }

  // Runs every handler that is ready, until none is: the session has done
  // all it can with what it was sent.
  void Settle() {
    for (int idle = 0; idle < 3;) {
      if (io_.stopped()) io_.restart();
      idle = io_.poll() == 0 ? idle + 1 : 0;
    }
    Receive();
  }

  // Writes all of `bytes`, stepping the loop while the socket is full.
  void Send(const std::string& bytes) {
    size_t done = 0;
    bool ok = StepUntil([&] {
      while (done < bytes.size()) {
        ssize_t n = ::send(client_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0) {
          REQUIRE((errno == EAGAIN || errno == EWOULDBLOCK));
          return false;
        }
        done += size_t(n);
      }
      return true;
    });
    REQUIRE(ok);
  }

  void ShutdownSending() { REQUIRE(::shutdown(client_, SHUT_WR) == 0); }
  void Close() {
    ::close(client_);
    client_ = -1;
  }

  // The first `n` complete lines received (without '\n'), waiting for them.
  std::vector<std::string> Lines(size_t n) {
    REQUIRE(StepUntil([&] { return Complete().size() >= n; }));
    std::vector<std::string> lines = Complete();
    lines.resize(n);
    return lines;
  }
  std::vector<std::string> Complete() const {
    std::vector<std::string> lines;
    size_t start = 0;
    for (size_t nl; (nl = received_.find('\n', start)) != std::string::npos; start = nl + 1) {
      lines.push_back(received_.substr(start, nl - start));
    }
    return lines;
  }
  // Waits for the server to close its end; false at the deadline.
  bool AwaitEof() {
    return StepUntil([&] { return eof_; });
  }

 private:
  void Receive() {
    if (client_ < 0) return;
    char buf[65536];
    for (;;) {
      ssize_t n = ::recv(client_, buf, sizeof buf, 0);
      if (n > 0) {
        received_.append(buf, size_t(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) eof_ = true;
      return;
    }
  }

  // Declared before the io_context: a session still held by a pending
  // coroutine when io_ goes refers to them.
  RecordingHandler handler_;
  SendBudget budget_;
  asio::io_context io_;
  std::shared_ptr<Session> session_;
  int client_ = -1;
  std::string received_;
  bool eof_ = false;
};

TEST_CASE("lines sent in one write are handled one at a time and answered in order") {
  Connection c;
  c.Send("one\ntwo\nthree\n");
  CHECK(c.Lines(3) == std::vector<std::string>{"re:one", "re:two", "re:three"});
  CHECK(c.handler().lines == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("a line that arrives in pieces is handled once, when its newline comes") {
  Connection c;
  c.Send("{\"id\":1,");
  c.Settle();
  CHECK(c.handler().lines.empty());
  c.Send("\"method\":\"ping\"}");
  c.Send("\n");
  CHECK(c.Lines(1) == std::vector<std::string>{"re:{\"id\":1,\"method\":\"ping\"}"});
  CHECK(c.handler().lines.size() == 1);
}

TEST_CASE("the next request waits until the reply to the one before is delivered") {
  Connection c;
  c.handler().defer = true;
  c.Send("first\nsecond\n");
  REQUIRE(c.StepUntil([&] { return c.handler().lines.size() == 1; }));
  // "second" is not handed over...
  c.Settle();
  CHECK(c.handler().lines == std::vector<std::string>{"first"});
  CHECK(c.Complete().empty());
  // ...until "first" has its reply.
  c.handler().defer = false;
  c.session().DeliverReply("late:first\n");
  CHECK(c.Lines(2) == std::vector<std::string>{"late:first", "re:second"});
  CHECK(c.handler().lines == std::vector<std::string>{"first", "second"});
}

TEST_CASE("a request line of exactly 64 KiB is handled") {
  Connection c;
  std::string lines(65536, 'x');
  lines += "\nnext\n";
  c.Send(lines);
  std::vector<std::string> replies = c.Lines(2);
  CHECK(replies[0] == "re:" + std::string(65536, 'x'));
  CHECK(replies[1] == "re:next");
}

TEST_CASE("a line one byte over 64 KiB gets line_too_long with a null id, then the connection closes") {
  Connection c;
  std::string sent = "ok\n";
  sent.append(65537, 'x');
  c.Send(sent);
  REQUIRE(c.AwaitEof());
  std::vector<std::string> lines = c.Complete();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "re:ok");
  nlohmann::json error = nlohmann::json::parse(lines[1]);
  CHECK(error["id"].is_null());
  CHECK(error["error"]["code"] == "line_too_long");
  CHECK(c.handler().lines == std::vector<std::string>{"ok"});
}

TEST_CASE("a client that half-closes gets a reply to every complete line, then EOF") {
  Connection c;
  c.Send("a\nb\nno newline");
  c.ShutdownSending();
  REQUIRE(c.AwaitEof());
  CHECK(c.Complete() == std::vector<std::string>{"re:a", "re:b"});
  // The last line without its '\n' is not a request.
  CHECK(c.handler().lines == std::vector<std::string>{"a", "b"});
  CHECK(c.handler().forgotten == 1);
}

TEST_CASE("a pushed event waits behind a reply being written and never splits it") {
  Connection c;
  c.handler().defer = true;
  c.Send("q\n");
  REQUIRE(c.StepUntil([&] { return c.handler().lines.size() == 1; }));
  std::string big(300 * 1024, 'r');  // more than the socket holds at once
  c.session().DeliverReply(big + "\n");
  c.session().PushEvent("event\n");
  std::vector<std::string> lines = c.Lines(2);
  CHECK(lines[0] == big);
  CHECK(lines[1] == "event");
}

TEST_CASE("a client that closes its socket is forgotten by the handler") {
  Connection c;
  c.Send("hello\n");
  CHECK(c.Lines(1) == std::vector<std::string>{"re:hello"});
  c.Close();
  CHECK(c.StepUntil([&] { return c.handler().forgotten == 1; }));
}

}  // namespace
}  // namespace brag
