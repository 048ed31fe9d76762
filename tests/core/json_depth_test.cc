#include "core/json_depth.h"

#include <doctest/doctest.h>

#include <string>

namespace brag {
namespace {

std::string Nested(size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

TEST_CASE("JSON nesting is counted up to the bound and refused one past it") {
  CHECK_FALSE(JsonTooDeep(""));
  CHECK_FALSE(JsonTooDeep("{\"a\":1}"));
  CHECK_FALSE(JsonTooDeep(Nested(kMaxJsonDepth)));
  CHECK(JsonTooDeep(Nested(kMaxJsonDepth + 1)));
  CHECK(JsonTooDeep(Nested(100000)));
  CHECK(JsonTooDeep(std::string(100000, '{')));  // unclosed counts too
  CHECK_FALSE(JsonTooDeep(Nested(3), 3));
  CHECK(JsonTooDeep(Nested(4), 3));
  // Siblings do not add up: depth, not count.
  std::string siblings;
  for (int i = 0; i < 1000; ++i) siblings += "[{}],";
  CHECK_FALSE(JsonTooDeep("[" + siblings + "1]", 3));
  // Objects and arrays mixed.
  CHECK(JsonTooDeep(R"({"a":[{"b":[1]}]})", 3));
  CHECK_FALSE(JsonTooDeep(R"({"a":[{"b":[1]}]})", 4));
}

TEST_CASE("brackets inside strings do not count, escapes minded") {
  CHECK_FALSE(JsonTooDeep("[\"" + std::string(1000, '[') + "\"]", 1));
  // An escaped quote does not end the string...
  CHECK_FALSE(JsonTooDeep(R"(["\"[[[[", 1])", 1));
  // ...an escaped backslash before the quote does.
  CHECK(JsonTooDeep(R"(["\\", [[1]]])", 2));
  CHECK_FALSE(JsonTooDeep(R"(["\\", [[1]]])", 3));
  // Stray closers do not let later openers through uncounted.
  CHECK(JsonTooDeep("]]]]" + Nested(5), 4));
}

}  // namespace
}  // namespace brag
