// The client trusts only its own bragd (DESIGN §7): a socket folder or a
// socket another local user controls, or a server running as another user,
// gets nothing the user typed. Acting as another user needs root (as CI
// runs); elsewhere these cases say they are skipped.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "journal/journal.h"
#include "protocol/client.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr uid_t kOtherUid = 12345;

// A server in a child process that runs as another user and answers every
// line as bragd would answer a note, reporting the bytes it received on a
// pipe. `bind_as_me`: the socket is bound (so the file is ours) before the
// child becomes the other user and listens, as a swap of the socket after
// our checks would leave it.
class ForeignServer {
 public:
  ForeignServer(const fs::path& socket, bool bind_as_me) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(fds[0]);
      ::close(ready[0]);
      Serve(socket, bind_as_me, fds[1], ready[1]);
      ::_exit(0);
    }
    ::close(fds[1]);
    ::close(ready[1]);
    received_fd_ = fds[0];
    char ok = 0;
    ssize_t n = ::read(ready[0], &ok, 1);
    ::close(ready[0]);
    REQUIRE(n == 1);
    REQUIRE(ok == 'y');
  }
  ~ForeignServer() {
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
    ::close(received_fd_);
  }

  // What the server has received so far (it reports as it reads).
  std::string Received() {
    std::string out;
    char buf[4096];
    pollfd p{received_fd_, POLLIN, 0};
    while (::poll(&p, 1, 100) > 0 && (p.revents & POLLIN)) {
      ssize_t n = ::read(received_fd_, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  static void Serve(const fs::path& socket, bool bind_as_me, int report, int ready) {
    auto become_other = [] {
      return ::setgroups(0, nullptr) == 0 && ::setgid(kOtherUid) == 0 &&
             ::setuid(kOtherUid) == 0;
    };
    if (!bind_as_me && !become_other()) return;
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
    ::unlink(socket.c_str());
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    ::chmod(socket.c_str(), 0666);
    if (bind_as_me && !become_other()) return;
    if (::listen(fd, 8) != 0) return;
    (void)!::write(ready, "y", 1);
    for (;;) {
      int c = ::accept(fd, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      ssize_t n;
      while ((n = ::read(c, buf, sizeof buf)) > 0) {
        (void)!::write(report, buf, static_cast<size_t>(n));
        const char reply[] =
            "{\"id\":1,\"result\":{\"note\":{\"id\":1,\"text\":\"stolen\"}}}\n";
        (void)!::write(c, reply, sizeof reply - 1);
      }
      ::close(c);
    }
  }

  pid_t pid_ = -1;
  int received_fd_ = -1;
};

// A world whose socket is the default one under $TMPDIR (XDG_RUNTIME_DIR
// unset), as on a machine without a user session manager.
struct TmpdirWorld {
  TmpdirWorld() {
    fs::create_directories(tmp());
    // Like /tmp: every user may make folders there.
    fs::permissions(root(), fs::perms::all ^ fs::perms::group_write ^ fs::perms::others_write);
    fs::permissions(tmp(), fs::perms::all | fs::perms::sticky_bit);
    WriteFile(config(), "[journal]\npath = \"" + journal().string() +
                            "\"\n[daemon]\nnotify = false\n");
  }
  fs::path root() const { return dir.path(); }
  fs::path tmp() const { return root() / "tmp"; }
  fs::path config() const { return root() / "config.toml"; }
  fs::path journal() const { return root() / "journal.db"; }
  fs::path socket_dir() const { return tmp() / ("brag-" + std::to_string(::getuid())); }
  fs::path socket() const { return socket_dir() / "bragd.sock"; }

  CommandResult Brag(const std::string& args) const {
    return RunCommand("env -u XDG_RUNTIME_DIR -u BRAG_SOCKET TMPDIR=" +
                      ShellQuote(tmp().string()) + " BRAG_CONFIG=" +
                      ShellQuote(config().string()) + " " BRAG_BIN " " + args +
                      " </dev/null");
  }

  std::vector<Note> Notes() const {
    std::vector<Note> out;
    auto journal_file = Journal::Open(journal(), Journal::Mode::kReadOnly);
    if (!journal_file) return out;
    auto entries = (*journal_file)->history().Log(LogQuery{});
    if (!entries) return out;
    for (const LogEntry& e : *entries) {
      if (e.note) out.push_back(*e.note);
    }
    return out;
  }

  TempDir dir{"trust"};
};

bool Root() {
  if (::geteuid() == 0) return true;
  MESSAGE("skipped: acting as another local user needs root");
  return false;
}

}  // namespace

TEST_CASE("a socket folder made by another user gets no note; the note goes to the journal") {
  if (!Root()) return;
  TmpdirWorld w;
  fs::create_directory(w.socket_dir());
  REQUIRE(::chown(w.socket_dir().c_str(), kOtherUid, kOtherUid) == 0);
  REQUIRE(::chmod(w.socket_dir().c_str(), 0777) == 0);
  ForeignServer server(w.socket(), /*bind_as_me=*/false);

  CommandResult r = w.Brag("note 'cut p95 from 3.4s to 18ms'");
  CHECK_MESSAGE(r.code == 0, r.output);
  CHECK_MESSAGE(r.output.find(w.socket_dir().string()) != std::string::npos, r.output);
  CHECK_MESSAGE(
      r.output.find("(the socket is not your own bragd's)") != std::string::npos,
      r.output);
  CHECK(server.Received().empty());
  std::vector<Note> notes = w.Notes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].text == "cut p95 from 3.4s to 18ms");
}

