// Where bragd's socket comes from (DESIGN §11): handed over by systemd
// (socket activation, here through systemd-socket-activate, which holds the
// socket and execs bragd on the first client, as systemd does with
// bragd.socket), or bound by bragd itself, which then removes a file left
// at the path only when nothing answers there.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A Unix stream socket bound and listening at `path`, as another program
// would hold it; -1 on failure.
int ListenAt(const fs::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 8) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// 0 when a connect() to `path` succeeds, else its errno.
int ConnectErrno(const fs::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int err = rc == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

// The socket's folder as systemd makes it (DirectoryMode=0700).
void MakeSocketDir(const fs::path& socket) {
  fs::create_directories(socket.parent_path());
  ::chmod(socket.parent_path().c_str(), 0700);
}

bool IsSocket(const fs::path& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// What process `pid` runs now (its executable's file name).
std::string ExeName(pid_t pid) {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  return ec ? "" : exe.filename().string();
}

// Whether a socket listens at `path`, as the kernel lists it in
// /proc/net/unix (flag __SO_ACCEPTCON, 00010000), without connecting to it:
// a connect would start bragd. The file alone is no proof: it appears at
// bind(), before listen().
bool Listening(const fs::path& path) {
  std::istringstream table(ReadFile("/proc/net/unix"));
  std::string line;
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string num, refs, protocol, flags, type, state, inode, name;
    fields >> num >> refs >> protocol >> flags >> type >> state >> inode >> name;
    if (name == path.string() && flags == "00010000") return true;
  }
  return false;
}

// Waits (deadline) until a socket listens at `path`.
bool WaitSocket(const fs::path& path, int timeout_ms = 10000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (IsSocket(path) && Listening(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// The systemd-socket-activate command line that holds `socket` and runs
// bragd (appended by BragdProcess) with the world's environment.
std::string SocketActivate(const World& world, const fs::path& socket) {
  REQUIRE_MESSAGE(RunCommand("command -v systemd-socket-activate").code == 0,
                  "systemd-socket-activate not found (package systemd; scripts/dev.sh "
                  "test installs it)");
  std::string cmd = "systemd-socket-activate -l " + ShellQuote(socket.string()) +
                    " -E BRAG_CONFIG=" + ShellQuote(world.config().string());
  // Its child gets only these variables: the test's isolated home and git
  // identity (tests/support/temp_dir.cc), and the sanitizers' options of the
  // ASan build (dev.sh test).
  for (const char* name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR",
                           "GIT_CONFIG_NOSYSTEM", "NO_COLOR", "PATH", "TMPDIR",
                           "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (std::getenv(name)) cmd += std::string(" -E ") + name;
  }
  return cmd;
}

TEST_CASE("systemd's socket: bragd starts on the first client, serves it, leaves the socket") {
  World world;
  MakeSocketDir(world.socket());
  BragdProcess bragd(world, "", SocketActivate(world, world.socket()));
  REQUIRE_MESSAGE(WaitSocket(world.socket()), bragd.Log());

  // The socket is there, bragd is not: systemd-socket-activate waits for a
  // client before it execs bragd (in the same process).
  CHECK(ExeName(bragd.pid()) == "systemd-socket-activate");

  // The real client, connecting to the socket nobody serves yet, waits for
  // bragd and gets its answer.
  CommandResult status = world.Brag("status --json");
  REQUIRE_MESSAGE(status.code == 0, (status.output + bragd.Log()));
  json facts = json::parse(status.output);
  CHECK(facts["running"] == true);
  CHECK(facts["socket_activated"] == true);
  CHECK(facts["pid"] == bragd.pid());
  CHECK(facts["socket"] == world.socket().string());
  CHECK(ExeName(bragd.pid()) == "bragd");
  REQUIRE(bragd.WaitReady());
  CHECK_MESSAGE(bragd.Log().find("passed by systemd") != std::string::npos, bragd.Log());
  CHECK_MESSAGE(bragd.Log().find("but the configured socket is") == std::string::npos,
                bragd.Log());
  // bragd.lock is taken beside the socket: a second bragd refuses.
  BragdProcess second(world);
  CHECK(second.WaitExit() == 1);
  CHECK_MESSAGE(second.Log().find("another bragd") != std::string::npos, second.Log());
  CHECK(IsSocket(world.socket()));

  // systemd owns the socket file: bragd leaves it at shutdown.
  CHECK(bragd.Stop(SIGTERM) == 0);
  CHECK(IsSocket(world.socket()));
}

TEST_CASE("a socket passed at another path than the configured one is served, with a warning") {
  World world;
  fs::path passed = world.root() / "systemd" / "bragd.sock";
  MakeSocketDir(passed);
  BragdProcess bragd(world, "", SocketActivate(world, passed));
  REQUIRE(WaitSocket(passed));

  Result<protocol::Client> client = protocol::Client::Connect(passed);
  REQUIRE_MESSAGE(client.has_value(), (client ? "" : client.error().message));
  Result<json> status = client->Call("status");
  REQUIRE_MESSAGE(status.has_value(), ((status ? "" : status.error().message) + bragd.Log()));
  CHECK((*status)["socket_activated"] == true);
  CHECK((*status)["socket"] == passed.string());
  REQUIRE(bragd.WaitReady());
  std::string log = bragd.Log();
  CHECK_MESSAGE(log.find("systemd passed the socket " + passed.string() +
                         " but the configured socket is " + world.socket().string()) !=
                    std::string::npos,
                log);
  // The lock is beside the configured path all the same.
  CHECK(fs::is_regular_file(world.socket().parent_path() / "bragd.lock"));
  CHECK_FALSE(fs::exists(world.socket()));
  CHECK(bragd.Stop(SIGTERM) == 0);
  CHECK(IsSocket(passed));
}

TEST_CASE("bragd binding its own socket says so in status") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  CommandResult status = world.Brag("status --json");
  REQUIRE_MESSAGE(status.code == 0, status.output);
  json facts = json::parse(status.output);
  CHECK(facts["socket_activated"] == false);
  CHECK(facts["pid"] == bragd.pid());
  CHECK(bragd.Stop(SIGTERM) == 0);
  CHECK_FALSE(fs::exists(world.socket()));  // its own: removed
}

TEST_CASE("a socket file nobody listens on is replaced") {
  World world;
  MakeSocketDir(world.socket());
  int fd = ListenAt(world.socket());
  REQUIRE(fd >= 0);
  ::close(fd);  // the file stays, nothing listens
  REQUIRE(IsSocket(world.socket()));
  CHECK(ConnectErrno(world.socket()) == ECONNREFUSED);

  BragdProcess bragd(world);
  REQUIRE_MESSAGE(bragd.WaitReady(), bragd.Log());
  CHECK(ConnectErrno(world.socket()) == 0);  // a new socket, bragd's
  CHECK(bragd.Connect().Call("hello").has_value());
  CHECK(bragd.Stop(SIGTERM) == 0);
}

TEST_CASE("a socket where something listens is left alone and bragd refuses to start") {
  World world;
  MakeSocketDir(world.socket());
  int fd = ListenAt(world.socket());
  REQUIRE(fd >= 0);

  BragdProcess bragd(world);
  CHECK(bragd.WaitExit() == 1);
  std::string log = bragd.Log();
  CHECK_MESSAGE(log.find("something is listening on " + world.socket().string()) !=
                    std::string::npos,
                log);
  CHECK_MESSAGE(log.find("another bragd not using bragd.lock?") != std::string::npos, log);
  // Still the other program's socket: a client reaches it there.
  REQUIRE(IsSocket(world.socket()));
  CHECK(ConnectErrno(world.socket()) == 0);
  int accepted = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  CHECK(accepted >= 0);  // the connection (bragd's probe or ours) came to it
  if (accepted >= 0) ::close(accepted);
  ::close(fd);
}

}  // namespace
}  // namespace brag::test
