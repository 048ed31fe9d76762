#include "server/socket_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

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
  // We hold the lock, so whatever socket file is there belongs to a dead
  // daemon.
  if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
    return Errno("io", "cannot remove stale socket " + p);
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

}  // namespace brag
