#include "impact/sharpen.h"

#include <algorithm>
#include <iterator>

#include "impact/note_text.h"

namespace brag::impact {
namespace {

// The number to add to a note that has none, by the first row with a word in
// the note; the last row is the generic advice.
struct NumberHint {
  std::string_view words;  // separated by spaces
  std::string_view suggestion;
};

const NumberHint kNumberHints[] = {
    {"latency latencies slow slower faster speed p50 p95 p99 performance perf query "
     "queries response timeout",
     "add the before and after latency, e.g. p99 1.8s -> 240ms"},
    {"migration migrated migrate migrating backfill backfilled moved schema database",
     "add what moved and how it went: rows/tables moved, downtime (0 min?), rollback "
     "count"},
    {"error errors alert alerts page pages paging pager incident incidents outage "
     "oncall flaky failure failures crash crashes",
     "add how many alerts/pages per week before and after"},
    {"cost costs bill spend spending savings saved cheaper budget",
     "add the $ per month saved"},
    {"build builds ci pipeline deploy deploys release",
     "add the build or deploy time before and after, e.g. 20m -> 6m"},
    {"mentored mentoring onboarded onboarding reviewed reviews taught interviewed "
     "coached",
     "add who it helped grow: how many people, PRs reviewed, or days to first commit"},
    {"", "add a before -> after number, or who it unblocked"},
};

// Weak phrases and the advice for them. A phrase is words separated by
// spaces (whole words, any case; a last "..." stands for the rest of the
// clause, up to three words); a row's phrases are separated by " | ".
struct WeakPhrase {
  std::string_view phrases;
  std::string_view suggestion;
  bool only_without_numbers;  // a vague result, fine once a number says how much
};

const WeakPhrase kWeakPhrases[] = {
    {"helped with | helping with | helped out with",
     "say what you owned (\"led\", \"designed\", \"shipped\") and the effect "
     "downstream",
     false},
    {"worked on | working on",
     "name the result with an ownership verb (\"shipped\", \"migrated\", \"cut\") and "
     "what it changed downstream",
     false},
    {"was involved in | were involved in | involved in",
     "say your part (\"led\", \"designed\", \"shipped\") and what it changed", false},
    {"assisted | assisting",
     "say what you did yourself (\"designed\", \"shipped\", \"debugged\") and whom it "
     "unblocked",
     false},
    {"contributed to",
     "name the part you owned (\"designed ...\", \"shipped ...\") and its effect",
     false},
    {"participated in",
     "say what you did there (\"led\", \"presented\", \"decided\") and what came of it",
     false},
    {"supported", "say what you did (\"led\", \"shipped\", \"unblocked\") and for whom",
     false},
    {"tried to | attempted to",
     "say what happened: \"shipped\" it, or what you measured and ruled out", false},
    {"want to learn | wanted to learn",
     "make it a goal with an outcome: what you will ship with it, and by when", false},
    {"improved things", "say what improved and by how much: \"cut X from A to B\"",
     false},
    {"various", "name them or count them: which services, how many", false},
    {"some | several | a lot of | lots of", "give the number: how many", false},
    {"fixed ...",
     "say what was broken and what changed, with a number: \"cut the slowest query "
     "from 4s to 80ms\"",
     true},
    {"improved ... | optimized ... | sped up ...",
     "say by how much: \"cut X from A to B\" or \"3x faster\"", true},
    {"cleaned up ...",
     "say what it made possible: \"deleted 4k lines\", \"unblocked the upgrade\"",
     true},
};

constexpr size_t kRestWords = 3;

bool IsWordAt(const std::vector<Token>& t, size_t i) {
  return i < t.size() && t[i].kind == TokenKind::kWord;
}

// The next space-separated word of `list`, removed from it.
std::string_view TakeWord(std::string_view& list) {
  size_t space = list.find(' ');
  std::string_view word = list.substr(0, space);
  list.remove_prefix(space == std::string_view::npos ? list.size() : space + 1);
  return word;
}

// One past the last token of phrase `words` matched at token i, or 0. Words must be
// adjacent (no symbol between); "..." takes up to kRestWords more words of
// the clause.
size_t MatchAt(const std::vector<Token>& t, size_t i, std::string_view words) {
  size_t k = i;
  while (!words.empty()) {
    std::string_view word = TakeWord(words);
    if (word == "...") {
      size_t end = k;
      while (end < k + kRestWords && IsWordAt(t, end)) ++end;
      return end;
    }
    if (!IsWordAt(t, k) || !EqualsIgnoreCase(t[k].text, word)) return 0;
    ++k;
  }
  return k;
}

// One phrase of a kWeakPhrases row.
struct Phrase {
  const WeakPhrase* row;
  std::string_view words;
};

// The tables above, hashed by word: a note costs one lookup per word.
struct PhraseIndex {
  WordTable<std::vector<Phrase>> weak_by_first_word;
  WordTable<size_t> hint_by_word;  // the first kNumberHints row naming the word
};

PhraseIndex BuildPhraseIndex() {
  PhraseIndex index;
  for (const WeakPhrase& row : kWeakPhrases) {
    for (std::string_view rest = row.phrases; !rest.empty();) {
      size_t bar = rest.find(" | ");
      std::string_view words = rest.substr(0, bar), first = words;
      rest.remove_prefix(bar == std::string_view::npos ? rest.size() : bar + 3);
      index.weak_by_first_word.Add(TakeWord(first)).push_back(Phrase{&row, words});
    }
  }
  for (size_t h = std::size(kNumberHints); h-- > 0;) {
    for (std::string_view words = kNumberHints[h].words; !words.empty();) {
      index.hint_by_word.Add(TakeWord(words)) = h;
    }
  }
  return index;
}

const PhraseIndex& Index() {
  static const PhraseIndex index = BuildPhraseIndex();
  return index;
}

Suggestion NoNumber(const std::vector<Token>& t) {
  size_t best = std::size(kNumberHints) - 1;
  for (const Token& tok : t) {
    if (tok.kind != TokenKind::kWord) continue;
    if (const size_t* h = Index().hint_by_word.Find(tok.text))
      best = std::min(best, *h);
  }
  return Suggestion{kNoNumber, "", kNumberHints[best].suggestion};
}

// The row of the first phrase of kWeakPhrases that matches at token i, if
// any; sets end.
const WeakPhrase* WeakPhraseAt(const std::vector<Token>& t, size_t i, bool has_numbers,
                               size_t& end) {
  if (t[i].kind != TokenKind::kWord) return nullptr;
  const auto* candidates = Index().weak_by_first_word.Find(t[i].text);
  if (!candidates) return nullptr;
  for (const Phrase& phrase : *candidates) {
    if (phrase.row->only_without_numbers && has_numbers) continue;
    end = MatchAt(t, i, phrase.words);
    if (end > i) return phrase.row;
  }
  return nullptr;
}

}  // namespace

std::vector<Suggestion> Sharpen(std::string_view note,
                                const std::vector<Metric>& metrics) {
  return Sharpen(note, TokenizeNote(note), metrics.empty());
}

std::vector<Suggestion> Sharpen(std::string_view note, const std::vector<Token>& t,
                                bool no_metrics) {
  std::vector<Suggestion> out;
  if (no_metrics) out.push_back(NoNumber(t));
  for (size_t i = 0; i < t.size(); ++i) {
    size_t end = 0;
    const WeakPhrase* phrase = WeakPhraseAt(t, i, !no_metrics, end);
    if (!phrase) continue;
    std::string text(note.substr(t[i].begin, t[end - 1].end - t[i].begin));
    out.push_back(Suggestion{kWeakPhrasing, std::move(text), phrase->suggestion});
    i = end - 1;
  }
  return out;
}

}  // namespace brag::impact
