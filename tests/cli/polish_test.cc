#include "cli/polish.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace brag::cli {
namespace {

using std::chrono::milliseconds;

TEST_CASE("the polish command gets the draft on stdin and its stdout is the result") {
  Result<std::string> r = RunPolishCommand("tr a-z A-Z", "draft\n", milliseconds(10000));
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  CHECK(*r == "DRAFT\n");
}

TEST_CASE("a large draft passes through without deadlock") {
  std::string big(1 << 20, 'a');
  Result<std::string> r = RunPolishCommand("cat", big, milliseconds(20000));
  REQUIRE(r.has_value());
  CHECK(r->size() == big.size());
}

TEST_CASE("a command that fails, prints nothing or does not read is an error") {
  Result<std::string> failed = RunPolishCommand("exit 3", "x", milliseconds(10000));
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code == "polish");
  CHECK(failed.error().message.find("exited with status 3") != std::string::npos);
  Result<std::string> silent = RunPolishCommand("cat >/dev/null", "x", milliseconds(10000));
  REQUIRE_FALSE(silent.has_value());
  CHECK(silent.error().message.find("printed nothing") != std::string::npos);
  // Never reads its stdin: brag must get EPIPE, not die of SIGPIPE.
  Result<std::string> deaf =
      RunPolishCommand("echo ok", std::string(1 << 20, 'a'), milliseconds(10000));
  REQUIRE(deaf.has_value());
  CHECK(*deaf == "ok\n");
}

TEST_CASE("a command past its time is killed with its children") {
  auto start = std::chrono::steady_clock::now();
  Result<std::string> r = RunPolishCommand("sleep 30 & sleep 30", "x", milliseconds(300));
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("ran longer than 300 ms") != std::string::npos);
  CHECK(took < std::chrono::seconds(10));
}

}  // namespace
}  // namespace brag::cli
