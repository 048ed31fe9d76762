// The socket's security rules (DESIGN §7): a private folder, one daemon per
// socket, a 0600 socket. Plain POSIX; the listening fd is handed to Asio.
#pragma once

#include <filesystem>

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

// Binds and listens on `socket` (replacing a stale file left by a dead
// daemon: the caller holds the SocketLock) with mode 0600. Returns the fd.
Result<int> ListenUnix(const std::filesystem::path& socket);

}  // namespace brag
