#include "core/text.h"

#include <doctest/doctest.h>

#include <string>

namespace brag {
namespace {

TEST_CASE("a PR title with terminal escapes is shown as the characters, not acted on") {
  CHECK(InertText("Fix \x1b]0;pwned\a the index") == "Fix \\e]0;pwned\\x07 the index");
  CHECK(InertText("\x1b[2J\x1b[31mred") == "\\e[2J\\e[31mred");
  CHECK(InertText(std::string("nul\0byte", 8)) == "nul\\x00byte");
  CHECK(InertText("del\x7f") == "del\\x7f");
}

TEST_CASE("C1 controls are shown visibly, as raw bytes and as UTF-8") {
  CHECK(InertText("csi \xc2\x9b"
                  "2J") == "csi \\u009b2J");
  CHECK(InertText("nel \xc2\x85.") == "nel \\u0085.");
  CHECK(InertText("raw \x9b"
                  "2J") == "raw \\x9b2J");
}

TEST_CASE("a newline or a tab inside a one-line field becomes a space") {
  CHECK(InertText("first\nsecond\r\nthird\tfourth") == "first second  third fourth");
}

TEST_CASE("letters of every script pass untouched") {
  std::string text =
      "Caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x9a\x80 \xc2\xb7 \xc2\xa0 plain";
  CHECK(InertText(text) == text);
  CHECK(InertText("") == "");
}

TEST_CASE("invalid UTF-8 is shown byte by byte and the rest of the text survives") {
  CHECK(InertText("a\xff"
                  "b") == "a\\xffb");
  CHECK(InertText("cut \xe4\xb8") == "cut \\xe4\\xb8");  // truncated at the end
  CHECK(InertText("\xc0\xaf overlong") == "\\xc0\\xaf overlong");
  CHECK(InertText("\xed\xa0\x80 surrogate") == "\\xed\\xa0\\x80 surrogate");
  CHECK(InertText("\xf4\x90\x80\x80 too big") == "\\xf4\\x90\\x80\\x80 too big");
  CHECK(InertText("\xe4\x1b[2J") == "\\xe4\\e[2J");  // an escape hidden in a sequence
}

TEST_CASE("AppendInertText adds to what the line already holds") {
  std::string line = "bragd: info: ";
  AppendInertText(line, "prompt \x1b[2J");
  CHECK(line == "bragd: info: prompt \\e[2J");
}

}  // namespace
}  // namespace brag
