// The socket's security rules (DESIGN §7): a private folder, one daemon per
// socket, a 0600 socket. Plain POSIX; the listening fd is handed to Asio.
#pragma once

#include <filesystem>
#include <optional>

#include "core/result.h"

namespace brag {

// Creates the socket's folder 0700 if missing. Refuses (code "forbidden") a
// folder owned by another user or writable by group or others, naming it.
Status PrepareSocketDir(const std::filesystem::path& socket);

// Holds `bragd.lock` beside the socket for the life of the object: the proof
// that this process owns the socket. A second daemon gets code "busy" naming
// the pid of the first.
class SocketLock {
 public:
  static Result<SocketLock> Acquire(const std::filesystem::path& socket);
  SocketLock(SocketLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  SocketLock& operator=(SocketLock&&) = delete;
  ~SocketLock();

 private:
  explicit SocketLock(int fd) : fd_(fd) {}
  int fd_;
};

// Binds and listens on `socket` with mode 0600. Returns the fd. A file
// already there is removed only when a connect() to it is refused (a socket
// left by a dead daemon); when something answers there, code "busy" naming
// the path, and nothing is removed. A file there that is not a socket is
// refused the same way.
Result<int> ListenUnix(const std::filesystem::path& socket);

// The listening socket systemd handed over (socket activation:
// sd_listen_fds, or LISTEN_PID and LISTEN_FDS by hand where bragd is built
// without libsystemd), with the path it is bound to (getsockname). None
// when bragd was started without one. Refuses (code "config") more than one
// socket, or one that is not a listening Unix stream socket. The LISTEN_*
// variables are cleared, so that children do not see them.
struct HandedSocket {
  int fd = -1;
  std::filesystem::path path;
};
Result<std::optional<HandedSocket>> TakeHandedSocket();
// The same by hand (LISTEN_PID, LISTEN_FDS, getsockopt), as bragd does when
// built without libsystemd: always compiled, so that its test runs.
Result<std::optional<HandedSocket>> TakeHandedSocketWithoutLibsystemd();

}  // namespace brag
