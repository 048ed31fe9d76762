// Random UUIDs (RFC 9562 version 4): the identity of a journal record and of
// a machine, which must not collide across machines that never talked.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace brag {

// 16 bytes from the kernel's generator (getrandom(2)),
// with the version (4) and variant (10) bits set, as 36 characters
// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" in lowercase hex (y is 8, 9, a or
// b). No randomness to be had: code "uuid".
Result<std::string> NewUuid();

// The text form of 16 bytes, with the version and variant bits set as above
// (NewUuid without the randomness, for tests and for callers that have
// their own bytes).
std::string FormatUuidV4(std::array<uint8_t, 16> bytes);

// Whether `text` is a UUID in the form NewUuid writes (any version).
bool IsUuid(std::string_view text);

}  // namespace brag
