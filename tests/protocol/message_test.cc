// Framing of docs/protocol.md ("Framing"): request lines parsed, reply lines
// written, a stream cut into lines at the 64 KiB limit. Request ids are
// request_id_test.cc's, nesting depth json_depth_test.cc's.
#include "protocol/message.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace brag::protocol {
namespace {

using nlohmann::json;

// Parses `line`, which must be refused; returns its error code, and the id
// ParseRequest hands back for the error reply in *id.
std::string Refused(const std::string& line, json* id) {
  Result<Request> req = ParseRequest(line, id);
  REQUIRE_FALSE(req.has_value());
  return req.error().code;
}

TEST_CASE("a request's id, method and params are read as sent") {
  json id;
  Result<Request> req =
      ParseRequest(R"({"id":7,"method":"status","params":{"repo":"/x","n":2}})", &id);
  REQUIRE(req.has_value());
  CHECK(req->id == 7);
  CHECK(id == 7);
  CHECK(req->method == "status");
  CHECK(req->params == json{{"repo", "/x"}, {"n", 2}});
}

TEST_CASE("id and params are optional: a null id and empty params") {
  json id = "stale";
  Result<Request> req = ParseRequest(R"({"method":"ping"})", &id);
  REQUIRE(req.has_value());
  CHECK(req->id.is_null());
  CHECK(id.is_null());
  CHECK(req->params == json::object());
  Result<Request> null_params = ParseRequest(R"({"id":"a","method":"ping","params":null})", &id);
  REQUIRE(null_params.has_value());
  CHECK(null_params->params == json::object());
  CHECK(null_params->id == "a");
}

TEST_CASE("a line that is not JSON, or not UTF-8, is a parse_error with a null id") {
  json id = 5;
  CHECK(Refused("", &id) == "parse_error");
  CHECK(id.is_null());
  CHECK(Refused("{\"id\":1,\"method\":", &id) == "parse_error");
  CHECK(Refused("hello", &id) == "parse_error");
  CHECK(Refused("{\"id\":1,\"method\":\"ping\"} trailing", &id) == "parse_error");
  CHECK(Refused("{\"id\":1,\"method\":\"p\xff\"}", &id) == "parse_error");
  CHECK(Refused("{\"id\":1,\"method\":\"\xc3\"}", &id) == "parse_error");  // cut in two
  CHECK(id.is_null());
}

TEST_CASE("a request that is not an object is bad_request") {
  json id = 5;
  CHECK(Refused("[1,2]", &id) == "bad_request");
  CHECK(Refused("\"status\"", &id) == "bad_request");
  CHECK(Refused("42", &id) == "bad_request");
  CHECK(Refused("null", &id) == "bad_request");
  CHECK(id.is_null());
}

TEST_CASE("a missing or non-string method is bad_request, and the id still comes back") {
  json id;
  CHECK(Refused(R"({"id":9})", &id) == "bad_request");
  CHECK(id == 9);
  CHECK(Refused(R"({"id":"x","method":3})", &id) == "bad_request");
  CHECK(id == "x");
  CHECK(Refused(R"({"id":"y","method":null})", &id) == "bad_request");
  CHECK(id == "y");
}

TEST_CASE("params that are not an object are bad_request, and the id still comes back") {
  json id;
  CHECK(Refused(R"({"id":3,"method":"log","params":[1]})", &id) == "bad_request");
  CHECK(id == 3);
  CHECK(Refused(R"({"id":4,"method":"log","params":"all"})", &id) == "bad_request");
  CHECK(id == 4);
  CHECK(Refused(R"({"id":5,"method":"log","params":0})", &id) == "bad_request");
  CHECK(id == 5);
}

TEST_CASE("reply, error, event and request lines are one JSON object and one newline") {
  auto parsed = [](const std::string& line) {
    REQUIRE(!line.empty());
    CHECK(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
    return json::parse(line);
  };
  CHECK(parsed(ReplyLine(1, {{"ok", true}})) == json{{"id", 1}, {"result", {{"ok", true}}}});
  CHECK(parsed(ErrorLine(nullptr, "line_too_long", "too long")) ==
        json{{"id", nullptr}, {"error", {{"code", "line_too_long"}, {"message", "too long"}}}});
  CHECK(parsed(EventLine("prompt", {{"n", 1}})) == json{{"event", "prompt"}, {"data", {{"n", 1}}}});
  CHECK(parsed(RequestLine("a", "log", json::object())) ==
        json{{"id", "a"}, {"method", "log"}, {"params", json::object()}});
  // A newline inside a value is escaped, not a second line.
  CHECK(ReplyLine(1, "two\nlines") == "{\"id\":1,\"result\":\"two\\nlines\"}\n");
}

TEST_CASE("a reply holding invalid UTF-8 (a commit message's) is written with it replaced") {
  std::string line = ReplyLine(1, std::string("fix \xff bug"));
  CHECK(line == "{\"id\":1,\"result\":\"fix \xef\xbf\xbd bug\"}\n");
}

// Every line a LineBuffer holds, until it needs more.
std::vector<std::string> PopAll(LineBuffer& buf) {
  std::vector<std::string> lines;
  std::string line;
  while (buf.Pop(&line) == LineBuffer::Next::kLine) lines.push_back(line);
  return lines;
}

TEST_CASE("a stream is cut into lines however its bytes arrive") {
  LineBuffer buf;
  std::string stream = "{\"a\":1}\n\n{\"b\":2}\r\nlast";
  // One byte at a time.
  std::vector<std::string> lines;
  for (char c : stream) {
    buf.Append(&c, 1);
    for (std::string& l : PopAll(buf)) lines.push_back(l);
  }
  CHECK(lines == std::vector<std::string>{"{\"a\":1}", "", "{\"b\":2}\r"});
  // "last" has no newline yet: not a line.
  std::string line;
  CHECK(buf.Pop(&line) == LineBuffer::Next::kNeedMore);
  buf.Append("\n", 1);
  CHECK(buf.Pop(&line) == LineBuffer::Next::kLine);
  CHECK(line == "last");
}

TEST_CASE("a request line of exactly 64 KiB is accepted, one byte more is too long") {
  CHECK(kMaxLineBytes == 65536);
  std::string at_limit(65536, 'x');
  LineBuffer ok;
  ok.Append(at_limit.data(), at_limit.size());
  std::string line;
  CHECK(ok.Pop(&line) == LineBuffer::Next::kNeedMore);  // no newline yet
  ok.Append("\n", 1);
  REQUIRE(ok.Pop(&line) == LineBuffer::Next::kLine);
  CHECK(line.size() == 65536);

  // One byte over, newline and all in one piece.
  LineBuffer over;
  std::string too_long(65537, 'x');
  too_long += '\n';
  over.Append(too_long.data(), too_long.size());
  CHECK(over.Pop(&line) == LineBuffer::Next::kTooLong);

  // One byte over and no newline yet: known too long before it ends.
  LineBuffer open;
  open.Append(too_long.data(), 65537);
  CHECK(open.Pop(&line) == LineBuffer::Next::kTooLong);
}

TEST_CASE("the limit is per line: many lines together may pass it") {
  LineBuffer buf(10);
  std::string stream;
  for (int i = 0; i < 100; ++i) stream += "0123456789\n";
  buf.Append(stream.data(), stream.size());
  CHECK(PopAll(buf).size() == 100);
  std::string line;
  buf.Append("01234567890", 11);
  CHECK(buf.Pop(&line) == LineBuffer::Next::kTooLong);
}

}  // namespace
}  // namespace brag::protocol
