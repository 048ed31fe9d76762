#include "config/toml_check.h"

#include <cstdint>
#include <cstdio>

namespace brag {
namespace {

// The length of the UTF-8 sequence at text[i] and its code point, or 0 when
// it is not a valid (shortest form, non-surrogate, <= U+10FFFF) sequence.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* cp) {
  auto byte = [&](size_t k) -> uint32_t {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0x100;
  };
  uint32_t b0 = byte(0);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  uint32_t lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    *cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    *cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    *cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    uint32_t b = byte(k);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    *cp = (*cp << 6) | (b & 0x3F);
  }
  return len;
}

std::string Hex(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

enum class State { kCode, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral };

// A character of a bare key or bare value (number, date, boolean), '.'
// aside (it also separates the parts of a dotted key).
bool IsBareChar(uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '+' || c == ':';
}

// What ends a bare value for toml++ (is_value_terminator, ASCII part).
bool IsValueTerminator(uint32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ']' || c == '}' ||
         c == ',' || c == '#';
}

size_t QuoteRun(std::string_view text, size_t i, char quote) {
  size_t n = 0;
  while (i + n < text.size() && text[i + n] == quote) ++n;
  return n;
}

}  // namespace

Result<std::string_view> CheckTomlText(std::string_view text, const std::string& file) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  size_t line = 1, column = 1;
  auto fail = [&](const std::string& what) -> Error {
    return MakeError("config", file + ":" + std::to_string(line) + ":" +
                                   std::to_string(column) + ": " + what);
  };
  State state = State::kCode;
  bool after_backslash = false;  // in a basic string, skipping an escape
  // In a multi-line basic string, skipping the whitespace after a
  // line-ending backslash: the first other character is the string's again.
  bool trimming = false;
  // A quote opens a string only where toml++ starts a token. In a value
  // (from '=' to the end of its line, or of the arrays and inline tables
  // opened after it), a bare token (number, date, boolean: "0[\"é" or
  // "1.\"é\"") runs to a value terminator (whitespace, ']', '}', ',', '#'),
  // and toml++ scans all of it with its Unicode tables: quotes and brackets
  // in it open nothing. In a key, a quote right after a bare key's
  // character opens nothing either ("ab\"é\"").
  bool in_value = false;
  bool in_bare = false;  // inside a bare token of a value
  size_t value_depth = 0;
  uint32_t prev = '\n';  // the previous character in code
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%02X", static_cast<unsigned char>(text[i]));
      return fail(std::string("invalid UTF-8 (byte 0x") + buf + ")");
    }
    if (cp == 0xFEFF) return fail("byte order mark (U+FEFF) is only allowed at the start");
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F) {
      return fail("control character " + Hex(cp) + " is not allowed");
    }
    if (cp == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) {
      return fail("carriage return not followed by a line feed");
    }
    size_t advance = len;
    switch (state) {
      case State::kCode:
        if (in_bare && IsValueTerminator(cp)) in_bare = false;
        if (cp >= 0x80) {
          return fail("non-ASCII character " + Hex(cp) +
                      " outside a string or comment (bare keys are ASCII only; "
                      "quote the key)");
        } else if (in_bare) {
          // part of the token
        } else if (cp == '#') {
          state = State::kComment;
        } else if ((cp == '"' || cp == '\'') && !(IsBareChar(prev) && !in_value)) {
          bool multi = QuoteRun(text, i, static_cast<char>(cp)) >= 3;
          if (multi) advance = 3;
          state = cp == '"' ? (multi ? State::kMultiBasic : State::kBasic)
                            : (multi ? State::kMultiLiteral : State::kLiteral);
        } else if (cp == '=') {
          in_value = true;
        } else if (in_value && (cp == '[' || cp == '{')) {
          ++value_depth;
        } else if (in_value && (cp == ']' || cp == '}') && value_depth > 0) {
          --value_depth;
        } else if (cp == '\n' && value_depth == 0) {
          in_value = false;
        } else if (in_value && !IsValueTerminator(cp)) {
          in_bare = true;
        }
        prev = state == State::kCode ? cp : ' ';  // a string or comment ends a token
        break;
      case State::kComment:
        if (cp == '\n') {
          state = State::kCode;
          if (value_depth == 0) in_value = false;
        }
        break;
      case State::kBasic:
      case State::kMultiBasic: {
        bool multi = state == State::kMultiBasic;
        bool space = cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n';
        if (after_backslash || trimming) {
          // toml++ tests what follows a backslash (and, in a multi-line
          // string, what follows the whitespace after a line-ending
          // backslash) with its Unicode whitespace tables.
          if (cp >= 0x80) return fail("non-ASCII character " + Hex(cp) + " after a backslash");
        }
        if (after_backslash) {
          after_backslash = false;
          trimming = multi && space;
          if (!multi && cp == '\n') state = State::kCode;
        } else if (!(trimming && space)) {
          trimming = false;
          if (cp == '\\') {
            after_backslash = true;
          } else if (cp == '"') {
            if (!multi) {
              state = State::kCode;
            } else {
              advance = QuoteRun(text, i, '"');
              if (advance >= 3) state = State::kCode;
            }
          } else if (cp == '\n' && !multi) {
            state = State::kCode;  // unterminated: toml++ says so
          }
        }
        break;
      }
      case State::kLiteral:
        if (cp == '\'' || cp == '\n') state = State::kCode;
        break;
      case State::kMultiLiteral:
        if (cp == '\'') {
          advance = QuoteRun(text, i, '\'');
          if (advance >= 3) state = State::kCode;
        }
        break;
    }
    if (cp == '\n') {
      ++line;
      column = 1;
    } else {
      column += advance == len ? 1 : advance;  // quote runs are ASCII
    }
    i += advance;
  }
  return text;
}

}  // namespace brag
