#include "methods/pages.h"

#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace brag {
namespace {

constexpr const char* kCursor = "a cursor (the \"next\" of an earlier reply)";

// Cursors are numbers joined with '.', and for the log 'e' or 'n' (event or
// free note) last.
std::vector<std::string> CursorParts(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::optional<int64_t> CursorNumber(const std::string& text) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits(text);
  if (negative) digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

Error BadCursor(const ParamReader& p) {
  return p.Invalid("after", MakeError("bad_request", "not a cursor this method gave"));
}

}  // namespace

int RowsToRead(int64_t limit) {
  return limit > 0 && limit <= kPageEntries ? static_cast<int>(limit) : kPageEntries + 1;
}

Result<int64_t> ReadLimit(const ParamReader& p) {
  Result<std::optional<int64_t>> limit = p.OptionalInt("limit", "an integer >= 0");
  if (!limit) return limit.error();
  if (limit->value_or(0) < 0 || limit->value_or(0) > std::numeric_limits<int>::max()) {
    return p.Invalid("limit", MakeError("bad_request", "expected an integer >= 0"));
  }
  return limit->value_or(0);
}

Result<std::optional<PromptCursor>> ReadPromptCursor(const ParamReader& p) {
  Result<std::optional<std::string>> text = p.OptionalString("after", kCursor);
  if (!text) return text.error();
  if (!*text) return std::optional<PromptCursor>();
  std::vector<std::string> parts = CursorParts(**text);
  if (parts.size() != 2) return BadCursor(p);
  std::optional<int64_t> time = CursorNumber(parts[0]), id = CursorNumber(parts[1]);
  if (!time || !id) return BadCursor(p);
  return std::optional<PromptCursor>(PromptCursor{*time, *id});
}

Result<std::optional<LogCursor>> ReadLogCursor(const ParamReader& p) {
  Result<std::optional<std::string>> text = p.OptionalString("after", kCursor);
  if (!text) return text.error();
  if (!*text) return std::optional<LogCursor>();
  std::vector<std::string> parts = CursorParts(**text);
  if (parts.size() != 3 || (parts[2] != "e" && parts[2] != "n")) return BadCursor(p);
  std::optional<int64_t> time = CursorNumber(parts[0]), id = CursorNumber(parts[1]);
  if (!time || !id) return BadCursor(p);
  return std::optional<LogCursor>(LogCursor{*time, *id, parts[2] == "e"});
}

}  // namespace brag
