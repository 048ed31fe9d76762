// A blocking client of the bragd socket, with plain POSIX sockets (no Asio on
// the client side). Used by `brag`, the end-to-end tests and the benchmarks.
// One thread at a time.
#pragma once

#include <deque>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "protocol/message.h"

namespace brag::protocol {

class Client {
 public:
  // Connects to the bragd of this user. Error code "unreachable" (with the
  // socket path and errno text) when no daemon answers there; "untrusted",
  // naming the path, when the socket's folder or the socket is not owned by
  // this user, the folder is writable by group or others, or the process
  // that answers runs as another user (SO_PEERCRED): whatever is sent there
  // could reach someone else, so nothing is (DESIGN §7).
  static Result<Client> Connect(const std::filesystem::path& socket);
  Client(Client&& other) noexcept;
  Client& operator=(Client&& other) noexcept;
  ~Client();

  // Sends a request and waits up to timeout_ms for its reply. A reply with
  // "error" becomes an Error with the reply's code and message. Events that
  // arrive meanwhile are kept for NextEvent. Errors of the connection itself:
  // "unreachable" (closed), "timeout".
  Result<nlohmann::json> Call(const std::string& method,
                              const nlohmann::json& params = nlohmann::json::object(),
                              int timeout_ms = 30000);
  // The next pushed message ({"event":..., "data":...}); "timeout" if none.
  Result<nlohmann::json> NextEvent(int timeout_ms);

  // Raw access for tests: write bytes as they are; read one line.
  Status SendRaw(std::string_view bytes);
  Result<std::string> ReadLine(int timeout_ms);

  int fd() const { return fd_; }

 private:
  explicit Client(int fd) : fd_(fd), in_(kMaxReplyBytes) {}
  Result<nlohmann::json> ReadMessage(int timeout_ms);

  int fd_ = -1;
  int64_t next_id_ = 1;
  LineBuffer in_;
  std::deque<nlohmann::json> events_;
};

}  // namespace brag::protocol
