// Columns a person can read down: cells padded to their column's width, as
// a terminal shows them (a CJK character or an emoji takes two columns, a
// combining mark none), under a header. Colour is added after the padding,
// so escape codes never count.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cli/format.h"

namespace brag::cli {

// The columns `text` takes on a terminal: UTF-8 decoded, East Asian wide and
// emoji code points 2, combining marks and zero-width ones 0, anything else
// (a stray byte too) 1.
size_t DisplayWidth(std::string_view text);

struct Cell {
  std::string text;  // inert already (format.h's Text)
  Tone tone = Tone::kPlain;
};

// Rows under a header, printed with two spaces between columns; the last
// column is not padded, no line ends in spaces, and a column with no text
// in any row is left out, header and all.
class Table {
 public:
  // Each line starts with `indent`.
  explicit Table(std::vector<std::string> header, std::string indent = "")
      : header_(std::move(header)), indent_(std::move(indent)) {}

  void Add(std::vector<Cell> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }

  // The header (dim when colouring), then each row, each line ending in '\n'.
  std::string Render(const Style& style) const;

 private:
  std::vector<std::string> header_;
  std::string indent_;
  std::vector<std::vector<Cell>> rows_;
};

}  // namespace brag::cli
