#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/command.h"
#include "cli/report.h"
#include "support/git_fixture.h"
#include "support/local_filesystem.h"
#include "support/temp_dir.h"

namespace brag::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run Brag(std::vector<std::string> words) {
  std::vector<const char*> argv{"brag"};
  for (const std::string& w : words) argv.push_back(w.c_str());
  std::ostringstream out, err;
  int code = RunBrag(static_cast<int>(argv.size()), argv.data(), out, err);
  return Run{code, out.str(), err.str()};
}

std::vector<json> Lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

TEST_CASE("hooks install, status --json and uninstall, one line per repo and hook") {
  test::TempDir t("cli-hooks");
  test::RequireLocalFilesystem(t.path());
  test::GitRepo repo = test::GitRepo::Init(t / "work");
  std::string path = repo.dir().string();
  test::WriteFile(repo.dir() / ".git" / "hooks" / "post-merge", "#!/bin/sh\n");

  Run install = Brag({"hooks", "install", path});
  REQUIRE_MESSAGE(install.code == kExitOk, install.err);
  CHECK(install.err == "");
  CHECK(install.out ==
        path + "  post-commit            installed\n" + path +
            "  post-merge             installed, chaining the original "
            "(post-merge.brag-orig)\n" +
            path + "  post-rewrite           installed\n" + path +
            "  reference-transaction  not needed: bragd sees ref changes "
            "on this filesystem (--all-hooks installs it)\n");

  Run status = Brag({"hooks", "status", "--json", path});
  REQUIRE(status.code == kExitOk);
  std::vector<json> states = Lines(status.out);
  REQUIRE(states.size() == 4);
  CHECK(states[0]["hook"] == "post-commit");
  CHECK(states[0]["state"] == "installed");
  CHECK(states[0]["original"].is_null());
  CHECK(states[1]["state"] == "chaining");
  CHECK(states[1]["original"] == path + "/.git/hooks/post-merge.brag-orig");
  CHECK(states[0]["needed"] == true);
  CHECK(states[0]["reason"].is_null());
  CHECK(states[3]["repo"] == path);
  CHECK(states[3]["hooks_dir"] == path + "/.git/hooks");
  CHECK(states[3]["hook"] == "reference-transaction");
  CHECK(states[3]["state"] == "not_installed");
  CHECK(states[3]["needed"] == false);
  CHECK(states[3]["reason"] == "bragd sees ref changes on this filesystem");
  Run text = Brag({"hooks", "status", path});
  CHECK(text.out.find("reference-transaction  not needed (bragd sees ref changes on "
                      "this filesystem)\n") != std::string::npos);

  Run uninstall = Brag({"hooks", "uninstall", path});
  REQUIRE(uninstall.code == kExitOk);
  CHECK(uninstall.out.find("post-merge             removed, the original restored\n") !=
        std::string::npos);
  Run after = Brag({"hooks", "status", path});
  CHECK(after.out.find("post-commit            not installed\n") != std::string::npos);
  CHECK(after.out.find("post-merge             foreign hook present (not brag's)\n") !=
        std::string::npos);
}

TEST_CASE("hooks install --all-hooks, or with watch = \"poll\", installs all four") {
  test::TempDir t("cli-hooks");
  test::GitRepo repo = test::GitRepo::Init(t / "work");
  std::string path = repo.dir().string();
  fs::path config = t / "poll.toml";
  test::WriteFile(config, "[detect]\nwatch = \"poll\"\n");
  std::vector<std::string> words;
  SUBCASE("--all-hooks") { words = {"hooks", "install", "--all-hooks", path}; }
  SUBCASE("a config that polls") {
    words = {"--config", config.string(), "hooks", "install", path};
  }
  Run install = Brag(words);
  REQUIRE_MESSAGE(install.code == kExitOk, install.err);
  CHECK(install.out.find("reference-transaction  installed\n") != std::string::npos);
  CHECK(fs::exists(repo.dir() / ".git" / "hooks" / "reference-transaction"));

  // Polling, a missing reference-transaction is needed and says how to fix it.
  fs::remove(repo.dir() / ".git" / "hooks" / "reference-transaction");
  Run status = Brag({"--config", config.string(), "hooks", "status", path});
  CHECK(
      status.out.find("reference-transaction  not installed, needed: bragd polls every "
                      "repo ([detect] watch = \"poll\"); `brag hooks install` adds "
                      "it\n") != std::string::npos);
  std::vector<json> states =
      Lines(Brag({"--config", config.string(), "hooks", "status", "--json", path}).out);
  REQUIRE(states.size() == 4);
  CHECK(states[3]["needed"] == true);
}

