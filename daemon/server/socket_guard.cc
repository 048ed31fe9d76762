#include "server/socket_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#ifdef BRAG_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace brag {
namespace {

Error Errno(const std::string& code, const std::string& what) {
  return MakeError(code, what + " (" + std::strerror(errno) + ")");
}

}  // namespace

Status PrepareSocketDir(const std::filesystem::path& socket) {
  std::filesystem::path dir = socket.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::path parent = dir.parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return Errno("io", "cannot create socket folder " + dir.string());
    }
  }
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0) {
    return Errno("io", "cannot read socket folder " + dir.string());
  }
  if (!S_ISDIR(st.st_mode)) {
    return MakeError("forbidden", "socket folder " + dir.string() + " is not a folder");
  }
  if (st.st_uid != ::getuid()) {
    return MakeError("forbidden", "socket folder " + dir.string() +
                                      " is owned by uid " + std::to_string(st.st_uid) +
                                      ", not by you (uid " +
                                      std::to_string(::getuid()) + ")");
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return MakeError("forbidden", "socket folder " + dir.string() +
                                      " is writable by others; make it private "
                                      "(chmod 700) or choose another socket path");
  }
  return {};
}

Result<SocketLock> SocketLock::Acquire(const std::filesystem::path& socket) {
  std::filesystem::path lock = socket.parent_path() / "bragd.lock";
  // Never through a symlink: its target (any file of ours) would be
  // truncated for our pid.
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 && errno == ELOOP) {
    return MakeError("forbidden", "lock file " + lock.string() +
                                      " is a symbolic link; remove it (bragd makes its own)");
  }
  if (fd < 0) return Errno("io", "cannot open lock file " + lock.string());
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::getuid()) {
    ::close(fd);
    return MakeError("forbidden", "lock file " + lock.string() +
                                      " is not a plain file of yours; remove it");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    ::close(fd);
    return MakeError("busy", "another bragd (pid " + pid + ") is serving " +
                                 socket.string());
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    ssize_t ignored = ::pwrite(fd, pid.data(), pid.size(), 0);
    (void)ignored;
  }
  return SocketLock(fd);
}

SocketLock::~SocketLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<int> ListenUnix(const std::filesystem::path& socket) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string p = socket.string();
  if (p.size() >= sizeof addr.sun_path) {
    return MakeError("config", "socket path too long (max " +
                                   std::to_string(sizeof addr.sun_path - 1) +
                                   " bytes): " + p);
  }
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  // The lock says no other bragd serves here, but a file at the path may
  // still be a live socket (a bragd of another build or lock folder,
  // systemd's bragd.socket): it is removed only when a connect() to it is
  // refused. Non-blocking, so that a full listen queue answers EAGAIN
  // instead of waiting.
  struct stat st;
  if (::lstat(p.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return MakeError("busy", p + " is there and is not a socket; it is left alone "
                                   "(move it away, or set another [daemon] socket)");
    }
    int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (probe < 0) return Errno("io", "socket()");
    int rc = ::connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    int err = rc == 0 ? 0 : errno;
    ::close(probe);
    if (rc == 0 || err == EAGAIN || err == EINPROGRESS) {
      return MakeError("busy", "something is listening on " + p +
                                   "; another bragd not using bragd.lock? (stop it or set "
                                   "another [daemon] socket; if it is systemd's "
                                   "bragd.socket, start bragd with `systemctl --user start "
                                   "bragd`); the file is left alone");
    }
    if (err != ECONNREFUSED && err != ENOENT) {
      errno = err;
      return Errno("io", "cannot check the file already at " + p + "; it is left alone");
    }
    if (err == ECONNREFUSED && ::unlink(p.c_str()) != 0 && errno != ENOENT) {
      return Errno("io", "cannot remove stale socket " + p);
    }
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("io", "socket()");
  // umask makes the socket 0600 from birth: no window where others could
  // connect.
  mode_t old = ::umask(0177);
  int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (rc != 0 || ::chmod(p.c_str(), 0600) != 0 || ::listen(fd, 64) != 0) {
    Error e = Errno("io", "cannot listen on " + p);
    ::close(fd);
    return e;
  }
  return fd;
}

