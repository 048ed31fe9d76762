#include "detect/message_text.h"

#include <algorithm>
#include <charconv>

namespace brag::detect {

std::string_view Trim(std::string_view s) {
  size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

std::pair<std::string_view, std::string_view> SplitMessage(std::string_view message) {
  size_t start = message.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  message.remove_prefix(start);
  size_t end = message.find('\n');
  if (end == std::string_view::npos) return {Trim(message), {}};
  return {Trim(message.substr(0, end)), message.substr(end + 1)};
}

std::string_view LastParagraph(std::string_view body) {
  std::string_view paragraph;
  bool blank_before = true;
  ForEachLine(body, [&](std::string_view line) {
    if (Trim(line).empty()) {
      blank_before = true;
      return;
    }
    // A line after a blank one opens a new paragraph; any other extends the
    // current one up to its end.
    if (blank_before) paragraph = line;
    paragraph = std::string_view(paragraph.data(),
                                 line.data() + line.size() - paragraph.data());
    blank_before = false;
  });
  return paragraph;
}

bool Consume(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [&](char x, char y) { return lower(x) == lower(y); });
}

std::optional<int64_t> ParseNumber(std::string_view digits) {
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

std::string_view TakeDigits(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  std::string_view digits = s.substr(0, n);
  s.remove_prefix(n);
  return digits;
}

std::optional<std::string_view> TakeQuoted(std::string_view& s) {
  if (!Consume(s, "'")) return std::nullopt;
  size_t close = s.find('\'');
  if (close == std::string_view::npos || close == 0) return std::nullopt;
  std::string_view name = s.substr(0, close);
  s.remove_prefix(close + 1);
  return name;
}

}  // namespace brag::detect
