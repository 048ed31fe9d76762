#include "impact/note_text.h"

#include <charconv>

namespace brag::impact {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Bytes in the UTF-8 sequence that `lead` starts (1 for stray bytes, so the
// scanner always moves forward).
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC2 && lead < 0xE0) return 2;
  return 1;
}

// Two-byte sequences that are letters: µ (micro sign), Latin-1 letters except
// × and ÷, Latin Extended, Greek (μ). Everything else non-ASCII is a symbol,
// so "1.8s→240ms" splits at the arrow.
bool IsLetterSequence(std::string_view s) {
  if (s.size() != 2) return false;
  auto lead = static_cast<unsigned char>(s[0]);
  auto next = static_cast<unsigned char>(s[1]);
  if (lead == 0xC2) return next == 0xB5;
  if (lead == 0xC3) return next != 0x97 && next != 0xB7;
  return lead >= 0xC4 && lead <= 0xCF;
}

// Length of the word character at `pos`, or 0 if there is none.
size_t WordCharLength(std::string_view note, size_t pos) {
  char c = note[pos];
  if (IsAsciiAlpha(c) || IsDigit(c) || c == '_') return 1;
  if (static_cast<unsigned char>(c) < 0x80) return 0;
  size_t n = SequenceLength(static_cast<unsigned char>(c));
  if (pos + n > note.size()) return 0;
  return IsLetterSequence(note.substr(pos, n)) ? n : 0;
}

size_t ScanWord(std::string_view note, size_t pos) {
  while (pos < note.size()) {
    size_t n = WordCharLength(note, pos);
    if (n == 0) break;
    pos += n;
  }
  return pos;
}

size_t SkipDigits(std::string_view note, size_t pos) {
  while (pos < note.size() && IsDigit(note[pos])) ++pos;
  return pos;
}

// A comma is a thousands separator when exactly three digits follow it.
bool IsSeparatorAt(std::string_view note, size_t pos) {
  return note[pos] == ',' && SkipDigits(note, pos + 1) == pos + 4;
}

// Reads the number starting at token.begin; sets end, number and flags.
void ScanNumber(std::string_view note, Token& token) {
  size_t pos = SkipDigits(note, token.begin);
  while (pos < note.size() && IsSeparatorAt(note, pos)) {
    token.grouped = true;
    pos += 4;
  }
  if (pos + 1 < note.size() && note[pos] == '.' && IsDigit(note[pos + 1])) {
    token.decimal = true;
    pos = SkipDigits(note, pos + 1);
  }
  token.end = pos;
  char digits[64];
  size_t n = 0;
  for (size_t i = token.begin; i < pos && n < sizeof digits; ++i) {
    if (note[i] != ',') digits[n++] = note[i];
  }
  std::from_chars(digits, digits + n, token.number);
}

constexpr std::string_view kMultiCharSymbols[] = {"-->", "->", "=>", "<=", ">="};

size_t SymbolLength(std::string_view note, size_t pos) {
  for (std::string_view s : kMultiCharSymbols) {
    if (note.substr(pos).starts_with(s)) return s.size();
  }
  size_t n = SequenceLength(static_cast<unsigned char>(note[pos]));
  return pos + n > note.size() ? 1 : n;
}

}  // namespace

std::vector<Token> TokenizeNote(std::string_view note) {
  std::vector<Token> tokens;
  TokenizeNote(note, tokens);
  return tokens;
}

void TokenizeNote(std::string_view note, std::vector<Token>& tokens) {
  tokens.clear();
  tokens.reserve(note.size() / 3 + 1);
  bool spaced = true;
  size_t pos = 0;
  while (pos < note.size()) {
    if (IsSpace(note[pos])) {
      spaced = true;
      ++pos;
      continue;
    }
    Token token;
    token.begin = pos;
    token.spaced = spaced;
    if (IsDigit(note[pos])) {
      token.kind = TokenKind::kNumber;
      ScanNumber(note, token);
    } else if (WordCharLength(note, pos) > 0) {
      token.kind = TokenKind::kWord;
      token.end = ScanWord(note, pos);
    } else {
      token.end = pos + SymbolLength(note, pos);
    }
    token.text = note.substr(token.begin, token.end - token.begin);
    tokens.push_back(token);
    pos = token.end;
    spaced = false;
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

bool IsWordForm(std::string_view token, std::string_view word) {
  if (EqualsIgnoreCase(token, word)) return true;
  if (token.size() == word.size() + 1) {
    return LowerAscii(token.back()) == 's' &&
           EqualsIgnoreCase(token.substr(0, word.size()), word);
  }
  if (token.size() == word.size() + 2) {
    return EqualsIgnoreCase(token.substr(word.size()), "es") &&
           EqualsIgnoreCase(token.substr(0, word.size()), word);
  }
  return false;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool EndsClause(const Token& token) {
  if (token.kind != TokenKind::kSymbol || token.text.size() != 1) return false;
  char c = token.text[0];
  return c == '.' || c == ';' || c == '!' || c == '?';
}

}  // namespace brag::impact