namespace {

constexpr int kFirstFd = 3;  // SD_LISTEN_FDS_START

// The count of LISTEN_FDS as sd_listen_fds(1) reads it: the variables count
// only when LISTEN_PID names this process (a child of bragd inherits them,
// not the sockets); the sockets become close-on-exec; the variables go.
Result<int> ListenFdsByHand() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  int count = 0;
  std::string bad;
  if (pid && fds && std::to_string(::getpid()) == pid) {
    char* end = nullptr;
    long n = std::strtol(fds, &end, 10);
    if (end == fds || *end != '\0' || n < 0 || n > 1024) {
      bad = fds;
    } else {
      count = static_cast<int>(n);
      for (int fd = kFirstFd; fd < kFirstFd + count; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  }
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  if (!bad.empty()) return MakeError("config", "LISTEN_FDS is not a count: " + bad);
  return count;
}

bool IsListeningUnixStreamByHand(int fd) {
  int domain = 0, type = 0, accepting = 0;
  socklen_t len = sizeof domain;
  if (::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_UNIX) {
    return false;
  }
  len = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) {
    return false;
  }
  len = sizeof accepting;
  return ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 &&
         accepting == 1;
}

Result<std::optional<HandedSocket>> TakeHandedSocketWith(bool use_libsystemd) {
  int count = 0;
  if (use_libsystemd) {
#ifdef BRAG_HAVE_SYSTEMD
    count = sd_listen_fds(/*unset_environment=*/1);
    if (count < 0) {
      errno = -count;
      return Errno("config", "cannot take the sockets systemd passed (LISTEN_FDS)");
    }
#endif
  } else {
    Result<int> n = ListenFdsByHand();
    if (!n) return n.error();
    count = *n;
  }
  if (count == 0) return std::optional<HandedSocket>();
  if (count != 1) {
    return MakeError("config", "systemd passed " + std::to_string(count) +
                                   " sockets; bragd takes exactly one (one ListenStream= "
                                   "in bragd.socket)");
  }
  int fd = kFirstFd;
  bool listening_unix_stream = IsListeningUnixStreamByHand(fd);
#ifdef BRAG_HAVE_SYSTEMD
  if (use_libsystemd) {
    listening_unix_stream = sd_is_socket_unix(fd, SOCK_STREAM, 1, nullptr, 0) > 0;
  }
#endif
  if (!listening_unix_stream) {
    return MakeError("config",
                     "the socket systemd passed is not a listening Unix stream socket "
                     "(bragd.socket needs ListenStream=PATH)");
  }
  sockaddr_un addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return Errno("io", "cannot read the address of the socket systemd passed");
  }
  HandedSocket handed;
  handed.fd = fd;
  size_t name_len = len > offsetof(sockaddr_un, sun_path)
                        ? len - offsetof(sockaddr_un, sun_path)
                        : 0;
  if (name_len > 0 && addr.sun_path[0] == '\0') {
    // An abstract address (ListenStream=@name): no file.
    handed.path = "@" + std::string(addr.sun_path + 1, name_len - 1);
  } else {
    handed.path = std::string(addr.sun_path, ::strnlen(addr.sun_path, name_len));
  }
  return std::optional<HandedSocket>(std::move(handed));
}

}  // namespace

Result<std::optional<HandedSocket>> TakeHandedSocket() {
#ifdef BRAG_HAVE_SYSTEMD
  return TakeHandedSocketWith(true);
#else
  return TakeHandedSocketWith(false);
#endif
}

Result<std::optional<HandedSocket>> TakeHandedSocketWithoutLibsystemd() {
  return TakeHandedSocketWith(false);
}

}  // namespace brag
