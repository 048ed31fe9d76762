#include "config/config.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "config/digest_schedule.h"
#include "core/paths.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::WriteFile;

using test::ScopedEnv;

fs::path ShippedConfig() {
  return fs::path(__FILE__).parent_path().parent_path().parent_path() /
         "config/brag.toml";
}

// A config file in its own temp folder, loaded on demand.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) : path_(dir_ / "brag.toml") {
    WriteFile(path_, text);
  }
  const fs::path& path() const { return path_; }
  std::string name() const { return path_.string(); }

  Result<Config> Load() {
    warnings_.clear();
    return LoadConfigFile(path_, &warnings_);
  }
  // Loads a file that must be valid.
  Config LoadOk() {
    Result<Config> r = Load();
    REQUIRE_MESSAGE(r.has_value(), r.error().message);
    return *r;
  }
  // Loads a file that must be rejected; returns the message.
  std::string LoadError() {
    Result<Config> r = Load();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "config");
    return r.error().message;
  }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  TempDir dir_{"config"};
  fs::path path_;
  std::vector<std::string> warnings_;
};

TEST_CASE("without a config file the built-in defaults apply") {
  TempDir xdg("xdg");
  ScopedEnv env("XDG_CONFIG_HOME", xdg.path().c_str());
  std::vector<std::string> warnings;
  Result<Config> r = LoadConfig("", &warnings);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK(*r == Config{});
  CHECK(r->source.empty());
  CHECK(warnings.empty());
}

TEST_CASE("the built-in defaults are the documented ones") {
  Config c;
  CHECK(c.identity_emails.empty());
  CHECK(c.mainline == std::vector<std::string>{"main", "master", "trunk", "develop"});
  CHECK(c.remotes == std::vector<std::string>{"origin", "upstream"});
  CHECK(c.incident_branches ==
        std::vector<std::string>{"incident/*", "hotfix/*", "inc-*", "sev*/*"});
  CHECK(c.long_lived == std::vector<std::string>{"dev", "development", "next",
                                                 "stable*", "release*", "*maint*",
                                                 "*.x", "[0-9]*.*[0-9]", "v[0-9]*"});
  CHECK(c.coauthor == "prompt");
  CHECK(c.poll_interval == std::chrono::seconds(30));
  CHECK(c.scan_depth == 3);
  CHECK(c.log_level == "info");
  CHECK(c.notify);
  CHECK(c.workday_start == 9 * 60);
  CHECK(c.ask_after_pull);
  CHECK(c.ask_timeout == std::chrono::seconds(60));
  CHECK(c.digest_schedule == "fri 16:00");
  CHECK(c.digest_format == "markdown");
  CHECK(c.polish_command.empty());
}

TEST_CASE("the shipped config/brag.toml loads to exactly the built-in defaults") {
  fs::path shipped = ShippedConfig();
  REQUIRE(fs::exists(shipped));
  std::vector<std::string> warnings;
  Result<Config> r = LoadConfigFile(shipped, &warnings);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK(r->source == shipped);
  Config loaded = *r;
  loaded.source.clear();
  CHECK(loaded == Config{});
  CHECK(warnings.empty());
}

TEST_CASE("the shipped config/brag.toml documents the keys that are commented out") {
  std::string text = test::ReadFile(ShippedConfig());
  CHECK(text.find("# emails = [") != std::string::npos);
  CHECK(text.find("user.email") != std::string::npos);
  CHECK(text.find("# [[repo]]") != std::string::npos);
  CHECK(text.find("~/code") != std::string::npos);
}

