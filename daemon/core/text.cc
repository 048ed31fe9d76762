#include "core/text.h"

namespace brag {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool Continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length of the valid UTF-8 sequence at text[at] (lead byte >= 0x80),
// or 0: no overlong forms, no surrogates, nothing past U+10FFFF.
size_t Utf8Length(std::string_view text, size_t at) {
  auto byte = [&](size_t k) -> unsigned char {
    return at + k < text.size() ? static_cast<unsigned char>(text[at + k]) : 0;
  };
  unsigned char lead = byte(0);
  size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  // The second byte's range is narrower after a few leads (RFC 3629).
  unsigned char low = 0x80, high = 0xBF;
  if (lead < 0xC2 || lead > 0xF4) return 0;
  if (lead == 0xE0) low = 0xA0;
  if (lead == 0xED) high = 0x9F;
  if (lead == 0xF0) low = 0x90;
  if (lead == 0xF4) high = 0x8F;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (!Continuation(byte(k))) return 0;
  }
  return n;
}

void AppendHexByte(std::string& out, const char* prefix, unsigned char c) {
  out += prefix;
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

// Whether every byte is printable ASCII: most text, copied as it is.
bool PlainAscii(std::string_view text) {
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F) return false;
  }
  return true;
}

}  // namespace

void AppendInertText(std::string& out, std::string_view text) {
  if (PlainAscii(text)) {
    out += text;
    return;
  }
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
      ++i;
    } else if (c == 0x1B) {
      out += "\\e";
      ++i;
    } else if (c < 0x80) {
      AppendHexByte(out, "\\x", c);  // other C0 controls and DEL
      ++i;
    } else if (size_t n = Utf8Length(text, i); n == 0) {
      AppendHexByte(out, "\\x", c);
      ++i;
    } else if (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      AppendHexByte(out, "\\u00", static_cast<unsigned char>(text[i + 1]));  // C1
      i += 2;
    } else {
      out.append(text, i, n);
      i += n;
    }
  }
}

std::string InertText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendInertText(out, text);
  return out;
}

}  // namespace brag
