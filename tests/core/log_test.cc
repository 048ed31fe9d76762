#include "core/log.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "support/temp_dir.h"

namespace brag {
namespace {

// What Log writes to stderr while `log` runs, read back from a file.
template <typename Fn>
std::string CapturedStderr(Fn log) {
  test::TempDir dir("log");
  std::string path = (dir.path() / "stderr").string();
  int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(file >= 0);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(file, STDERR_FILENO);
  log();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(file);
  return test::ReadFile(path);
}

TEST_CASE(
    "a log line quoting a hostile PR title holds no terminal escape and stays one "
    "line") {
  std::string written = CapturedStderr([] {
    LogInfo("prompt 3: payments PR #5 \x1b]0;pwned\a\x1b[2J\ninjected: line");
  });
  CHECK(written ==
        "bragd: info: prompt 3: payments PR #5 \\e]0;pwned\\x07\\e[2J "
        "injected: line\n");
}

TEST_CASE("a log line keeps letters of every script") {
  std::string written =
      CapturedStderr([] { LogWarn("repo caf\xc3\xa9 \xe4\xb8\xad"); });
  CHECK(written == "bragd: warning: repo caf\xc3\xa9 \xe4\xb8\xad\n");
}

}  // namespace
}  // namespace brag
