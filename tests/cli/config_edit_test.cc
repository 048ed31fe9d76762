#include "cli/config_edit.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "config/config.h"
#include "support/temp_dir.h"

namespace brag::cli {
namespace {

constexpr const char* kHandWritten = R"(# my brag config
[identity]
# emails = ["old@example.com"]
emails = [
  "me@example.com",  # home
  "me@corp.example", # work ] tricky
]

[scan]
depth = 2  # shallow
roots = ["~/src"]

[[repo]]
path = "~/elsewhere/api"
)";

TEST_CASE("SetTomlKey replaces a key's lines and keeps every other line") {
  std::string edited =
      SetTomlKey(kHandWritten, "identity", "emails", TomlStringArray({"a@x.org", "b@y.org"}));
  CHECK(edited == R"(# my brag config
[identity]
# emails = ["old@example.com"]
emails = ["a@x.org", "b@y.org"]

[scan]
depth = 2  # shallow
roots = ["~/src"]

[[repo]]
path = "~/elsewhere/api"
)");
  std::vector<std::string> warnings;
  Result<Config> parsed = ParseConfigText(edited, "config.toml", &warnings);
  REQUIRE(parsed.has_value());
  CHECK(parsed->identity_emails == std::vector<std::string>{"a@x.org", "b@y.org"});
  CHECK(parsed->scan_depth == 2);
  CHECK(warnings.empty());
}

TEST_CASE("SetTomlKey adds a missing key under its table, and a missing table at the end") {
  std::string text = "[scan]\ndepth = 2\n\n[detect]\nroots = [\"not scan's\"]\n";
  std::string edited = SetTomlKey(text, "scan", "roots", TomlStringArray({"~/code"}));
  CHECK(edited == "[scan]\nroots = [\"~/code\"]\ndepth = 2\n\n[detect]\nroots = [\"not scan's\"]\n");
  edited = SetTomlKey("[scan]\ndepth = 2\n", "identity", "emails", TomlStringArray({"me@x.org"}));
  CHECK(edited == "[scan]\ndepth = 2\n\n[identity]\nemails = [\"me@x.org\"]\n");
  CHECK(SetTomlKey("", "scan", "roots", "[]") == "[scan]\nroots = []\n");
}

TEST_CASE("TomlStringArray escapes what TOML needs escaped") {
  std::string array = TomlStringArray({"a\"b", "c\\d", "~/my code"});
  CHECK(array == R"(["a\"b", "c\\d", "~/my code"])");
  std::vector<std::string> warnings;
  Result<Config> parsed =
      ParseConfigText("[scan]\nroots = " + array + "\n", "config.toml", &warnings);
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->scan_roots.size() == 3);
  CHECK(parsed->scan_roots[0] == "a\"b");
  CHECK(parsed->scan_roots[1] == "c\\d");
}

TEST_CASE("WriteFileAtomically makes the folder 0700 and a new file 0600, and keeps a file's mode") {
  test::TempDir dir("edit");
  std::filesystem::path file = dir.path() / "brag" / "config.toml";
  REQUIRE(WriteFileAtomically(file, "one\n").has_value());
  CHECK(test::ReadFile(file) == "one\n");
  struct stat st;
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  REQUIRE(::stat(file.parent_path().c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0700);
  ::chmod(file.c_str(), 0640);
  REQUIRE(WriteFileAtomically(file, "two\n").has_value());
  CHECK(test::ReadFile(file) == "two\n");
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(!std::filesystem::exists(dir.path() / "brag" / "config.toml.brag-new"));
}

}  // namespace
}  // namespace brag::cli