TEST_CASE("reading through another user's socket fails with exit 69 naming the path") {
  if (!Root()) return;
  TmpdirWorld w;
  fs::create_directory(w.socket_dir());
  REQUIRE(::chown(w.socket_dir().c_str(), kOtherUid, kOtherUid) == 0);
  REQUIRE(::chmod(w.socket_dir().c_str(), 0755) == 0);
  ForeignServer server(w.socket(), /*bind_as_me=*/false);

  CommandResult r = w.Brag("log");
  CHECK(r.code == 69);
  CHECK_MESSAGE(r.output.find("brag: error: ") == 0, r.output);
  CHECK_MESSAGE(r.output.find(w.socket_dir().string()) != std::string::npos, r.output);
  CHECK(server.Received().empty());
}

TEST_CASE("a socket folder of ours that others may write is not trusted") {
  if (!Root()) return;
  TmpdirWorld w;
  fs::create_directory(w.socket_dir());
  REQUIRE(::chmod(w.socket_dir().c_str(), 01777) == 0);
  ForeignServer server(w.socket(), /*bind_as_me=*/false);

  CommandResult r = w.Brag("status");
  CHECK(r.code == 69);
  CHECK_MESSAGE(r.output.find("writable by others") != std::string::npos, r.output);
  CHECK(server.Received().empty());
}

TEST_CASE("a server of another user behind a socket file of ours gets nothing") {
  if (!Root()) return;
  TmpdirWorld w;
  fs::create_directory(w.socket_dir());
  REQUIRE(::chmod(w.socket_dir().c_str(), 0700) == 0);
  ForeignServer server(w.socket(), /*bind_as_me=*/true);

  CommandResult r = w.Brag("note 'ran the failover drill'");
  CHECK_MESSAGE(r.code == 0, r.output);
  CHECK_MESSAGE(r.output.find("uid " + std::to_string(kOtherUid)) != std::string::npos,
                r.output);
  CHECK(server.Received().empty());
  std::vector<Note> notes = w.Notes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].text == "ran the failover drill");

  CommandResult read = w.Brag("pending");
  CHECK(read.code == 69);
  CHECK(server.Received().empty());
}

TEST_CASE("a commit hook spools its note instead of sending it to another user's server") {
  if (!Root()) return;
  TmpdirWorld w;
  fs::create_directory(w.socket_dir());
  REQUIRE(::chown(w.socket_dir().c_str(), kOtherUid, kOtherUid) == 0);
  ForeignServer server(w.socket(), /*bind_as_me=*/false);
  GitRepo repo = GitRepo::Init(w.root() / "repo");
  repo.Commit("README", "a\n", "Speed up checkout\n\nImpact: p95 3.4s -> 18ms");

  CommandResult r = RunCommand("cd " + ShellQuote(repo.dir().string()) +
                               " && env -u XDG_RUNTIME_DIR -u BRAG_SOCKET TMPDIR=" +
                               ShellQuote(w.tmp().string()) + " BRAG_CONFIG=" +
                               ShellQuote(w.config().string()) +
                               " " BRAG_BIN " hook post-commit </dev/null");
  CHECK_MESSAGE(r.code == 0, r.output);
  CHECK(server.Received().empty());
  std::string spool = ReadFile(w.root() / "journal.db.spool");
  CHECK_MESSAGE(spool.find("p95 3.4s -> 18ms") != std::string::npos, spool);
}

TEST_CASE("our own bragd under the default TMPDIR socket is trusted") {
  TmpdirWorld w;
  std::string env_prefix = "env -u XDG_RUNTIME_DIR -u BRAG_SOCKET TMPDIR=" +
                           ShellQuote(w.tmp().string());
  World unused;  // BragdProcess needs a World for its log file and config
  WriteFile(unused.config(), ReadFile(w.config()));
  BragdProcess bragd(unused, "", env_prefix);
  REQUIRE(bragd.WaitReady());
  CommandResult r = w.Brag("note 'kept'");
  CHECK_MESSAGE(r.code == 0, r.output);
  CHECK(r.output == "noted (1)\n");
  CHECK(w.Brag("status").code == 0);
}

}  // namespace brag::test
