#include "core/paths.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "support/temp_dir.h"

namespace brag {
namespace {

namespace fs = std::filesystem;

using test::ScopedEnv;

TEST_CASE("XDG_CONFIG_HOME decides where the config file is") {
  ScopedEnv xdg("XDG_CONFIG_HOME", "/xdg/config");
  CHECK(DefaultConfigPath() == fs::path("/xdg/config/brag/config.toml"));
}

TEST_CASE("without XDG_CONFIG_HOME the config is under ~/.config") {
  ScopedEnv home("HOME", "/home/someone");
  ScopedEnv xdg("XDG_CONFIG_HOME", nullptr);
  CHECK(DefaultConfigPath() == fs::path("/home/someone/.config/brag/config.toml"));
}

TEST_CASE("a relative or empty XDG variable is ignored, as the XDG spec says") {
  ScopedEnv home("HOME", "/home/someone");
  {
    ScopedEnv xdg("XDG_CONFIG_HOME", "relative/config");
    CHECK(DefaultConfigPath() == fs::path("/home/someone/.config/brag/config.toml"));
  }
  ScopedEnv xdg("XDG_DATA_HOME", "");
  CHECK(DefaultDataDir() == fs::path("/home/someone/.local/share/brag"));
}

TEST_CASE("XDG_DATA_HOME decides where the journal and digests are") {
  ScopedEnv xdg("XDG_DATA_HOME", "/xdg/data");
  CHECK(DefaultDataDir() == fs::path("/xdg/data/brag"));
  CHECK(DefaultJournalPath() == fs::path("/xdg/data/brag/journal.db"));
  CHECK(DefaultDigestDir() == fs::path("/xdg/data/brag/digests"));
}

TEST_CASE("without XDG_DATA_HOME the journal is under ~/.local/share") {
  ScopedEnv home("HOME", "/home/someone");
  ScopedEnv xdg("XDG_DATA_HOME", nullptr);
  CHECK(DefaultJournalPath() == fs::path("/home/someone/.local/share/brag/journal.db"));
  CHECK(DefaultDigestDir() == fs::path("/home/someone/.local/share/brag/digests"));
}

TEST_CASE("ExpandHome replaces a leading ~ and nothing else") {
  ScopedEnv home("HOME", "/home/someone");
  CHECK(ExpandHome("~") == fs::path("/home/someone"));
  CHECK(ExpandHome("~/code/payments") == fs::path("/home/someone/code/payments"));
  CHECK(ExpandHome("/abs/path") == fs::path("/abs/path"));
  CHECK(ExpandHome("relative/~/x") == fs::path("relative/~/x"));
  CHECK(ExpandHome("~other/code") == fs::path("~other/code"));
  CHECK(ExpandHome("") == fs::path(""));
}

TEST_CASE("the socket lives in XDG_RUNTIME_DIR when it is set") {
  ScopedEnv runtime("XDG_RUNTIME_DIR", "/run/user/1000");
  CHECK(DefaultSocketPath() == fs::path("/run/user/1000/brag/bragd.sock"));
}

TEST_CASE("without XDG_RUNTIME_DIR the socket is in a per-user folder of TMPDIR") {
  ScopedEnv runtime("XDG_RUNTIME_DIR", nullptr);
  std::string user_dir = "brag-" + std::to_string(getuid());
  {
    ScopedEnv tmp("TMPDIR", "/var/tmp");
    CHECK(DefaultSocketPath() == fs::path("/var/tmp") / user_dir / "bragd.sock");
  }
  ScopedEnv tmp("TMPDIR", nullptr);
  CHECK(DefaultSocketPath() == fs::path("/tmp") / user_dir / "bragd.sock");
}

}  // namespace
}  // namespace brag
