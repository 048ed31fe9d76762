#include <doctest/doctest.h>

#include <string>

#include "protocol/message.h"

namespace brag::protocol {
namespace {

using nlohmann::json;

// The error ParseRequest gives `line`, and the id it would echo.
struct Refusal {
  std::string code;
  std::string message;
  json id;
};

Refusal Refuse(const std::string& line) {
  json id;
  Result<Request> req = ParseRequest(line, &id);
  REQUIRE_FALSE(req.has_value());
  return Refusal{req.error().code, req.error().message, id};
}

TEST_CASE("a 30-digit request id is refused, quoted as sent, never as a float") {
  Refusal r = Refuse(R"({"id":123456789012345678901234567890,"method":"hello"})");
  CHECK(r.code == "bad_request");
  CHECK_MESSAGE(r.message.find("123456789012345678901234567890") != std::string::npos,
                r.message);
  CHECK_MESSAGE(r.message.find("e+29") == std::string::npos, r.message);
  CHECK(r.id.is_null());
  std::string reply = ErrorLine(r.id, r.code, r.message);
  CHECK_MESSAGE(reply.find("e+") == std::string::npos, reply);
}

TEST_CASE("request ids that are not 64-bit integers are quoted exactly as typed") {
  CHECK(Refuse(R"({"id":1.5,"method":"hello"})").message.find("id 1.5 ") !=
        std::string::npos);
  CHECK(Refuse(R"({"id":1e2,"method":"hello"})").message.find("id 1e2 ") !=
        std::string::npos);
  CHECK(Refuse(R"({"id":-9223372036854775809,"method":"hello"})")
            .message.find("id -9223372036854775809 ") != std::string::npos);
  CHECK(Refuse(R"({"id":18446744073709551616,"method":"hello"})")
            .message.find("id 18446744073709551616 ") != std::string::npos);
  CHECK(
      Refuse(R"({"id":["a",{"n":2.50}],"method":"hello"})").message.find("id 2.50 ") !=
      std::string::npos);
}

TEST_CASE("the id kept of a repeated id member is the one checked") {
  Refusal r = Refuse(R"({"id":7,"params":{"id":1.5},"id":2.25,"method":"hello"})");
  CHECK(r.message.find("id 2.25 ") != std::string::npos);
  json id;
  Result<Request> ok =
      ParseRequest(R"({"id":1.5,"params":{"id":0.5},"id":3,"method":"hello"})", &id);
  REQUIRE(ok.has_value());
  CHECK(ok->id == 3);
}

TEST_CASE("integer, string, null and nested ids without floats are echoed as sent") {
  for (const char* id :
       {"9223372036854775807", "-9223372036854775808", "18446744073709551615",
        "\"1.5\"", "null", "[1,\"x\",{\"k\":2}]"}) {
    std::string line = std::string(R"({"id":)") + id + R"(,"method":"hello"})";
    json parsed_id;
    Result<Request> req = ParseRequest(line, &parsed_id);
    REQUIRE_MESSAGE(req.has_value(), line);
    std::string reply = ReplyLine(req->id, json::object());
    CHECK_MESSAGE(reply == std::string(R"({"id":)") + id + R"(,"result":{}})" + "\n",
                  reply);
  }
}

}  // namespace
}  // namespace brag::protocol