TEST_CASE("hooks install --help documents --all-hooks") {
  Run help = Brag({"hooks", "install", "--help"});
  CHECK(help.code == kExitOk);
  CHECK(help.out.find("--all-hooks") != std::string::npos);
  CHECK(help.out.find("reference-transaction") != std::string::npos);
  CHECK(Brag({"hooks", "status", "--all-hooks"}).code == kExitUsage);
}

TEST_CASE("a refused hook is an error naming it, and exit 1; the others install") {
  test::TempDir t("cli-hooks");
  test::GitRepo repo = test::GitRepo::Init(t / "work");
  test::WriteFile(repo.dir() / ".git" / "hooks" / "post-commit", "#!/bin/sh\n");
  test::WriteFile(repo.dir() / ".git" / "hooks" / "post-commit.brag-orig",
                  "#!/bin/sh\n");
  Run r = Brag({"hooks", "install", repo.dir().string()});
  CHECK(r.code == kExitFailure);
  CHECK(r.err.starts_with("brag: error: cannot install post-commit in " +
                          repo.dir().string() + ": "));
  CHECK(r.err.ends_with("(brag leaves a hook it did not write as it is)\n"));
  CHECK(r.out.find("post-merge             installed\n") != std::string::npos);
}

TEST_CASE("hooks commands on something that is no repo fail with exit 1") {
  test::TempDir t("cli-hooks");
  Run r = Brag({"hooks", "status", t.path().string()});
  CHECK(r.code == kExitFailure);
  CHECK(r.err.starts_with("brag: error: "));
  CHECK(r.err.ends_with("(give a folder in a git repository)\n"));
}

TEST_CASE("hooks --all with no watched repos says so; PATH with --all is usage") {
  Run all = Brag({"hooks", "install", "--all"});
  CHECK(all.code == kExitOk);
  CHECK(all.out == "No repos watched (add one with `brag repos add PATH`).\n");
  CHECK(Brag({"hooks", "status", "--all", "--json"}).out == "");
  CHECK(Brag({"hooks", "install", "--all", "/tmp"}).code == kExitUsage);
  CHECK(Brag({"hooks"}).code == kExitUsage);
  CHECK(Brag({"hooks", "install", "--json"}).code == kExitUsage);
}

TEST_CASE("brag hook takes any words after NAME, dashes too, and says nothing") {
  Run r = Brag({"hook", "reference-transaction", "--weird", "-x", "committed"});
  CHECK(r.code == kExitOk);
  CHECK(r.out == "");
  CHECK(r.err == "");
  Run none = Brag({"hook"});
  CHECK(none.code == kExitUsage);
  CHECK(none.err.starts_with("brag: error: "));
}

TEST_CASE("brag hook hands NAME and git's words to its command as they came") {
  std::vector<CommandSpec> specs = HookRunCommands();
  REQUIRE(specs.size() == 1);
  CHECK(specs[0].path == "hook");
  CLI::App app{"test", "brag"};
  Args args;
  specs[0].define(*app.add_subcommand("hook"), args);
  std::vector<std::string> argv{"hook", "post-rewrite", "amend", "--", "-q", "x y"};
  std::reverse(argv.begin(), argv.end());  // CLI11 parses a reversed vector
  app.parse(argv);
  CHECK(args.hook == "post-rewrite");
  CHECK(args.hook_args == std::vector<std::string>{"amend", "--", "-q", "x y"});
}

}  // namespace
}  // namespace brag::cli
