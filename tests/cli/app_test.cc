#include "cli/app.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/report.h"
#include "support/temp_dir.h"

namespace brag::cli {
namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run Brag(std::vector<const char*> args) {
  args.insert(args.begin(), "brag");
  std::ostringstream out, err;
  int code = RunBrag(static_cast<int>(args.size()), args.data(), out, err);
  return Run{code, out.str(), err.str()};
}

TEST_CASE("--version names brag and its version") {
  Run r = Brag({"--version"});
  CHECK(r.code == kExitOk);
  CHECK(r.out == std::string("brag ") + BRAG_VERSION + "\n");
}

TEST_CASE("--help lists every command with a line and ends with examples") {
  Run r = Brag({"--help"});
  CHECK(r.code == kExitOk);
  for (const char* command : {"status", "pending", "prompt", "answer", "snooze",
                              "dismiss", "note", "log", "repos"}) {
    CHECK_MESSAGE(r.out.find("  " + std::string(command) + " ") != std::string::npos,
                  command);
  }
  CHECK(r.out.find("Examples:") != std::string::npos);
}

TEST_CASE("each command has its own help without the top-level examples") {
  Run r = Brag({"repos", "add", "--help"});
  CHECK(r.code == kExitOk);
  CHECK(r.out.find("Watch a repository") != std::string::npos);
  CHECK(r.out.find("--name") != std::string::npos);
  CHECK(r.out.find("Examples:") == std::string::npos);
}

TEST_CASE("usage errors exit 2 with brag's error format") {
  Run unknown = Brag({"frobnicate"});
  CHECK(unknown.code == kExitUsage);
  CHECK(unknown.err.starts_with("brag: error: unknown command 'frobnicate'"));
  CHECK(Brag({}).code == kExitUsage);
  CHECK(Brag({"repos"}).code == kExitUsage);
  CHECK(Brag({"answer", "12"}).code == kExitUsage);
  CHECK(Brag({"answer", "twelve", "note"}).code == kExitUsage);
  CHECK(Brag({"log", "--kind", "commit"}).code == kExitUsage);
  CHECK(Brag({"log", "--since", "the dawn of time"}).code == kExitUsage);
  CHECK(Brag({"log", "--limit", "-3"}).code == kExitUsage);
  CHECK(Brag({"pending", "--bogus"}).code == kExitUsage);
}

TEST_CASE("a broken config exits 78 before any command runs") {
  test::TempDir dir("cli-app");
  test::WriteFile(dir / "config.toml", "[journal\npath = 3\n");
  std::string config = (dir / "config.toml").string();
  Run r = Brag({"pending", "--count", "--config", config.c_str()});
  CHECK(r.code == kExitConfig);
  CHECK(r.err.starts_with("brag: error: " + config + ":1:"));
  CHECK(r.err.ends_with("(config)\n"));
  CHECK(r.out == "");
}

TEST_CASE("helpers: words join with spaces, existing repo paths become absolute") {
  CHECK(JoinWords({"p95", "3.4s", "->", "18ms"}) == "p95 3.4s -> 18ms");
  CHECK(JoinWords({}) == "");
  CHECK(RepoArgument("payments-that-does-not-exist") == "payments-that-does-not-exist");
  CHECK(RepoArgument(".").starts_with("/"));
}

}  // namespace
}  // namespace brag::cli
