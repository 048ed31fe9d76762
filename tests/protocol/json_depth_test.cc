// Nesting past kMaxJsonDepth is refused before nlohmann parses it, in
// requests (ParseRequest) and in what the client reads from bragd.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

#include "core/json_depth.h"
#include "protocol/client.h"
#include "protocol/message.h"
#include "support/temp_dir.h"

namespace brag::protocol {
namespace {

using nlohmann::json;

// A request whose params nest `depth` levels in all (the request object
// and params count as two).
std::string DeepRequest(size_t depth) {
  return R"({"id":7,"method":"hello","params":{"x":)" + std::string(depth - 2, '[') + "1" +
         std::string(depth - 2, ']') + "}}";
}

TEST_CASE("a request at the nesting bound parses; one level more is a parse_error") {
  json id;
  Result<Request> ok = ParseRequest(DeepRequest(kMaxJsonDepth), &id);
  REQUIRE_MESSAGE(ok.has_value(), ok.error().message);
  CHECK(ok->method == "hello");
  CHECK(ok->id == 7);

  Result<Request> deep = ParseRequest(DeepRequest(kMaxJsonDepth + 1), &id);
  REQUIRE_FALSE(deep.has_value());
  CHECK(deep.error().code == "parse_error");
  CHECK(deep.error().message ==
        "the line nests arrays and objects too deeply (more than 64 levels)");
  CHECK(id.is_null());
}

TEST_CASE("a 100,000-deep request is refused and its error line is one valid JSON line") {
  std::string line = std::string(100000, '[') + std::string(100000, ']');
  json id;
  Result<Request> req = ParseRequest(line, &id);
  REQUIRE_FALSE(req.has_value());
  CHECK(req.error().code == "parse_error");
  std::string reply = ErrorLine(id, req.error().code, req.error().message);
  REQUIRE(reply.ends_with("\n"));
  json parsed = json::parse(reply);
  CHECK(parsed["error"]["code"] == "parse_error");
  // Unclosed nesting too: 100,000 '{' never reach nlohmann.
  CHECK(ParseRequest(std::string(100000, '{'), &id).error().code == "parse_error");
}

TEST_CASE("the client refuses a reply that nests too deeply, and reads the next one") {
  test::TempDir dir("jsondepth");
  ::chmod(dir.path().c_str(), 0700);
  std::string path = (dir / "s.sock").string();
  int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  Result<Client> client = Client::Connect(path);
  REQUIRE_MESSAGE(client.has_value(), client.error().message);
  int server = ::accept(listener, nullptr, nullptr);
  REQUIRE(server >= 0);
  // The reply to request 1 nests 100,000 levels; the reply to request 2 is fine.
  std::string deep = R"({"id":1,"result":)" + std::string(100000, '[') +
                     std::string(100000, ']') + "}\n" + R"({"id":2,"result":{"ok":true}})" +
                     "\n";
  // Written by the "server" side while the client reads (200 KB may not
  // fit in the socket's buffer).
  std::thread writer([server, &deep] {
    size_t sent = 0;
    while (sent < deep.size()) {
      ssize_t n = ::write(server, deep.data() + sent, deep.size() - sent);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  });
  Result<json> first = client->Call("hello", json::object(), 5000);
  REQUIRE_FALSE(first.has_value());
  CHECK(first.error().code == "parse_error");
  CHECK_MESSAGE(first.error().message.find("nests too deeply") != std::string::npos,
                first.error().message);
  Result<json> second = client->Call("hello", json::object(), 5000);
  REQUIRE_MESSAGE(second.has_value(), second.error().message);
  CHECK((*second)["ok"] == true);
  writer.join();
  ::close(server);
  ::close(listener);
}

}  // namespace
}  // namespace brag::protocol
