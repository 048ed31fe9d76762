// Plain string reading of commit messages, shared by the classifier's files.
// The shapes it reads are machine-written and fixed, so no regex engine is
// needed. Internal to daemon/detect/.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace brag::detect {

inline constexpr std::string_view kSpace = " \t\r";

std::string_view Trim(std::string_view s);

// Calls `fn(line)` for each line of `text`, without the line break.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  while (!text.empty()) {
    size_t end = text.find('\n');
    fn(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

// The trimmed subject and the body of a message (the body starts after the
// subject's line break; git separates them by a blank line, which Trim-based
// readers skip).
std::pair<std::string_view, std::string_view> SplitMessage(std::string_view message);

// The last paragraph of `body` (the lines after its last blank line, trailing
// blank lines left out); "" for an empty body.
std::string_view LastParagraph(std::string_view body);

// Removes `prefix` from the front of `s` if it is there.
bool Consume(std::string_view& s, std::string_view prefix);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// A PR number: 1 to 18 digits, so that it always fits an int64_t.
std::optional<int64_t> ParseNumber(std::string_view digits);

// Leading digits of `s`, removed from it.
std::string_view TakeDigits(std::string_view& s);

// The quoted name at the front of `s` ("'feature' into main"), removed from
// it with its quotes; nullopt when `s` does not start with a quoted name.
std::optional<std::string_view> TakeQuoted(std::string_view& s);

}  // namespace brag::detect
