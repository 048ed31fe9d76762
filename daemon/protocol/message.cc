#include "protocol/message.h"

#include "core/json_depth.h"
#include "protocol/request_id.h"

namespace brag::protocol {

using nlohmann::json;

Result<Request> ParseRequest(std::string_view line, json* id_out) {
  *id_out = nullptr;
  if (JsonTooDeep(line)) {
    return MakeError("parse_error", "the line nests arrays and objects too deeply (more than " +
                                        std::to_string(kMaxJsonDepth) + " levels)");
  }
  json doc = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // nlohmann validates UTF-8 inside strings, so invalid UTF-8 lands here.
    return MakeError("parse_error", "the line is not valid JSON (or not UTF-8)");
  }
  if (!doc.is_object()) {
    return MakeError("bad_request", "a request must be a JSON object");
  }
  Request req;
  if (auto it = doc.find("id"); it != doc.end()) req.id = *it;
  if (Status s = CheckRequestId(line, req.id); !s) return s.error();  // id_out: null
  *id_out = req.id;
  auto method = doc.find("method");
  if (method == doc.end() || !method->is_string()) {
    return MakeError("bad_request", "a request needs a string \"method\"");
  }
  req.method = method->get<std::string>();
  req.params = json::object();
  if (auto p = doc.find("params"); p != doc.end() && !p->is_null()) {
    if (!p->is_object()) {
      return MakeError("bad_request", "\"params\" must be an object");
    }
    req.params = *p;
  }
  return req;
}

namespace {
std::string Line(const json& j) {
  // Replace invalid UTF-8 (e.g. from a commit message) rather than throw.
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  s += '\n';
  return s;
}
}  // namespace

std::string ReplyLine(const json& id, const json& result) {
  return Line(json{{"id", id}, {"result", result}});
}

std::string ErrorLine(const json& id, const std::string& code,
                      const std::string& message) {
  return Line(json{{"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

std::string EventLine(const std::string& event, const json& data) {
  return Line(json{{"event", event}, {"data", data}});
}

std::string RequestLine(const json& id, const std::string& method,
                        const json& params) {
  return Line(json{{"id", id}, {"method", method}, {"params", params}});
}

LineBuffer::Next LineBuffer::Pop(std::string* line) {
  size_t nl = buf_.find('\n', scanned_);
  if (nl == std::string::npos) {
    scanned_ = buf_.size();
    return buf_.size() > max_line_ ? Next::kTooLong : Next::kNeedMore;
  }
  if (nl > max_line_) return Next::kTooLong;
  line->assign(buf_, 0, nl);
  buf_.erase(0, nl + 1);
  scanned_ = 0;
  return Next::kLine;
}

}  // namespace brag::protocol