TEST_CASE("every key is read from the file") {
  ConfigFile file(R"(
[identity]
emails = ["me@example.com", "Me@Work.example.com"]

[detect]
mainline = ["main", "release"]
remotes = ["origin"]
incident_branches = ["fire/*"]
long_lived = ["prod", "v*"]
coauthor = "ignore"
poll_interval = "1h30m"

[[repo]]
path = "/src/payments"
name = "payments"
mainline = ["prod"]
long_lived = []

[[repo]]
path = "/src/web"

[scan]
roots = ["/src", "/work"]
depth = 5

[daemon]
socket = "/run/brag.sock"
log_level = "debug"
notify = false
workday_start = "07:30"

[journal]
path = "/data/journal.db"

[hooks]
ask_after_pull = false
ask_timeout = "500ms"

[digest]
schedule = "mon 09:30"
dir = "/data/digests"
format = "html"
polish_command = "llm --polish"
)");
  Config c = file.LoadOk();
  CHECK(c.source == file.path());
  CHECK(c.identity_emails ==
        std::vector<std::string>{"me@example.com", "Me@Work.example.com"});
  CHECK(c.mainline == std::vector<std::string>{"main", "release"});
  CHECK(c.remotes == std::vector<std::string>{"origin"});
  CHECK(c.incident_branches == std::vector<std::string>{"fire/*"});
  CHECK(c.poll_interval == std::chrono::minutes(90));
  REQUIRE(c.repos.size() == 2);
  CHECK(c.long_lived == std::vector<std::string>{"prod", "v*"});
  CHECK(c.coauthor == "ignore");
  CHECK(c.repos[0] ==
        RepoConfig{"/src/payments", "payments", {"prod"}, std::vector<std::string>{}});
  CHECK(c.repos[1] == RepoConfig{"/src/web", "", {}, std::nullopt});
  CHECK(c.scan_roots == std::vector<std::string>{"/src", "/work"});
  CHECK(c.scan_depth == 5);
  CHECK(c.socket == "/run/brag.sock");
  CHECK(c.log_level == "debug");
  CHECK_FALSE(c.notify);
  CHECK(c.workday_start == 7 * 60 + 30);
  CHECK(c.journal_path == "/data/journal.db");
  CHECK_FALSE(c.ask_after_pull);
  CHECK(c.ask_timeout == std::chrono::milliseconds(500));
  CHECK(c.digest_schedule == "mon 09:30");
  CHECK(c.digest_dir == "/data/digests");
  CHECK(c.digest_format == "html");
  CHECK(c.polish_command == "llm --polish");
  CHECK(file.warnings().empty());
}

TEST_CASE("keys not given keep their defaults") {
  ConfigFile file("[detect]\nremotes = [\"fork\"]\n");
  Config c = file.LoadOk();
  CHECK(c.remotes == std::vector<std::string>{"fork"});
  Config expected;
  expected.remotes = {"fork"};
  expected.source = file.path();
  CHECK(c == expected);
}

TEST_CASE("a leading ~ in a path is expanded to HOME") {
  ScopedEnv home("HOME", "/home/someone");
  ConfigFile file(R"(
[[repo]]
path = "~/code/payments"
[scan]
roots = ["~/code", "~", "/abs"]
[daemon]
socket = "~/brag.sock"
[journal]
path = "~/brag/journal.db"
[digest]
dir = "~/digests"
)");
  Config c = file.LoadOk();
  REQUIRE(c.repos.size() == 1);
  CHECK(c.repos[0].path == "/home/someone/code/payments");
  CHECK(c.scan_roots ==
        std::vector<std::string>{"/home/someone/code", "/home/someone", "/abs"});
  CHECK(c.socket == "/home/someone/brag.sock");
  CHECK(c.journal_path == "/home/someone/brag/journal.db");
  CHECK(c.digest_dir == "/home/someone/digests");
}

TEST_CASE("durations accept every unit and a bare number of seconds") {
  ConfigFile file(
      "[detect]\npoll_interval = \"250ms\"\n[hooks]\nask_timeout = \"2\"\n");
  Config c = file.LoadOk();
  CHECK(c.poll_interval == std::chrono::milliseconds(250));
  CHECK(c.ask_timeout == std::chrono::seconds(2));
}

TEST_CASE("a TOML syntax error names file, line and column") {
  ConfigFile file("[detect]\nremotes = [\"origin\"]\npoll_interval = = 2\n");
  std::string message = file.LoadError();
  CHECK(message.rfind(file.name() + ":3:17: ", 0) == 0);
  CHECK(message.size() > file.name().size() + 8);
}

TEST_CASE("an unclosed table header is a syntax error on its line") {
  ConfigFile file("# brag\n\n[detect\n");
  CHECK(file.LoadError().rfind(file.name() + ":3:", 0) == 0);
}

TEST_CASE("a number where a duration string belongs is an error at the value") {
  ConfigFile file("# brag\n[detect]\nmainline = [\"main\"]\npoll_interval = 30\n");
  CHECK(file.LoadError() == file.name() +
                                ":4:17: detect.poll_interval: expected a duration "
                                "string like \"30s\", got integer");
}

TEST_CASE("a malformed duration string is an error that says what is accepted") {
  ConfigFile file("[hooks]\nask_timeout = \"3q\"\n");
  CHECK(file.LoadError() ==
        file.name() +
            ":2:15: hooks.ask_timeout: bad duration '3q' (expected a number with a "
            "unit: ms, s, m, h, d, w — e.g. 30s, 5m, 1h30m)");
}

