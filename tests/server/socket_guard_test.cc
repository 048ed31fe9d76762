// Taking the socket systemd hands over (LISTEN_PID, LISTEN_FDS, fd 3), with
// libsystemd where bragd has it and by hand as without it; and the rule for
// a file already at the socket path.
#include "server/socket_guard.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#include "support/temp_dir.h"

namespace brag {
namespace {

namespace fs = std::filesystem;

// A Unix stream socket bound at `path`, listening or not.
int BoundAt(const fs::path& path, bool listening, int type = SOCK_STREAM) {
  int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  if (listening) REQUIRE(::listen(fd, 4) == 0);
  return fd;
}

// Puts `fd` at descriptor 3 (as systemd does) with LISTEN_* naming this
// process, for the life of the object; then puts back what fd 3 was.
class Handed {
 public:
  Handed(int fd, const std::string& count, const std::string& pid)
      : saved_(::fcntl(3, F_DUPFD_CLOEXEC, 10)) {
    REQUIRE(::dup2(fd, 3) == 3);
    if (fd != 3) ::close(fd);
    ::setenv("LISTEN_PID", pid.c_str(), 1);
    ::setenv("LISTEN_FDS", count.c_str(), 1);
  }
  ~Handed() {
    if (saved_ >= 0) {
      ::dup2(saved_, 3);
      ::close(saved_);
    } else {
      ::close(3);
    }
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
  }

 private:
  int saved_;
};

std::string MyPid() { return std::to_string(::getpid()); }

using Take = std::function<Result<std::optional<HandedSocket>>()>;

void TakesTheHandedSocket(const Take& take) {
  test::TempDir dir("sg");
  fs::path path = dir / "bragd.sock";
  SUBCASE("a listening Unix stream socket, with its path; the variables go") {
    Handed handed(BoundAt(path, true), "1", MyPid());
    Result<std::optional<HandedSocket>> got = take();
    REQUIRE_MESSAGE(got.has_value(), (got ? "" : got.error().message));
    REQUIRE(got->has_value());
    CHECK((*got)->fd == 3);
    CHECK((*got)->path == path);
    CHECK(std::getenv("LISTEN_PID") == nullptr);
    CHECK(std::getenv("LISTEN_FDS") == nullptr);
    CHECK((::fcntl(3, F_GETFD) & FD_CLOEXEC) != 0);
  }
  SUBCASE("variables meant for another process (bragd's parent) are not ours") {
    Handed handed(BoundAt(path, true), "1", std::to_string(::getppid()));
    Result<std::optional<HandedSocket>> got = take();
    REQUIRE(got.has_value());
    CHECK_FALSE(got->has_value());
    CHECK(std::getenv("LISTEN_FDS") == nullptr);
  }
  SUBCASE("none passed") {
    Result<std::optional<HandedSocket>> got = take();
    REQUIRE(got.has_value());
    CHECK_FALSE(got->has_value());
  }
  SUBCASE("a socket that does not listen is refused") {
    Handed handed(BoundAt(path, false), "1", MyPid());
    Result<std::optional<HandedSocket>> got = take();
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == "config");
    CHECK(got.error().message.find("not a listening Unix stream socket") != std::string::npos);
  }
  SUBCASE("a datagram socket is refused") {
    Handed handed(BoundAt(path, false, SOCK_DGRAM), "1", MyPid());
    Result<std::optional<HandedSocket>> got = take();
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == "config");
  }
  SUBCASE("two sockets are refused") {
    // fd 4 as well, so that libsystemd gets as far as counting them.
    int second = BoundAt(dir / "second.sock", true);
    int saved4 = ::fcntl(4, F_DUPFD_CLOEXEC, 10);
    REQUIRE(::dup2(second, 4) == 4);
    if (second != 4) ::close(second);
    {
      Handed handed(BoundAt(path, true), "2", MyPid());
      Result<std::optional<HandedSocket>> got = take();
      REQUIRE_FALSE(got.has_value());
      CHECK(got.error().code == "config");
      CHECK_MESSAGE(got.error().message.find("passed 2 sockets") != std::string::npos,
                    got.error().message);
    }
    if (saved4 >= 0) {
      ::dup2(saved4, 4);
      ::close(saved4);
    } else {
      ::close(4);
    }
  }
}

TEST_CASE("the socket systemd passes is taken (as bragd is built)") {
  TakesTheHandedSocket(TakeHandedSocket);
}

TEST_CASE("the socket systemd passes is taken (by hand, as without libsystemd)") {
  TakesTheHandedSocket(TakeHandedSocketWithoutLibsystemd);
  SUBCASE("a LISTEN_FDS that is not a count is refused") {
    ::setenv("LISTEN_PID", MyPid().c_str(), 1);
    ::setenv("LISTEN_FDS", "one", 1);
    Result<std::optional<HandedSocket>> got = TakeHandedSocketWithoutLibsystemd();
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().message.find("LISTEN_FDS is not a count") != std::string::npos);
    CHECK(std::getenv("LISTEN_FDS") == nullptr);
  }
}

TEST_CASE("ListenUnix replaces a socket file nobody listens on, and no live one") {
  test::TempDir dir("sg");
  fs::path path = dir / "bragd.sock";
  SUBCASE("stale: replaced") {
    ::close(BoundAt(path, true));
    Result<int> fd = ListenUnix(path);
    REQUIRE_MESSAGE(fd.has_value(), (fd ? "" : fd.error().message));
    ::close(*fd);
  }
  SUBCASE("not a socket: refused and left") {
    test::WriteFile(path, "mine\n");
    Result<int> fd = ListenUnix(path);
    REQUIRE_FALSE(fd.has_value());
    CHECK(fd.error().message.find("is not a socket") != std::string::npos);
    CHECK(test::ReadFile(path) == "mine\n");
  }
  SUBCASE("live: refused, naming the path, and left") {
    int other = BoundAt(path, true);
    Result<int> fd = ListenUnix(path);
    REQUIRE_FALSE(fd.has_value());
    CHECK(fd.error().code == "busy");
    CHECK(fd.error().message.find("something is listening on " + path.string()) !=
          std::string::npos);
    CHECK(fs::exists(path));
    // bragd's probe is in the other's queue: it is still that one's socket.
    int probe = ::accept4(other, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    CHECK(probe >= 0);
    if (probe >= 0) ::close(probe);
    ::close(other);
  }
}

}  // namespace
}  // namespace brag
