// Messages of the socket protocol (docs/protocol.md): newline-delimited JSON
// requests, replies and pushed events, and the framing limits. No I/O here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace brag::protocol {

inline constexpr int kVersion = 1;
// The longest request line a client may send, newline excluded.
inline constexpr size_t kMaxLineBytes = 64 * 1024;
// The longest reply or event line a client accepts. Replies are bounded by
// bragd (listings come in pages, stored titles are capped), so this only
// guards the client against a runaway server.
inline constexpr size_t kMaxReplyBytes = 256 * 1024 * 1024;

struct Request {
  nlohmann::json id;  // echoed back; null when absent
  std::string method;
  nlohmann::json params;  // always an object (empty when absent)
};

// Parses one line (without its '\n'). Errors: "parse_error" (not JSON, not
// UTF-8, or nested deeper than kMaxJsonDepth of core/json_depth.h),
// "bad_request" (not an object, no string method, params not an
// object, an id that would not come back as sent: protocol/request_id.h).
// On "bad_request", *id_out receives the request's id if it had a usable one.
Result<Request> ParseRequest(std::string_view line, nlohmann::json* id_out);

// Each returns one complete line, '\n' included.
std::string ReplyLine(const nlohmann::json& id, const nlohmann::json& result);
std::string ErrorLine(const nlohmann::json& id, const std::string& code,
                      const std::string& message);
std::string EventLine(const std::string& event, const nlohmann::json& data);
std::string RequestLine(const nlohmann::json& id, const std::string& method,
                        const nlohmann::json& params);

// Accumulates bytes from a stream and cuts them into lines of at most
// `max_line` bytes. Used by both ends.
class LineBuffer {
 public:
  enum class Next { kLine, kNeedMore, kTooLong };

  explicit LineBuffer(size_t max_line = kMaxLineBytes) : max_line_(max_line) {}

  void Append(const char* data, size_t n) { buf_.append(data, n); }
  // On kLine, *line holds the next line without '\n' (a trailing '\r' is
  // kept: JSON treats it as whitespace). kTooLong once the buffered line
  // passes the limit without a newline; the buffer is then unusable.
  Next Pop(std::string* line);

 private:
  size_t max_line_;
  std::string buf_;
  size_t scanned_ = 0;  // bytes of buf_ already searched for '\n'
};

}  // namespace brag::protocol
