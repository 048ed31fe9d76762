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
  CHECK(
      unknown.err.starts_with("brag: error: unknown command \"frobnicate\" (one of: "));
  CHECK(Brag({}).code == kExitUsage);
  Run repos = Brag({"repos"});
  CHECK(repos.code == kExitUsage);
  CHECK(repos.err ==
        "brag: error: brag repos needs a command (one of: add, rm, list)\n");
  CHECK(Brag({"answer", "12"}).code == kExitUsage);
  CHECK(Brag({"answer", "twelve", "note"}).code == kExitUsage);
  CHECK(Brag({"log", "--kind", "commit"}).code == kExitUsage);
  CHECK(Brag({"log", "--since", "the dawn of time"}).code == kExitUsage);
  Run limit = Brag({"log", "--limit", "-3"});
  CHECK(limit.code == kExitUsage);
  CHECK(
      limit.err ==
      "brag: error: --limit: '-3' is not a number of 0 or more (see brag help log)\n");
  CHECK(Brag({"pending", "--bogus"}).code == kExitUsage);
}

TEST_CASE("a mistyped command is a usage error that offers the command meant") {
  Run top = Brag({"stauts"});
  CHECK(top.code == kExitUsage);
  CHECK(top.err ==
        "brag: error: unknown command \"stauts\" (did you mean \"status\"?)\n");
  CHECK(top.out == "");
  Run nested = Brag({"repos", "lsit"});
  CHECK(nested.code == kExitUsage);
  CHECK(nested.err ==
        "brag: error: unknown command \"repos lsit\" (did you mean \"repos list\"?)\n");
}

TEST_CASE("brag help is brag --help, and brag help COMMAND is its --help") {
  Run help = Brag({"help"});
  CHECK(help.code == kExitOk);
  CHECK(help.out == Brag({"--help"}).out);
  CHECK(help.out.find("  help ") != std::string::npos);
  Run answer = Brag({"help", "answer"});
  CHECK(answer.code == kExitOk);
  CHECK(answer.out == Brag({"answer", "--help"}).out);
  CHECK(answer.out.find("File the impact note") != std::string::npos);
  CHECK(Brag({"help", "repos", "add"}).out == Brag({"repos", "add", "--help"}).out);
  Run typo = Brag({"help", "pendnig"});
  CHECK(typo.code == kExitUsage);
  CHECK(typo.err ==
        "brag: error: unknown command \"pendnig\" (did you mean \"pending\"?)\n");
}

TEST_CASE("a prompt id that is not a number says so in words") {
  Run r = Brag({"answer", "abc", "note"});
  CHECK(r.code == kExitUsage);
  CHECK(r.err ==
        "brag: error: \"abc\" is not a prompt id (ids are whole numbers from 1; "
        "see brag pending)\n");
  Run zero = Brag({"dismiss", "0"});
  CHECK(zero.code == kExitUsage);
  CHECK(zero.err.starts_with("brag: error: \"0\" is not a prompt id ("));
}

TEST_CASE(
    "other usage errors say where the command's usage is, never a protocol code") {
  Run r = Brag({"answer", "12"});
  CHECK(r.code == kExitUsage);
  CHECK(r.err.starts_with("brag: error: "));
  CHECK(r.err.ends_with(" (see brag help answer)\n"));
}

TEST_CASE("a broken config exits 78 before any command runs") {
  test::TempDir dir("cli-app");
  test::WriteFile(dir / "config.toml", "[journal\npath = 3\n");
  std::string config = (dir / "config.toml").string();
  Run r = Brag({"pending", "--count", "--config", config.c_str()});
  CHECK(r.code == kExitConfig);
  CHECK(r.err.starts_with("brag: error: " + config + ":1:"));
  CHECK(r.err.ends_with("(fix the config file)\n"));
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
