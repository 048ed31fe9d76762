// What a Session hands its request lines to: bragd's Daemon, or a test's
// stand-in. io thread only.
#pragma once

#include <optional>
#include <string>

namespace brag {

class Session;

class LineHandler {
 public:
  virtual ~LineHandler() = default;
  // One complete request line of `session` (without its '\n'). Returns the
  // reply line (with its '\n': it is written as given), or none when the
  // reply comes later through session.DeliverReply; the session reads no
  // further request until then.
  virtual std::optional<std::string> HandleLine(const std::string& line, Session& session) = 0;
  // `session` is closed: drop every reference to it.
  virtual void Forget(Session* session) = 0;
};

}  // namespace brag