TEST_CASE("a zero poll interval is rejected") {
  ConfigFile file("[detect]\npoll_interval = \"0s\"\n");
  CHECK(file.LoadError().find(":2:17: detect.poll_interval: expected a duration "
                              "greater than zero") != std::string::npos);
}

TEST_CASE("a wrong element in a string array is an error at that element") {
  ConfigFile file("[detect]\nremotes = [\"origin\", 3]\n");
  CHECK(file.LoadError() ==
        file.name() + ":2:22: detect.remotes[1]: expected a string, got integer");
}

TEST_CASE("a string where an array belongs is an error") {
  ConfigFile file("[identity]\nemails = \"me@example.com\"\n");
  CHECK(file.LoadError() == file.name() +
                                ":2:10: identity.emails: expected an array of "
                                "strings, got string");
}

TEST_CASE("a string where a boolean belongs is an error") {
  ConfigFile file("[daemon]\nnotify = \"yes\"\n");
  CHECK(file.LoadError() ==
        file.name() + ":2:10: daemon.notify: expected true or false, got string");
}

TEST_CASE("a scan depth below one is an error") {
  for (const char* depth : {"0", "-2"}) {
    ConfigFile file(std::string("[scan]\ndepth = ") + depth + "\n");
    CHECK(file.LoadError() == file.name() +
                                  ":2:9: scan.depth: expected an integer "
                                  ">= 1, got " +
                                  depth);
  }
  ConfigFile file("[scan]\ndepth = \"3\"\n");
  CHECK(file.LoadError() ==
        file.name() + ":2:9: scan.depth: expected an integer >= 1, got string");
}

TEST_CASE("an unknown log level is an error listing the known ones") {
  ConfigFile file("[daemon]\nlog_level = \"loud\"\n");
  CHECK(file.LoadError() == file.name() +
                                ":2:13: daemon.log_level: expected one of debug, "
                                "info, warn, error, got 'loud'");
}

TEST_CASE("the work day's start is a time of day") {
  ConfigFile file("[daemon]\nworkday_start = \"9am\"\n");
  CHECK(file.LoadError() == file.name() +
                                ":2:17: daemon.workday_start: expected a time of day "
                                "such as \"09:00\", got '9am'");
}

TEST_CASE("[scan] exclude matches a repo's path or its folder name") {
  Config c;
  c.scan_exclude = {"/home/me/code/vendor/*", "*/archive/*", "linux", "*-fork"};
  CHECK(IsExcluded(c, "/home/me/code/vendor/lib"));
  CHECK(IsExcluded(c, "/home/me/code/vendor/deep/lib"));  // * crosses /
  CHECK(IsExcluded(c, "/home/me/code/team/archive/old"));
  CHECK(IsExcluded(c, "/home/me/code/linux"));
  CHECK(IsExcluded(c, "/home/me/code/linux/"));
  CHECK(IsExcluded(c, "/home/me/code/payments-fork"));
  CHECK_FALSE(IsExcluded(c, "/home/me/code/payments"));
  CHECK_FALSE(IsExcluded(c, "/home/me/code/linux-tools"));
  CHECK_FALSE(IsExcluded(c, "/home/me/code/vendor"));
  CHECK_FALSE(IsExcluded(Config{}, "/home/me/code/linux"));
}

TEST_CASE("[scan] exclude expands ~ like the roots") {
  ScopedEnv home("HOME", "/home/me");
  ConfigFile file("[scan]\nexclude = [\"~/code/forks/*\", \"linux\"]\n");
  Config c = file.LoadOk();
  CHECK(file.warnings().empty());
  CHECK(c.scan_exclude == std::vector<std::string>{"/home/me/code/forks/*", "linux"});
  CHECK(IsExcluded(c, "/home/me/code/forks/flask"));
}

TEST_CASE("the digest format is markdown, md, html or json") {
  ConfigFile md("[digest]\nformat = \"md\"\n");
  CHECK(md.LoadOk().digest_format == "markdown");
  ConfigFile json("[digest]\nformat = \"json\"\n");
  CHECK(json.LoadOk().digest_format == "json");
  ConfigFile pdf("[digest]\nformat = \"pdf\"\n");
  CHECK(pdf.LoadError() == pdf.name() +
                               ":2:10: digest.format: expected one of markdown, md, "
                               "html, json, got 'pdf'");
}

