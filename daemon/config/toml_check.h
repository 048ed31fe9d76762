// The checks a config text passes before toml++ sees it. toml++ 3.3 (Debian
// 12) reaches __builtin_unreachable() in its Unicode whitespace tables for
// most non-ASCII characters outside strings (e.g. the two bytes C3 80), and
// its assertions fire on malformed UTF-8 and control characters; so only
// text that is valid UTF-8, free of control characters, and ASCII outside
// strings and comments (TOML 1.0 bare keys are ASCII only) gets to it.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace brag {

// `text` without a leading UTF-8 byte order mark, or error "config" with
// message "FILE:LINE:COLUMN: what" (LINE and COLUMN 1-based, the column in
// characters). Checks: valid UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF); no control characters but tab, LF and CR before
// LF; U+FEFF only as the first character; non-ASCII characters only inside
// strings and comments, and never right after a backslash (with only
// whitespace between) in a basic string.
Result<std::string_view> CheckTomlText(std::string_view text, const std::string& file);

}  // namespace brag
