#include "protocol/client.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "core/json_depth.h"

namespace brag::protocol {

using nlohmann::json;

namespace {

Error Unreachable(const std::string& what) {
  return MakeError("unreachable", what + " (" + std::strerror(errno) + ")");
}

// The Error of a reply's "error" member; one of another shape than
// {"code": "...", "message": "..."} is itself the error.
Error ReplyError(const json& error, const std::string& method) {
  auto code = error.is_object() ? error.find("code") : error.end();
  auto message = error.is_object() ? error.find("message") : error.end();
  if (code == error.end() || !code->is_string() ||
      (message != error.end() && !message->is_string())) {
    return MakeError("protocol", "bragd sent an unexpected reply to " + method);
  }
  return MakeError(code->get<std::string>(),
                   message == error.end() ? "" : message->get<std::string>());
}

int64_t MsLeft(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : left.count();
}

Error Untrusted(const std::string& what) {
  return MakeError("untrusted", what + "; nothing was sent to it");
}

// The socket's folder and the socket itself must be this user's: another
// local user who can create or replace them could run a server there and
// collect what we send. A missing socket is left to connect() to report.
Status CheckOwnership(const std::filesystem::path& socket) {
  std::filesystem::path dir = socket.parent_path();
  if (dir.empty()) dir = ".";
  uid_t me = ::getuid();
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return {};
  if (st.st_uid != me) {
    return Untrusted("the socket folder " + dir.string() + " is owned by uid " +
                     std::to_string(st.st_uid) + ", not by you (uid " +
                     std::to_string(me) + ")");
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return Untrusted("the socket folder " + dir.string() +
                     " is writable by others (chmod 700 it, or set another "
                     "socket path)");
  }
  if (::lstat(socket.c_str(), &st) != 0) return {};
  if (!S_ISSOCK(st.st_mode)) {
    return Untrusted(socket.string() + " is not a socket");
  }
  if (st.st_uid != me) {
    return Untrusted("the socket " + socket.string() + " is owned by uid " +
                     std::to_string(st.st_uid) + ", not by you (uid " +
                     std::to_string(me) + ")");
  }
  return {};
}

// The checks above leave a window (the folder's owner could swap the
// socket); the peer's credentials close it: they are the server's own.
Status CheckPeer(int fd, const std::string& socket) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return Untrusted("cannot tell who serves " + socket + " (" + std::strerror(errno) +
                     ")");
  }
  if (cred.uid != ::getuid()) {
    return Untrusted("the server on " + socket + " runs as uid " +
                     std::to_string(cred.uid) + " (pid " + std::to_string(cred.pid) +
                     "), not as you (uid " + std::to_string(::getuid()) + ")");
  }
  return {};
}

}  // namespace

Result<Client> Client::Connect(const std::filesystem::path& socket) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string p = socket.string();
  if (p.size() >= sizeof addr.sun_path) {
    return MakeError("unreachable", "socket path too long: " + p);
  }
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  if (Status s = CheckOwnership(socket); !s) return s.error();
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Unreachable("socket()");
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    Error e = Unreachable("cannot connect to bragd at " + p);
    ::close(fd);
    return e;
  }
  if (Status s = CheckPeer(fd, p); !s) {
    ::close(fd);
    return s.error();
  }
  return Client(fd);
}

Client::Client(Client&& other) noexcept
    : fd_(other.fd_),
      next_id_(other.next_id_),
      in_(std::move(other.in_)),
      events_(std::move(other.events_)) {
  other.fd_ = -1;
}

Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
    next_id_ = other.next_id_;
    in_ = std::move(other.in_);
    events_ = std::move(other.events_);
  }
  return *this;
}

Client::~Client() {
  if (fd_ >= 0) ::close(fd_);
}

Status Client::SendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unreachable("write to bragd failed");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Result<std::string> Client::ReadLine(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string line;
  for (;;) {
    switch (in_.Pop(&line)) {
      case LineBuffer::Next::kLine: return line;
      case LineBuffer::Next::kTooLong:
        return MakeError("parse_error", "bragd sent a line over the size limit");
      case LineBuffer::Next::kNeedMore: break;
    }
    pollfd pfd{fd_, POLLIN, 0};
    int r = ::poll(&pfd, 1, static_cast<int>(MsLeft(deadline)));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Unreachable("poll failed");
    if (r == 0) return MakeError("timeout", "no answer from bragd in time");
    char buf[16384];
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      errno = n == 0 ? ECONNRESET : errno;
      return MakeError("unreachable", "bragd closed the connection");
    }
    in_.Append(buf, static_cast<size_t>(n));
  }
}

Result<json> Client::ReadMessage(int timeout_ms) {
  Result<std::string> line = ReadLine(timeout_ms);
  if (!line) return line.error();
  if (JsonTooDeep(*line)) {
    return MakeError("parse_error", "bragd sent a line that nests too deeply (more than " +
                                        std::to_string(kMaxJsonDepth) + " levels)");
  }
  json msg = json::parse(*line, nullptr, false);
  if (msg.is_discarded() || !msg.is_object()) {
    return MakeError("parse_error", "bragd sent something that is not a JSON object");
  }
  return msg;
}

Result<json> Client::Call(const std::string& method, const json& params,
                          int timeout_ms) {
  int64_t id = next_id_++;
  if (Status s = SendRaw(RequestLine(id, method, params)); !s) {
    // bragd may have refused us (e.g. "forbidden") and closed before our
    // request went out: its last words are still in our receive queue.
    Result<json> last = ReadMessage(1000);
    if (last && last->contains("error")) return ReplyError((*last)["error"], method);
    return s.error();
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    Result<json> msg = ReadMessage(static_cast<int>(MsLeft(deadline)));
    if (!msg) return msg.error();
    if (msg->contains("event")) {
      events_.push_back(std::move(*msg));
      continue;
    }
    json reply_id = msg->value("id", json());
    // An error with a null id is about the connection itself (forbidden, a
    // bad line): it answers whatever we asked.
    bool connection_error = reply_id.is_null() && msg->contains("error");
    if (reply_id != json(id) && !connection_error) continue;  // a stale reply
    if (auto err = msg->find("error"); err != msg->end())
      return ReplyError(*err, method);
    return msg->value("result", json());
  }
}

Result<json> Client::NextEvent(int timeout_ms) {
  if (!events_.empty()) {
    json e = std::move(events_.front());
    events_.pop_front();
    return e;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    Result<json> msg = ReadMessage(static_cast<int>(MsLeft(deadline)));
    if (!msg) return msg.error();
    if (msg->contains("event")) return msg;
  }
}

}  // namespace brag::protocol