TEST_CASE("the digest schedule is a day and a time") {
  for (const char* good : {"fri 16:00", "friday 16:00", "daily 09:30", "Sun 7:05"}) {
    ConfigFile file(std::string("[digest]\nschedule = \"") + good + "\"\n");
    CHECK(file.LoadOk().digest_schedule == good);
  }
  for (const char* bad : {"fri", "fri 25:00", "someday 10:00", "fri 16:0", "16:00",
                          "fri 16:60", "fri 16h00"}) {
    INFO("schedule: ", bad);
    ConfigFile file(std::string("[digest]\nschedule = \"") + bad + "\"\n");
    std::string message = file.LoadError();
    CHECK(message.rfind(file.name() + ":2:12: digest.schedule: bad schedule '", 0) ==
          0);
    CHECK(message.find("fri 16:00") != std::string::npos);
  }
}

TEST_CASE("ParseDigestSchedule gives the weekday and time") {
  Result<DigestSchedule> fri = ParseDigestSchedule("fri 16:00");
  REQUIRE(fri.has_value());
  CHECK(*fri == DigestSchedule{5, 16, 0});
  Result<DigestSchedule> daily = ParseDigestSchedule("daily 9:30");
  REQUIRE(daily.has_value());
  CHECK(*daily == DigestSchedule{DigestSchedule::kEveryDay, 9, 30});
  Result<DigestSchedule> sunday = ParseDigestSchedule("SUNDAY 23:59");
  REQUIRE(sunday.has_value());
  CHECK(*sunday == DigestSchedule{0, 23, 59});
  Result<DigestSchedule> bad = ParseDigestSchedule("fri ");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == "bad_schedule");
}

TEST_CASE("a [[repo]] without a path is an error at its table") {
  ConfigFile file("[scan]\ndepth = 2\n\n[[repo]]\nname = \"x\"\n");
  CHECK(file.LoadError() == file.name() + ":4:1: repo: missing required key 'path'");
}

TEST_CASE("a [repo] table instead of [[repo]] is an error") {
  ConfigFile file("[repo]\npath = \"/src/x\"\n");
  CHECK(file.LoadError().find(": repo: expected [[repo]] tables, got table") !=
        std::string::npos);
}

TEST_CASE("a section that is not a table is an error") {
  ConfigFile file("detect = 3\n");
  CHECK(file.LoadError() ==
        file.name() + ":1:10: detect: expected a table, got integer");
}

TEST_CASE("each unknown key is a warning naming it by its dotted path") {
  ConfigFile file(R"([detect]
mainline = ["main"]
mainlin = ["oops"]

[detekt]
poll_interval = "5s"

[[repo]]
path = "/src/x"
nmae = "x"
)");
  Config c = file.LoadOk();
  CHECK(c.mainline == std::vector<std::string>{"main"});
  REQUIRE(c.repos.size() == 1);
  CHECK(c.repos[0].path == "/src/x");
  CHECK(c.poll_interval == std::chrono::seconds(30));
  std::vector<std::string> expected{
      file.name() + ":3:1: unknown key 'detect.mainlin' (ignored)",
      file.name() + ":5:2: unknown key 'detekt' (ignored)",
      file.name() + ":10:1: unknown key 'repo.nmae' (ignored)",
  };
  CHECK(file.warnings() == expected);
}

TEST_CASE("a missing explicit config file is an error") {
  TempDir dir("missing");
  fs::path missing = dir / "nope.toml";
  Result<Config> r = LoadConfig(missing.string(), nullptr);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "config");
  CHECK(r.error().message == missing.string() + ": no such file");
}

TEST_CASE("a directory given as the config file is an error naming it") {
  TempDir dir("dir");
  Result<Config> r = LoadConfigFile(dir.path(), nullptr);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "config");
  CHECK(r.error().message == dir.path().string() + ": cannot read (Is a directory)");
}

TEST_CASE("an explicit config path is loaded") {
  ConfigFile file("[scan]\ndepth = 7\n");
  Result<Config> r = LoadConfig(file.name(), nullptr);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK(r->scan_depth == 7);
  CHECK(r->source == file.path());
}

TEST_CASE("BRAG_CONFIG is used when no explicit path is given") {
  ConfigFile file("[scan]\ndepth = 8\n");
  ConfigFile other("[scan]\ndepth = 9\n");
  ScopedEnv env("BRAG_CONFIG", file.name().c_str());
  Result<Config> from_env = LoadConfig("", nullptr);
  REQUIRE_MESSAGE(from_env.has_value(), from_env.error().message);
  CHECK(from_env->scan_depth == 8);
  Result<Config> explicit_wins = LoadConfig(other.name(), nullptr);
  REQUIRE_MESSAGE(explicit_wins.has_value(), explicit_wins.error().message);
  CHECK(explicit_wins->scan_depth == 9);
}

