// Config text that toml++ 3.3 would crash or assert on never reaches it:
// ParseConfigText rejects it with FILE:LINE:COLUMN, and text that is only
// unusual (non-ASCII inside strings and comments, a BOM, CRLF) still loads.
#include <doctest/doctest.h>

#include <string>

#include "config/config.h"
#include "config/toml_check.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

// The error message for `text`, which must be rejected with code "config".
std::string Rejected(std::string_view text) {
  Result<Config> r = ParseConfigText(text, "brag.toml", nullptr);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "config");
  return r.error().message;
}

Config Accepted(std::string_view text) {
  Result<Config> r = ParseConfigText(text, "brag.toml", nullptr);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  return *r;
}

TEST_CASE("the inputs that crashed toml++ are rejected with file, line and column") {
  // A backspace: toml++ asserted on it (break 13).
  CHECK(Rejected("[\b$") == "brag.toml:1:2: control character U+0008 is not allowed");
  // U+FEFB and U+00C0 outside a string: toml++'s whitespace table reached
  // __builtin_unreachable().
  CHECK(Rejected("\xEF\xBB\xBB") ==
        "brag.toml:1:1: non-ASCII character U+FEFB outside a string or comment "
        "(bare keys are ASCII only; quote the key)");
  CHECK(Rejected("\xC3\x80").starts_with("brag.toml:1:1: non-ASCII character U+00C0 outside"));
  CHECK(Rejected("[scan]\ndepth = 3\n\xC3\xA9t\xC3\xA9 = 1\n")
            .starts_with("brag.toml:3:1: non-ASCII character U+00E9 outside"));
  CHECK(Rejected("[detect]\nmainline = [\"a\", \xC2\xA0\"b\"]\n")
            .starts_with("brag.toml:2:18: non-ASCII character U+00A0 outside"));
}

TEST_CASE("invalid UTF-8 is rejected") {
  CHECK(Rejected("# ok\n# \xC3") == "brag.toml:2:3: invalid UTF-8 (byte 0xC3)");  // truncated
  CHECK(Rejected("a = \"\xE2\x82\"") == "brag.toml:1:6: invalid UTF-8 (byte 0xE2)");
  CHECK(Rejected("a = \"\xC0\xAF\"") == "brag.toml:1:6: invalid UTF-8 (byte 0xC0)");  // overlong
  CHECK(Rejected("a = \"\xE0\x80\xAF\"") == "brag.toml:1:6: invalid UTF-8 (byte 0xE0)");
  CHECK(Rejected("a = \"\xED\xA0\x80\"") == "brag.toml:1:6: invalid UTF-8 (byte 0xED)");  // surrogate
  CHECK(Rejected("a = \"\xF4\x90\x80\x80\"") ==
        "brag.toml:1:6: invalid UTF-8 (byte 0xF4)");  // above U+10FFFF
  CHECK(Rejected("a = \"\x80\"") == "brag.toml:1:6: invalid UTF-8 (byte 0x80)");
  CHECK(Rejected("# \xFF") == "brag.toml:1:3: invalid UTF-8 (byte 0xFF)");
}

TEST_CASE("control characters other than tab and line ends are rejected, in comments too") {
  CHECK(Rejected(std::string("# a\0b", 5)) ==
        "brag.toml:1:4: control character U+0000 is not allowed");
  CHECK(Rejected("a = \"x\x1Fy\"") == "brag.toml:1:7: control character U+001F is not allowed");
  CHECK(Rejected("a = 1\x7F") == "brag.toml:1:6: control character U+007F is not allowed");
  CHECK(Rejected("a = 1\rb = 2") == "brag.toml:1:6: carriage return not followed by a line feed");
  CHECK(Rejected("a = 1\r") == "brag.toml:1:6: carriage return not followed by a line feed");
  CHECK(Accepted("[scan]\r\n\tdepth = 4\r\n").scan_depth == 4);
}

TEST_CASE("a byte order mark is stripped at the start and rejected elsewhere") {
  CHECK(Accepted("\xEF\xBB\xBF[scan]\ndepth = 5\n").scan_depth == 5);
  CHECK(Rejected("[scan]\ndepth = 5\n# \xEF\xBB\xBF") ==
        "brag.toml:3:3: byte order mark (U+FEFF) is only allowed at the start");
  CHECK(Rejected("\xEF\xBB\xBF\xEF\xBB\xBF").starts_with("brag.toml:1:1: byte order mark"));
}

TEST_CASE("non-ASCII text inside strings and comments is accepted") {
  Config c = Accepted(
      "# Konfiguration für Jürgen — ☃ 𝄞\n"
      "[detect]\n"
      "mainline = [\"hauptzweig-é\", 'wörk', \"\"\"\n"
      "mehr \\\"\"\" é\"\"\", '''\n"
      "ça''', \"\xC2\xA0\"]  # commentaire: été\n"
      "[\"digest\"]  # ü\n"
      "polish_command = \"naïve\"\n");
  CHECK(c.mainline == std::vector<std::string>{"hauptzweig-é", "wörk", "mehr \"\"\" é", "ça",
                                               "\xC2\xA0"});
  CHECK(c.polish_command == "naïve");
  // Quoted keys may hold any text (here an unknown one, so a warning).
  std::vector<std::string> warnings;
  Result<Config> r = ParseConfigText("[scan]\n\"tiefe-é\" = 1\n", "brag.toml", &warnings);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK(warnings == std::vector<std::string>{"brag.toml:2:1: unknown key 'scan.tiefe-é' (ignored)"});
}

