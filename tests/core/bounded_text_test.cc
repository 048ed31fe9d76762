#include "core/bounded_text.h"

#include <doctest/doctest.h>

namespace brag {

TEST_CASE("text within the cap is kept as it is") {
  CHECK(CapUtf8("Add composite index", 1000) == "Add composite index");
  CHECK(CapUtf8("", 3).empty());
  CHECK(CapUtf8("abc", 3) == "abc");
}

TEST_CASE("text over the cap is cut and ends in an ellipsis, within the cap") {
  std::string ten_mb(10 * 1000 * 1000, 'x');
  std::string capped = CapUtf8(ten_mb, 1000);
  CHECK(capped.size() == 1000);
  CHECK(capped.substr(0, 997) == std::string(997, 'x'));
  CHECK(capped.substr(997) == "\xE2\x80\xA6");
}

TEST_CASE("a cut never splits a multi-byte character") {
  // "é" is 2 bytes, "€" 3, "😀" 4: every cut point lands inside one of them.
  std::string text;
  for (int i = 0; i < 50; ++i) text += "é€😀";
  for (size_t cap = 3; cap < 40; ++cap) {
    std::string capped = CapUtf8(text, cap);
    REQUIRE(capped.size() <= cap);
    std::string kept = capped.substr(0, capped.size() - 3);
    CHECK(text.compare(0, kept.size(), kept) == 0);
    // The kept prefix ends where a character of `text` starts.
    CHECK((kept.size() == text.size() ||
           (static_cast<unsigned char>(text[kept.size()]) & 0xC0) != 0x80));
  }
}

}  // namespace brag