TEST_CASE("a missing BRAG_CONFIG file is an error") {
  TempDir dir("missing");
  std::string missing = (dir / "nope.toml").string();
  ScopedEnv env("BRAG_CONFIG", missing.c_str());
  Result<Config> r = LoadConfig("", nullptr);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == missing + ": no such file");
}

TEST_CASE("the default config file is loaded when it exists") {
  TempDir xdg("xdg");
  ScopedEnv env("XDG_CONFIG_HOME", xdg.path().c_str());
  WriteFile(xdg / "brag/config.toml", "[daemon]\nlog_level = \"warn\"\nlogg = 1\n");
  std::vector<std::string> warnings;
  Result<Config> r = LoadConfig("", &warnings);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK(r->log_level == "warn");
  CHECK(r->source == xdg / "brag/config.toml");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("unknown key 'daemon.logg'") != std::string::npos);
}

TEST_CASE("BRAG_SOCKET wins over [daemon] socket, which wins over the default") {
  TempDir runtime("run");
  ScopedEnv xdg("XDG_RUNTIME_DIR", runtime.path().c_str());
  Config config;
  {
    ScopedEnv env("BRAG_SOCKET", nullptr);
    CHECK(SocketPath(config) == runtime / "brag/bragd.sock");
    config.socket = "/from/config.sock";
    CHECK(SocketPath(config) == fs::path("/from/config.sock"));
  }
  {
    ScopedEnv env("BRAG_SOCKET", "");
    CHECK(SocketPath(config) == fs::path("/from/config.sock"));
  }
  ScopedEnv env("BRAG_SOCKET", "/from/env.sock");
  CHECK(SocketPath(config) == fs::path("/from/env.sock"));
}

TEST_CASE("journal and digest paths come from the config or the XDG defaults") {
  TempDir data("data");
  ScopedEnv xdg("XDG_DATA_HOME", data.path().c_str());
  Config config;
  CHECK(JournalPath(config) == data / "brag/journal.db");
  CHECK(DigestDir(config) == data / "brag/digests");
  config.journal_path = "/j/journal.db";
  config.digest_dir = "/d";
  CHECK(JournalPath(config) == fs::path("/j/journal.db"));
  CHECK(DigestDir(config) == fs::path("/d"));
}

}  // namespace
}  // namespace brag

namespace brag {

TEST_CASE("detect.watch takes auto or poll and nothing else") {
  ConfigFile poll("[detect]\nwatch = \"poll\"\n");
  CHECK(poll.LoadOk().watch == Config::Watch::kPoll);
  ConfigFile automatic("[detect]\nwatch = \"auto\"\n");
  CHECK(automatic.LoadOk().watch == Config::Watch::kAuto);
  ConfigFile bad("[detect]\nwatch = \"fanotify\"\n");
  CHECK(bad.LoadError() ==
        bad.name() + ":2:9: detect.watch: expected \"auto\" or \"poll\", got 'fanotify'");
}

TEST_CASE("detect.coauthor takes prompt or ignore and nothing else") {
  ConfigFile ignore("[detect]\ncoauthor = \"ignore\"\n");
  CHECK(ignore.LoadOk().coauthor == "ignore");
  ConfigFile bad("[detect]\ncoauthor = \"never\"\n");
  CHECK(bad.LoadError() ==
        bad.name() +
            ":2:12: detect.coauthor: expected \"prompt\" or \"ignore\", got 'never'");
  ConfigFile number("[detect]\ncoauthor = 1\n");
  CHECK(number.LoadError().find("detect.coauthor") != std::string::npos);
}

TEST_CASE("detect.long_lived is a list of globs, per repo too") {
  ConfigFile file(R"([detect]
long_lived = ["*.x"]

[[repo]]
path = "/src/a"
long_lived = ["prod"]
)");
  Config c = file.LoadOk();
  CHECK(c.long_lived == std::vector<std::string>{"*.x"});
  REQUIRE(c.repos.size() == 1);
  CHECK(c.repos[0].long_lived == std::vector<std::string>{"prod"});
  ConfigFile bad("[detect]\nlong_lived = \"stable\"\n");
  CHECK(bad.LoadError().find("detect.long_lived") != std::string::npos);
}

}  // namespace brag
