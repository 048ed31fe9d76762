#include "core/uuid.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

namespace brag {
namespace {

// Fills `out` from getrandom(2) (Linux 3.17 and later, glibc 2.25: every
// system brag builds on). 0, or the errno of the failure.
int FillRandom(uint8_t* out, size_t size) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::getrandom(out + got, size - got, 0);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      return errno;
    }
  }
  return 0;
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::string FormatUuidV4(std::array<uint8_t, 16> bytes) {
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // variant 10
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0f];
  }
  return out;
}

Result<std::string> NewUuid() {
  std::array<uint8_t, 16> bytes{};
  if (int failed = FillRandom(bytes.data(), bytes.size()); failed != 0) {
    return MakeError("uuid", std::string("no random bytes for a UUID (getrandom: ") +
                                 std::strerror(failed) + ")");
  }
  return FormatUuidV4(bytes);
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsLowerHex(text[i])) return false;
  }
  return true;
}

}  // namespace brag
