// Text from outside (commit messages, PR titles) cut to a size bragd can
// store, push and log: at a UTF-8 character boundary, marked with "…".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace brag {

// `text` itself when it holds at most `max_bytes` bytes; else its longest
// prefix that ends on a character boundary and leaves room for "…" (3
// bytes), followed by "…", so the result never exceeds `max_bytes`
// (max_bytes >= 3).
std::string CapUtf8(std::string_view text, size_t max_bytes);

}  // namespace brag
