#include "cli/table.h"

#include <algorithm>
#include <cstdint>

namespace brag::cli {
namespace {

struct Range {
  char32_t first, last;
};

// Code points a terminal draws two columns wide (East Asian Wide and
// Fullwidth, and the emoji blocks).
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x3FFFD},
};

// Code points drawn over the previous one, or not at all.
constexpr Range kZero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489},   {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0E31, 0x0E31},   {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},   {0x200B, 0x200F}, {0x2028, 0x202E},
    {0x2060, 0x2064}, {0x20D0, 0x20FF},   {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

bool In(char32_t c, const Range* begin, const Range* end) {
  const Range* r = std::upper_bound(
      begin, end, c, [](char32_t v, const Range& x) { return v < x.first; });
  return r != begin && c <= (r - 1)->last;
}

// The code point at text[*i], moving *i past it; a byte that starts no valid
// sequence is read as itself.
char32_t Decode(std::string_view text, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(*i);
  size_t n = b >= 0xF0 && b < 0xF8 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
  if (b >= 0xF8) n = 1;
  if (n == 1 || *i + n > text.size()) {
    ++*i;
    return b;
  }
  char32_t c = b & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return b;
    }
    c = (c << 6) | (byte(*i + k) & 0x3F);
  }
  *i += n;
  return c;
}

}  // namespace

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t c = Decode(text, &i);
    if (In(c, std::begin(kZero), std::end(kZero))) continue;
    width += In(c, std::begin(kWide), std::end(kWide)) ? 2 : 1;
  }
  return width;
}

std::string Table::Render(const Style& style) const {
  size_t columns = header_.size();
  std::vector<size_t> widths(columns, 0);
  std::vector<bool> shown(columns, false);  // a column empty in every row is left out
  for (const std::vector<Cell>& row : rows_) {
    for (size_t k = 0; k < columns && k < row.size(); ++k) {
      widths[k] = std::max(widths[k], DisplayWidth(row[k].text));
      shown[k] = shown[k] || !row[k].text.empty();
    }
  }
  if (rows_.empty()) shown.assign(columns, true);
  for (size_t k = 0; k < columns; ++k)
    widths[k] = std::max(widths[k], DisplayWidth(header_[k]));
  // A line's cells, padded but for the last one that has text.
  auto line = [&](const std::vector<Cell>& cells) {
    size_t last = 0;
    for (size_t k = 0; k < cells.size() && k < columns; ++k)
      if (shown[k] && !cells[k].text.empty()) last = k;
    std::string out;
    bool first = true;
    for (size_t k = 0; k <= last && k < cells.size(); ++k) {
      if (!shown[k]) continue;
      if (!first) out += "  ";
      first = false;
      out += style.Paint(cells[k].text, cells[k].tone);
      if (k < last) out.append(widths[k] - DisplayWidth(cells[k].text), ' ');
    }
    return indent_ + out + "\n";
  };
  std::vector<Cell> head;
  for (const std::string& h : header_) head.push_back({h, Tone::kDim});
  std::string out = line(head);
  for (const std::vector<Cell>& row : rows_) out += line(row);
  return out;
}

}  // namespace brag::cli
