#include "core/bounded_text.h"

namespace brag {

namespace {
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}
}  // namespace

std::string CapUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  // Back up to the first byte of the character the cut falls in.
  while (cut > 0 && IsContinuationByte(text[cut])) --cut;
  std::string out(text.substr(0, cut));
  out += kEllipsis;
  return out;
}

}  // namespace brag
