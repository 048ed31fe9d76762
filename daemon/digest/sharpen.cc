#include "digest/sharpen.h"

#include <algorithm>
#include <iterator>

#include "digest/note_text.h"

namespace brag::digest {
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

// A weak phrase: its words separated by spaces (whole words, any case; a
// last "..." stands for the rest of the clause, up to three words) and the
// advice for it.
struct WeakPhrase {
  std::string_view words;
  std::string_view suggestion;
  bool only_without_numbers;  // a vague result, fine once a number says how much
};

constexpr std::string_view kSayOwned =
    "say what you owned (\"led\", \"designed\", \"shipped\") and the effect downstream";
constexpr std::string_view kNameResult =
    "name the result with an ownership verb (\"shipped\", \"migrated\", \"cut\") and "
    "what it changed downstream";
constexpr std::string_view kSayPart =
    "say your part (\"led\", \"designed\", \"shipped\") and what it changed";
constexpr std::string_view kSayYourself =
    "say what you did yourself (\"designed\", \"shipped\", \"debugged\") and whom it "
    "unblocked";
constexpr std::string_view kSayHappened =
    "say what happened: \"shipped\" it, or what you measured and ruled out";
constexpr std::string_view kMakeGoal =
    "make it a goal with an outcome: what you will ship with it, and by when";
constexpr std::string_view kGiveNumber = "give the number: how many";
constexpr std::string_view kSayHowMuch =
    "say by how much: \"cut X from A to B\" or \"3x faster\"";

const WeakPhrase kWeakPhrases[] = {
    {"helped with", kSayOwned, false},
    {"helping with", kSayOwned, false},
    {"helped out with", kSayOwned, false},
    {"worked on", kNameResult, false},
    {"working on", kNameResult, false},
    {"was involved in", kSayPart, false},
    {"were involved in", kSayPart, false},
    {"involved in", kSayPart, false},
    {"assisted", kSayYourself, false},
    {"assisting", kSayYourself, false},
    {"contributed to",
     "name the part you owned (\"designed ...\", \"shipped ...\") and its effect", false},
    {"participated in",
     "say what you did there (\"led\", \"presented\", \"decided\") and what came of it",
     false},
    {"supported", "say what you did (\"led\", \"shipped\", \"unblocked\") and for whom",
     false},
    {"tried to", kSayHappened, false},
    {"attempted to", kSayHappened, false},
    {"want to learn", kMakeGoal, false},
    {"wanted to learn", kMakeGoal, false},
    {"improved things", "say what improved and by how much: \"cut X from A to B\"", false},
    {"various", "name them or count them: which services, how many", false},
    {"some", kGiveNumber, false},
    {"several", kGiveNumber, false},
    {"a lot of", kGiveNumber, false},
    {"lots of", kGiveNumber, false},
    {"fixed ...",
     "say what was broken and what changed, with a number: \"cut the slowest query "
     "from 4s to 80ms\"",
     true},
    {"improved ...", kSayHowMuch, true},
    {"optimized ...", kSayHowMuch, true},
    {"sped up ...", kSayHowMuch, true},
    {"cleaned up ...",
     "say what it made possible: \"deleted 4k lines\", \"unblocked the upgrade\"", true},
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

// One past the last token of `phrase` matched at token i, or 0. Words must be
// adjacent (no symbol between); "..." takes up to kRestWords more words of
// the clause.
size_t MatchAt(const std::vector<Token>& t, size_t i, const WeakPhrase& phrase) {
  size_t k = i;
  for (std::string_view words = phrase.words; !words.empty();) {
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

// The tables above, hashed by word: a note costs one lookup per word.
struct PhraseIndex {
  WordTable<std::vector<const WeakPhrase*>> weak_by_first_word;
  WordTable<size_t> hint_by_word;  // the first kNumberHints row naming the word
};

PhraseIndex BuildPhraseIndex() {
  PhraseIndex index;
  for (const WeakPhrase& phrase : kWeakPhrases) {
    std::string_view words = phrase.words;
    index.weak_by_first_word.Add(TakeWord(words)).push_back(&phrase);
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

// The first phrase of kWeakPhrases that matches at token i, if any; sets end.
const WeakPhrase* WeakPhraseAt(const std::vector<Token>& t, size_t i, bool has_numbers,
                               size_t& end) {
  if (t[i].kind != TokenKind::kWord) return nullptr;
  const auto* candidates = Index().weak_by_first_word.Find(t[i].text);
  if (!candidates) return nullptr;
  for (const WeakPhrase* phrase : *candidates) {
    if (phrase->only_without_numbers && has_numbers) continue;
    end = MatchAt(t, i, *phrase);
    if (end > i) return phrase;
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

}  // namespace brag::digest
