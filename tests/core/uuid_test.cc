#include "core/uuid.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace brag {
namespace {

TEST_CASE("a new UUID is 8-4-4-4-12 lowercase hex with the version 4 and variant bits") {
  for (int i = 0; i < 200; ++i) {
    Result<std::string> uuid = NewUuid();
    REQUIRE(uuid.has_value());
    CHECK(uuid->size() == 36);
    CHECK(IsUuid(*uuid));
    CHECK((*uuid)[14] == '4');
    CHECK(std::string("89ab").find((*uuid)[19]) != std::string::npos);
  }
}

TEST_CASE("the version and variant bits are forced, the rest of the bytes kept") {
  std::array<uint8_t, 16> ones;
  ones.fill(0xff);
  CHECK(FormatUuidV4(ones) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
  std::array<uint8_t, 16> zeros{};
  CHECK(FormatUuidV4(zeros) == "00000000-0000-4000-8000-000000000000");
  std::array<uint8_t, 16> counting{};
  for (size_t i = 0; i < counting.size(); ++i) counting[i] = static_cast<uint8_t>(i * 17);
  CHECK(FormatUuidV4(counting) == "00112233-4455-4677-8899-aabbccddeeff");
}

TEST_CASE("100,000 new UUIDs are all different") {
  std::set<std::string> seen;
  for (int i = 0; i < 100000; ++i) seen.insert(NewUuid().value());
  CHECK(seen.size() == 100000);
}

TEST_CASE("IsUuid takes the written form only") {
  CHECK(IsUuid("00112233-4455-4677-8899-aabbccddeeff"));
  CHECK_FALSE(IsUuid("00112233-4455-4677-8899-AABBCCDDEEFF"));
  CHECK_FALSE(IsUuid("00112233445546778899aabbccddeeff"));
  CHECK_FALSE(IsUuid("00112233-4455-4677-8899-aabbccddeef"));
  CHECK_FALSE(IsUuid("00112233-4455-4677-8899_aabbccddeeff"));
  CHECK_FALSE(IsUuid("0011223g-4455-4677-8899-aabbccddeeff"));
  CHECK_FALSE(IsUuid(""));
}

}  // namespace
}  // namespace brag