TEST_CASE("a string's end is found like toml++ finds it") {
  // An escaped quote does not end a basic string: the é after it is inside.
  CHECK(Accepted("[digest]\npolish_command = \"a\\\"é\"\n").polish_command == "a\"é");
  // Up to two quotes before a multi-line string's closing delimiter belong
  // to it; what follows the delimiter is outside.
  CHECK(Accepted("[digest]\npolish_command = \"\"\"a\"\"\"\"\"\n").polish_command == "a\"\"");
  CHECK(Rejected("[digest]\npolish_command = \"\"\"a\"\"\"\"é\n")
            .starts_with("brag.toml:2:26: non-ASCII character U+00E9 outside"));
  // A literal string has no escapes: the backslash is the last character.
  CHECK(Rejected("a = 'x\\' é").starts_with("brag.toml:1:10: non-ASCII"));
  // An unterminated string ends at the line's end.
  CHECK(Rejected("a = \"x\né = 1").starts_with("brag.toml:2:1: non-ASCII"));
  CHECK(Rejected("a = 'x\né = 1").starts_with("brag.toml:2:1: non-ASCII"));
  // A '#' inside a string starts no comment.
  CHECK(Rejected("a = \"#\" é").starts_with("brag.toml:1:9: non-ASCII"));
}

TEST_CASE("non-ASCII right after a backslash in a basic string is rejected") {
  // toml++ tests it with the same whitespace tables (unreachable).
  CHECK(Rejected("a = \"\"\"\\\xC3\xA9\"\"\"") ==
        "brag.toml:1:9: non-ASCII character U+00E9 after a backslash");
  CHECK(Rejected("a = \"\"\"\\\n  \n \xC3\xA9\"\"\"") ==
        "brag.toml:3:2: non-ASCII character U+00E9 after a backslash");
  CHECK(Rejected("a = \"\\\xC2\xA0\"").starts_with("brag.toml:1:7: non-ASCII character U+00A0"));
  // Line-ending backslashes in a row: the whitespace after the last one is
  // skipped too (found by fuzz_config_loader in CI).
  CHECK(Rejected("a = \"\"\"= \"#\"\\\n\\\n \xC3\xA9\"\"\"") ==
        "brag.toml:3:2: non-ASCII character U+00E9 after a backslash");
  // An escaped backslash ends the escape: what follows is the string's.
  CHECK(Accepted("[digest]\npolish_command = \"\"\"a \\\\\n é\"\"\"\n").polish_command ==
        "a \\\n é");
  // A line-ending backslash followed by ASCII is fine.
  CHECK(Accepted("[digest]\npolish_command = \"\"\"a \\\n   b é\"\"\"\n").polish_command ==
        "a b é");
}

TEST_CASE("a config file with such bytes is rejected by LoadConfigFile with its path") {
  test::TempDir dir("tomlcheck");
  std::filesystem::path file = dir / "brag.toml";
  test::WriteFile(file, "[scan]\ndepth = 2\n\xC3\x80");
  Result<Config> r = LoadConfigFile(file, nullptr);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.starts_with(file.string() + ":3:1: non-ASCII character U+00C0"));
}

TEST_CASE("CheckTomlText returns the text after a byte order mark") {
  Result<std::string_view> r = CheckTomlText("\xEF\xBB\xBF" "a = 1", "f");
  REQUIRE(r.has_value());
  CHECK(*r == "a = 1");
}

}  // namespace
}  // namespace brag

namespace brag {
namespace {

// Found by fuzz_config_loader: toml++ scans a bare value up to a value
// terminator with its Unicode tables, so a quote inside a bare token opens
// no string there.
TEST_CASE("a quote inside a bare value or key opens no string") {
  CHECK(Rejected("[daemon]\npoll_intesockule =0\"\xEF\xBB\xBBmun\n")
            .starts_with("brag.toml:2:21: non-ASCII character U+FEFB outside"));
  CHECK(Rejected("a = 1.\"\xC3\xA9\"").starts_with("brag.toml:1:8: non-ASCII"));
  CHECK(Rejected("a = [\n  1,\n  2.'\xC3\xA9']").starts_with("brag.toml:3:6: non-ASCII"));
  CHECK(Rejected("a = 1979-05-27T07:32:00Z\"\xC3\xA9\"").starts_with("brag.toml:1:26: non-ASCII"));
  CHECK(Rejected("ab\"\xC3\xA9\" = 1").starts_with("brag.toml:1:4: non-ASCII"));
  // A bracket inside a bare token opens nothing either (also found by the fuzzer).
  CHECK(Rejected("[detect]\nmainline =0[\"m\xC3\xA9\"]\n")
            .starts_with("brag.toml:2:15: non-ASCII character U+00E9 outside"));
  // After a terminator a new token starts: strings in arrays and inline tables.
  CHECK(Accepted("[detect]\nmainline = [\"m\xC3\xA9\",'x',\n \"y\"]\n").mainline ==
        std::vector<std::string>{"m\xC3\xA9", "x", "y"});
  CHECK(Accepted("[[repo]]\npath = \"/r\"\nname = \"n\" # \xC3\xA9\n").repos.size() == 1);
  // In a key, a quote after '.' still opens a string.
  std::vector<std::string> warnings;
  Result<Config> r = ParseConfigText("[scan]\nx.\"\xC3\xA9\" = 1\n", "brag.toml", &warnings);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK(warnings.size() == 1);
  // The value ends with its line: the next line's dotted key is a key again.
  r = ParseConfigText("[scan]\ndepth = 2\ny.\"\xC3\xA9\" = 1\n", "brag.toml", &warnings);
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK(r->scan_depth == 2);
}

}  // namespace
}  // namespace brag
