// The words, numbers and symbols of a free-form note, shared by metrics and
// sharpen here and by the digest's categories. A hand-written scanner, not a
// regex engine: the digest reads every note of a year in a few hundred
// milliseconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace brag::impact {

enum class TokenKind {
  kWord,    // starts with a letter, then letters and digits: "p99", "k8s", "µs"
  kNumber,  // starts with a digit: "8,400", "1.8" (thousands separators read)
  kSymbol,  // any other character, or "->", "=>", "-->", "<=", "→", "×", "€"
};

// One token of a note. `text` views the note, which must outlive it.
struct Token {
  TokenKind kind = TokenKind::kSymbol;
  size_t begin = 0;    // byte offset in the note
  size_t end = 0;      // one past the last byte
  bool spaced = true;  // whitespace, or the start of the note, comes before it
  std::string_view text;
  double number = 0;     // kNumber only: the value, separators dropped
  bool grouped = false;  // kNumber only: written with thousands separators
  bool decimal = false;  // kNumber only: written with a decimal point
};

// The tokens of `note` in order; whitespace separates tokens and is dropped.
// Letters outside ASCII (é, µ, Greek) are word characters; other non-ASCII
// characters are one symbol token each.
std::vector<Token> TokenizeNote(std::string_view note);
// The same into `tokens`, which keeps its room from note to note.
void TokenizeNote(std::string_view note, std::vector<Token>& tokens);

// `c` lower-cased if it is an ASCII capital.
inline char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// True when `token` is `word` or its plural ("endpoint", "endpoints";
// "fix", "fixes"), ignoring ASCII case.
bool IsWordForm(std::string_view token, std::string_view word);

// `text` with ASCII letters lower-cased.
std::string ToLower(std::string_view text);

// True for the symbols that end a sentence or clause: . ; ! ? and a line break
// would not be a token, so one-line notes only need these.
bool EndsClause(const Token& token);

// A hash table from words (or symbols) to V that ignores ASCII case: the
// vocabulary tables are built into one once, so a note costs one lookup per
// word instead of a scan per table.
template <typename V>
class WordTable {
 public:
  // The value for `word`, default-constructed on first use.
  V& Add(std::string_view word) { return map_[ToLower(word)]; }

  // The value for `word` in any case, or nullptr.
  const V* Find(std::string_view word) const {
    auto it = map_.find(word);
    return it == map_.end() ? nullptr : &it->second;
  }

 private:
  // Hash and equality that ignore ASCII case and take any string_view, so
  // that a lookup makes no lower-cased copy (FNV-1a).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      uint64_t h = 14695981039346656037u;
      for (char c : s)
        h = (h ^ static_cast<unsigned char>(LowerAscii(c))) * 1099511628211u;
      return static_cast<size_t>(h);
    }
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
      return EqualsIgnoreCase(a, b);
    }
  };
  std::unordered_map<std::string, V, Hash, Equal> map_;
};

}  // namespace brag::impact
