// The Listener serves lines over a real unix socket on an io_context that
// the test steps: replies now and later, the send budget's stall check, the
// accept back-off at the open-file limit, and the signals.
#include "server/listener.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <vector>

#include "server/loop_client.h"
#include "server/session.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

namespace asio = boost::asio;
using test::LoopClient;
using test::RunUntil;

std::optional<std::string> Echo(const std::string& line, Session&) {
  return "echo " + line + "\n";
}

// Takes every free descriptor (below a lowered soft limit) until destroyed,
// then gives them and the old limit back.
class FdHog {
 public:
  FdHog() {
    getrlimit(RLIMIT_NOFILE, &old_);
    rlimit low = old_;
    int highest = ::dup(0);
    ::close(highest);
    low.rlim_cur = highest + 16;
    setrlimit(RLIMIT_NOFILE, &low);
    for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;) fds_.push_back(fd);
  }
  ~FdHog() {
    for (int fd : fds_) ::close(fd);
    setrlimit(RLIMIT_NOFILE, &old_);
  }
  size_t taken() const { return fds_.size(); }

 private:
  rlimit old_{};
  std::vector<int> fds_;
};

}  // namespace

TEST_CASE("a client's line reaches the handler and the reply comes back on its socket") {
  test::TempDir t("listener");
  asio::io_context io;
  Listener listener(io, Echo);
  REQUIRE(listener.Listen(t / "bragd.sock").has_value());
  LoopClient client(io, t / "bragd.sock");
  client.Send("one");
  client.Send("two");
  CHECK(client.ReadLine() == "echo one");
  CHECK(client.ReadLine() == "echo two");
  CHECK(listener.session_count() == 1);
}

TEST_CASE("a reply the handler gives later reaches the session, and the next line waits for it") {
  test::TempDir t("listener");
  asio::io_context io;
  std::weak_ptr<Session> waiting;
  int handled = 0;
  Listener listener(io, [&](const std::string& line, Session& session)
                            -> std::optional<std::string> {
    ++handled;
    if (line != "late") return "now " + line + "\n";
    waiting = session.weak_from_this();
    return std::nullopt;
  });
  REQUIRE(listener.Listen(t / "bragd.sock").has_value());
  LoopClient client(io, t / "bragd.sock");
  client.Send("late");
  client.Send("after");
  REQUIRE(RunUntil(io, [&] { return !waiting.expired(); }));
  CHECK_FALSE(client.ReadLine(std::chrono::milliseconds(100)).has_value());
  CHECK(handled == 1);
  waiting.lock()->DeliverReply("later\n");
  CHECK(client.ReadLine() == "later");
  CHECK(client.ReadLine() == "now after");
}

TEST_CASE("past the send budget a client that reads nothing is cut off and one that reads is served") {
  test::TempDir t("listener");
  asio::io_context io;
  Listener::Limits limits;
  limits.send_budget_bytes = 64 * 1024;
  limits.stall_grace = std::chrono::milliseconds(100);
  std::string big(4 * 1024 * 1024, 'x');
  Listener listener(
      io,
      [&](const std::string& line, Session&) -> std::optional<std::string> {
        return line == "big" ? big : std::string("small\n");
      },
      limits);
  REQUIRE(listener.Listen(t / "bragd.sock").has_value());
  LoopClient hoarder(io, t / "bragd.sock");
  hoarder.Send("big");
  REQUIRE(RunUntil(io, [&] { return listener.session_count() == 1; }));
  CHECK(RunUntil(io, [&] { return listener.session_count() == 0; }));

  LoopClient reader(io, t / "bragd.sock");
  reader.Send("hi");
  CHECK(reader.ReadLine() == "small");
  CHECK(listener.session_count() == 1);
}

TEST_CASE("at the open-file limit a waiting client is taken as soon as another disconnects") {
  test::TempDir t("listener");
  asio::io_context io;
  Listener::Limits limits;
  // So long that only a closing session can resume accepting in this test.
  limits.accept_first_delay = std::chrono::seconds(60);
  limits.accept_max_delay = std::chrono::seconds(60);
  Listener listener(io, Echo, limits);
  REQUIRE(listener.Listen(t / "bragd.sock").has_value());
  auto first = std::make_unique<LoopClient>(io, t / "bragd.sock");
  REQUIRE(RunUntil(io, [&] { return listener.session_count() == 1; }));
  LoopClient second(io, t / "bragd.sock");
  {
    FdHog hog;
    REQUIRE(hog.taken() > 0);
    // The second connection waits in the listen queue: no descriptor for it.
    CHECK_FALSE(RunUntil(io, [&] { return listener.session_count() == 2; },
                         std::chrono::milliseconds(200)));
    second.Send("still there?");
    first->Close();  // its session closes and frees a descriptor
    first.reset();
    CHECK(second.ReadLine() == "echo still there?");
    CHECK(listener.session_count() == 1);
  }
}

TEST_CASE("SIGHUP runs the callback, SIGTERM removes the socket and stops the loop") {
  test::TempDir t("listener");
  asio::io_context io;
  Listener listener(io, Echo);
  REQUIRE(listener.Listen(t / "bragd.sock").has_value());
  int hangups = 0;
  listener.WaitSignals([&] { ++hangups; });
  LoopClient client(io, t / "bragd.sock");
  REQUIRE(RunUntil(io, [&] { return listener.session_count() == 1; }));

  ::raise(SIGHUP);
  CHECK(RunUntil(io, [&] { return hangups == 1; }));
  ::raise(SIGHUP);
  CHECK(RunUntil(io, [&] { return hangups == 2; }));
  CHECK(std::filesystem::exists(t / "bragd.sock"));

  ::raise(SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!io.stopped() && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds(10));
  }
  CHECK(io.stopped());
  CHECK_FALSE(std::filesystem::exists(t / "bragd.sock"));
  CHECK(listener.session_count() == 0);
}

}  // namespace brag
