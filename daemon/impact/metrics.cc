#include "impact/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

#include "impact/note_text.h"

namespace brag::impact {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// What a quantity measures before it becomes a Metric's canonical unit.
enum class Dim { kNone, kTime, kSize, kRate, kPercent, kMoney, kMultiplier };

// Vocabulary. Everything the scanner knows about words is in these tables.

struct UnitName {
  std::string_view name;  // names separated by spaces
  Dim dim;
  double scale;  // to ms, bytes or per second
};

// Unit words after a number, ignoring case. "m" is read apart: it may also
// mean million. "B" is always bytes; billions are "bn" or "billion".
constexpr UnitName kUnitNames[] = {
    {"ns nanosecond nanoseconds", Dim::kTime, 1e-6},
    {"us µs μs microsecond microseconds", Dim::kTime, 1e-3},
    {"ms msec msecs millisecond milliseconds", Dim::kTime, 1},
    {"s sec secs second seconds", Dim::kTime, 1e3},
    {"min mins minute minutes", Dim::kTime, 6e4},
    {"h hr hrs hour hours", Dim::kTime, 3.6e6},
    {"d day days", Dim::kTime, 8.64e7},
    {"wk wks week weeks", Dim::kTime, 6.048e8},
    {"month months", Dim::kTime, 2.592e9},
    {"yr yrs year years", Dim::kTime, 3.1536e10},
    {"b byte bytes", Dim::kSize, 1},
    {"kb", Dim::kSize, 1e3},
    {"kib", Dim::kSize, 1024.0},
    {"mb", Dim::kSize, 1e6},
    {"mib", Dim::kSize, 1048576.0},
    {"gb", Dim::kSize, 1e9},
    {"gib", Dim::kSize, 1073741824.0},
    {"tb", Dim::kSize, 1e12},
    {"tib", Dim::kSize, 1099511627776.0},
    {"pb", Dim::kSize, 1e15},
    {"rps qps tps", Dim::kRate, 1},
    {"percent pct", Dim::kPercent, 1}};

// The divisor to a per-second rate, after "/" or "per": "req/s", "40/min".
constexpr UnitName kRateDivisors[] = {{"s sec second", Dim::kRate, 1},
                                      {"min minute", Dim::kRate, 60},
                                      {"h hr hour", Dim::kRate, 3600}};

struct Magnitude {
  std::string_view name;
  double scale;
  bool attached_only;  // "2k" but not "2 k"
  bool exact_case;     // "12M" is million, "12m" is read apart (minutes?)
};

constexpr Magnitude kMagnitudes[] = {
    {"k", 1e3, true, false},        {"M", 1e6, true, true},
    {"bn", 1e9, false, false},      {"thousand", 1e3, false, false},
    {"million", 1e6, false, false}, {"billion", 1e9, false, false}};

struct Alias {
  std::string_view name;  // names separated by spaces
  std::string_view canonical;
};

constexpr Alias kCurrencySymbols[] = {{"$", "usd"}, {"€", "eur"}, {"£", "gbp"}};
constexpr Alias kCurrencyWords[] = {
    {"usd dollar dollars", "usd"}, {"eur euro euros", "eur"}, {"gbp", "gbp"}};

constexpr Alias kPeriodNames[] = {{"day", "day"},
                                  {"week wk", "week"},
                                  {"month mo mth", "month"},
                                  {"quarter qtr", "quarter"},
                                  {"year yr annum", "year"}};
constexpr Alias kPeriodAdverbs[] = {{"daily", "day"},     {"weekly", "week"},
                                    {"monthly", "month"}, {"quarterly", "quarter"},
                                    {"yearly", "year"},   {"annually", "year"}};

constexpr std::string_view kBoundPairs[][2] = {
    {"less", "than"}, {"fewer", "than"}, {"at", "most"}};

// The classes of words the scanner tells apart; a word may be in several.
enum WordClass : uint32_t {
  kNotNoun = 1u << 0,
  kMonth = 1u << 1,
  kJoiner = 1u << 2,
  kBound = 1u << 3,
  kPeriodLead = 1u << 4,
  kFiller = 1u << 5,
  kLinkPunct = 1u << 6,
  kReference = 1u << 7,
  kUpgrade = 1u << 8,
  kAdjective = 1u << 9,
  kComparative = 1u << 10,
  kHigherEvenInUnit = 1u << 11,
  kPerson = 1u << 12,
  kBeforeMark = 1u << 13,
  kAfterMark = 1u << 14,
  kClauseWord = 1u << 15,
  kSetting = 1u << 16,
};

struct ClassWords {
  uint32_t word_class;
  std::string_view words;  // separated by spaces
};

constexpr ClassWords kClassWords[] = {
    // Words that follow a number without being what it counts.
    {kNotNoun,
     "to from and or in on at by for of the a an with per than down up over under "
     "below across into via after before since while when each every is are was were "
     "be been it its this that these those all only just so then as but plus vs "
     "versus out off ago later earlier total times am pm back more less fewer faster "
     "slower lower higher better worse within about around we i they our my x during "
     "without despite until through because thanks using if once now today last next "
     "overall instead"},
    {kMonth,
     "jan january feb february mar march apr april may jun june jul july aug august "
     "sep sept september oct october nov november dec december"},
    // Between the two values of a pair, with fillers around them: "down to".
    {kJoiner, "to -> --> => → ⇒ ⟶"},
    {kFiller,
     "down up back just only about around roughly approximately approx nearly almost "
     "~ ≈ all the way"},
    {kBound, "under below within < <= ≤"},
    {kPeriodLead, "per a an each every"},
    // Symbols that join a number to its neighbour in versions, dates, times,
    // ranges and keys: "1.2.3", "2026-11-02", "14:30", "24/7", "JIRA-123".
    {kLinkPunct, ". - : / _ @ –"},
    // A number right after one of these words is a reference or a version, not
    // a metric: "PR 123", "Python 3.11", "sprint 4".
    {kReference,
     "pr mr pull issue ticket bug cl version ver release rev revision step phase "
     "sprint port line chapter section rfc adr cve epic story task milestone week day "
     "sev tier level gen python node nodejs java jdk go golang postgres postgresql pg "
     "mysql ubuntu debian centos rhel fedora kubernetes k8s react vue angular rails "
     "django ios android macos windows gcc clang llvm rust ruby php redis kafka spark "
     "terraform helm openssl tls ssl http elasticsearch mongodb typescript scala "
     "kotlin swift spring boost cmake dotnet"},
    // A unit-less pair after one of these is a version bump, not a metric:
    // "upgraded Postgres 13 to 15".
    {kUpgrade,
     "upgraded upgrade upgrading bumped bump version versions released releasing "
     "tagged pinned pin"},
    // Words between a number and its noun: "3 flaky tests".
    {kAdjective,
     "flaky failing new open critical duplicate broken slow legacy internal external "
     "production prod active unused stale manual customer support paying database api "
     "test on-call oncall noisy false p1 p0 p2 sev1 sev2 more other separate"},
    // Words after a number that say which way it went: "3x faster", "40% fewer".
    {kComparative,
     "faster slower quicker cheaper smaller bigger larger higher lower more fewer "
     "less better worse shorter speedup improvement reduction regression savings"},
    // Quantities better higher even when measured in time, size or money.
    {kHigherEvenInUnit,
     "uptime mtbf retention runway revenue saving savings capacity availability "
     "headroom"},
    // A count of these is a head count of people, which is no metric: "saved 3
    // engineers", "2 new contributors", "mentored 4 developers". Users and
    // customers are reach, not colleagues: "40k users" stays a count.
    {kPerson,
     "engineer engineers people person persons contributor contributors developer "
     "developers dev devs teammate teammates colleague colleagues hire hires intern "
     "interns maintainer maintainers reviewer reviewers member members folks sre sres "
     "headcount fte ftes mentee mentees newcomer newcomers staff employee employees "
     "volunteer volunteers humans analysts designers managers testers operators "
     "admins students"},
    // Settings chosen on purpose: neither way is better ("raised the timeout
    // from 5s to 30s", "bumped the pool to 50 connections").
    {kSetting,
     "timeout limit limits ttl pool interval window threshold thresholds quota "
     "concurrency parallelism"},
    // Words that mark the first figure of a pair told in two clauses as the
    // earlier state ("previously 40 min, now 6", "p99 spiked to 4s; after the fix
    // it dropped to 350ms", "was 14 min and is now 5 min") ...
    {kBeforeMark,
     "previously was were used before originally initially formerly spiked peaked "
     "baseline had took prior last earlier"},
    // ... and the second as the later one.
    {kAfterMark,
     "now after afterwards today currently dropped fell down since post then reduced "
     "cut lowered brought shrank improved went is are up rose climbed raised "
     "increased grew"},
    // Words that end the clause a figure is stated in, for its fragment.
    {kClauseWord, "and but while whereas although though"},
};

// Which way is good for the thing a number measures (DESIGN §9): the word
// nearest the match decides before the unit does, except that for times,
// sizes and money only the words of kHigherEvenInUnit may say higher is
// better ("deploys take 8 to 3 minutes" is about time). Plurals match too;
// machines, queries and the time to restore (issue 13) are better fewer.
struct PolarityWord {
  std::string_view words;  // separated by spaces
  bool higher_is_better;
};

constexpr PolarityWord kPolarityWords[] = {
    {"latency latencies p50 p90 p95 p99 p999 error alert page paging pager incident "
     "outage failure timeout retry retries ticket bug crash exception flake flaky "
     "flakiness cost spend bill memory cpu ram disk time duration runtime downtime "
     "mttr toil lag delay backlog complaint escalation oom churn node server host "
     "instance machine vm replica pod box query queries call warning miss eviction "
     "violation rollback rerun queue depth mttd resolve restore recovery p75 wait red "
     "failing broken",
     false},
    {"throughput qps rps hit coverage uptime availability conversion success adoption "
     "retention revenue user customer saving speed velocity satisfaction nps mtbf "
     "capacity accuracy score deploy deployment frequency pass ops headroom slo ratio "
     "apdex",
     true},
};

// What a word says about the change it describes.
enum class Effect { kNone, kBetter, kWorse, kDecrease, kIncrease };

struct EffectWord {
  std::string_view words;  // separated by spaces
  Effect effect;
};

constexpr EffectWord kEffectWords[] = {
    {"faster quicker cheaper smaller shorter leaner better speedup improvement "
     "improved improves sped optimized optimised saved saves saving savings",
     Effect::kBetter},
    {"slower worse regressed regression degraded costlier spiked spike ballooned "
     "worsened slowed bloated",
     Effect::kWorse},
    {"fell shaved brought decreasing lowering drops reduced reduce reduces reducing "
     "reduction cut cuts cutting dropped drop lowered lower decreased shrank shrunk "
     "slashed trimmed fewer less down eliminated removed halved",
     Effect::kDecrease},
    {"rose climbed jumped raise increasing grown increased increase raised grew "
     "boosted more higher up doubled tripled gained bigger larger",
     Effect::kIncrease},
};

// The vocabulary, hashed: everything the tables above say about one word.

struct WordFacts {
  uint32_t classes = 0;  // WordClass bits
  std::optional<bool> higher_is_better;
  Effect effect = Effect::kNone;
  const UnitName* unit = nullptr;
  const UnitName* rate_divisor = nullptr;
  const Alias* currency_symbol = nullptr;
  const Alias* currency_word = nullptr;
  const Alias* period = nullptr;
  const Alias* period_adverb = nullptr;
};

// Calls fn with each word of space-separated `words`.
template <typename Fn>
void ForEachWord(std::string_view words, Fn fn) {
  while (!words.empty()) {
    size_t space = words.find(' ');
    fn(words.substr(0, space));
    words.remove_prefix(space == std::string_view::npos ? words.size() : space + 1);
  }
}

template <typename Entry, size_t N, typename Field>
void AddEntries(WordTable<WordFacts>& table, const Entry (&entries)[N], Field field) {
  for (const Entry& e : entries) {
    ForEachWord(e.name, [&](std::string_view word) { table.Add(word).*field = &e; });
  }
}

WordTable<WordFacts> BuildLexicon() {
  WordTable<WordFacts> table;
  for (const ClassWords& c : kClassWords) {
    ForEachWord(c.words, [&](std::string_view word) {
      table.Add(word).classes |= c.word_class;
    });
  }
  AddEntries(table, kUnitNames, &WordFacts::unit);
  AddEntries(table, kRateDivisors, &WordFacts::rate_divisor);
  AddEntries(table, kCurrencySymbols, &WordFacts::currency_symbol);
  AddEntries(table, kCurrencyWords, &WordFacts::currency_word);
  AddEntries(table, kPeriodNames, &WordFacts::period);
  AddEntries(table, kPeriodAdverbs, &WordFacts::period_adverb);
  for (const EffectWord& e : kEffectWords) {
    ForEachWord(e.words,
                [&](std::string_view word) { table.Add(word).effect = e.effect; });
  }
  for (const PolarityWord& p : kPolarityWords) {
    ForEachWord(p.words, [&](std::string_view word) {
      for (std::string_view plural : {"", "s", "es"}) {
        table.Add(std::string(word) + std::string(plural)).higher_is_better =
            p.higher_is_better;
      }
    });
  }
  return table;
}

const WordTable<WordFacts>& Lexicon() {
  static const WordTable<WordFacts> lexicon = BuildLexicon();
  return lexicon;
}

// The tokens of a note with the facts of each, looked up once.
class Tokens {
 public:
  explicit Tokens(const std::vector<Token>& tokens) : tokens_(tokens) {
    facts_.reserve(tokens_.size());
    for (const Token& t : tokens_) {
      const WordFacts* f =
          t.kind == TokenKind::kNumber ? nullptr : Lexicon().Find(t.text);
      facts_.push_back(f ? f : &kNoFacts);
    }
  }

  size_t size() const { return tokens_.size(); }
  const Token& operator[](size_t i) const { return tokens_[i]; }
  // The facts of token i; none for a number or past the end.
  const WordFacts& facts(size_t i) const {
    return i < facts_.size() ? *facts_[i] : kNoFacts;
  }
  // Whether token i is of one of the classes in `c`.
  bool is(size_t i, uint32_t c) const { return (facts(i).classes & c) != 0; }

 private:
  static inline const WordFacts kNoFacts{};
  const std::vector<Token>& tokens_;
  std::vector<const WordFacts*> facts_;
};

const Token* At(const Tokens& t, size_t i) { return i < t.size() ? &t[i] : nullptr; }

bool IsWord(const Token* tok) { return tok && tok->kind == TokenKind::kWord; }

bool TextIs(const Token* tok, std::string_view text) {
  return tok && EqualsIgnoreCase(tok->text, text);
}

bool Attached(const Token* tok) { return tok && !tok->spaced; }

// A word after a number that can be what it counts: not a stop word, month,
// joiner, bound, period or verb of change.
bool IsNounAt(const Tokens& t, size_t i) {
  if (!IsWord(At(t, i)) || !t[i].spaced) return false;
  const WordFacts& f = t.facts(i);
  return !(f.classes & (kNotNoun | kMonth | kJoiner | kBound | kPeriodLead)) &&
         !f.period_adverb && f.effect == Effect::kNone;
}

// Quantities: one number with what surrounds it.

struct Quantity {
  size_t first_tok = 0;  // first token, prefix included ("$", "under")
  size_t num_tok = 0;    // the number itself
  size_t last_tok = 0;   // last token, unit, noun and period included
  double raw = 0;        // the number times its magnitude
  double scale = 1;      // raw * scale is the canonical value
  Dim dim = Dim::kNone;
  std::string_view currency;
  std::string_view period;
  size_t noun_first = kNone;  // tokens of the noun, when there is one
  size_t noun_last = kNone;
  bool upper_bound = false;
  bool magnitude = false;

  double value() const { return raw * scale; }
  bool has_noun() const { return noun_first != kNone; }
};

// "JIRA-123", "v2.3", "#123", "1.2.3", "2026-11-02", "14:30", "PR 123",
// "Nov 2" — but not "sub-100ms".
bool IsReference(const Tokens& t, size_t i) {
  const Token* prev = At(t, i - 1);
  if (i > 0 && !t[i].spaced) {
    if (prev->kind == TokenKind::kWord || prev->text == "#") return true;
    bool sub_bound = prev->text == "-" && i > 1 && TextIs(&t[i - 2], "sub");
    if (t.is(i - 1, kLinkPunct) && !prev->spaced && i > 1 &&
        t[i - 2].kind != TokenKind::kSymbol && !sub_bound) {
      return true;
    }
  }
  if (Attached(At(t, i + 1)) && t.is(i + 1, kLinkPunct) && Attached(At(t, i + 2)) &&
      t[i + 2].kind == TokenKind::kNumber) {
    return true;
  }
  if (i > 0 && t.is(i - 1, kReference | kMonth) && IsWord(prev)) return true;
  // The other end of "Postgres 13 to 15" is a version too.
  if (i > 1 && t.is(i - 1, kJoiner) && t[i - 2].kind == TokenKind::kNumber &&
      IsReference(t, i - 2))
    return true;
  return IsWord(At(t, i + 1)) && t.is(i + 1, kMonth);
}

// Currency and bound before the number: "$", "under", "< $", "sub-".
void ReadPrefix(const Tokens& t, Quantity& q) {
  size_t k = q.num_tok;
  const Alias* currency = nullptr;
  if (k > 0) {
    currency =
        t[k].spaced ? t.facts(k - 1).currency_word : t.facts(k - 1).currency_symbol;
  }
  if (currency) {
    q.currency = currency->canonical;
    --k;
  }
  if (k > 1 && !t[k].spaced && t[k - 1].text == "-" && TextIs(&t[k - 2], "sub")) {
    q.upper_bound = true;
    k -= 2;
  } else if (k > 0 && t.is(k - 1, kBound)) {
    q.upper_bound = true;
    --k;
  } else if (k > 1) {
    for (const auto& pair : kBoundPairs) {
      if (TextIs(&t[k - 2], pair[0]) && TextIs(&t[k - 1], pair[1])) {
        q.upper_bound = true;
        k -= 2;
        break;
      }
    }
  }
  q.first_tok = k;
}

// "k", "M", "million", "bn" after the number.
void ReadMagnitude(const Tokens& t, Quantity& q) {
  const Token* tok = At(t, q.last_tok + 1);
  if (!IsWord(tok)) return;
  for (const Magnitude& m : kMagnitudes) {
    if (m.attached_only && tok->spaced) continue;
    bool same =
        m.exact_case ? tok->text == m.name : EqualsIgnoreCase(tok->text, m.name);
    if (!same) continue;
    q.raw *= m.scale;
    q.magnitude = true;
    ++q.last_tok;
    return;
  }
}

void SetUnit(Quantity& q, Dim dim, double scale, size_t last_tok) {
  q.dim = dim;
  q.scale = scale;
  q.last_tok = last_tok;
}

bool ReadPercent(const Tokens& t, Quantity& q) {
  const Token* tok = At(t, q.last_tok + 1);
  if (!tok || tok->text != "%") return false;
  SetUnit(q, Dim::kPercent, 1, q.last_tok + 1);
  return true;
}

// "3.2x", "10×", "15 x", "3 times faster".
bool ReadMultiplier(const Tokens& t, Quantity& q) {
  size_t j = q.last_tok + 1;
  const Token* tok = At(t, j);
  if (!tok) return false;
  bool x_word = tok->text == "x" || tok->text == "X";
  const Token* after = At(t, j + 1);
  bool lone_x = x_word && tok->spaced && (!after || after->kind != TokenKind::kNumber);
  bool times = TextIs(tok, "times") && IsWord(after) && t.is(j + 1, kComparative);
  if (!(x_word && !tok->spaced) && tok->text != "×" && !lone_x && !times) return false;
  SetUnit(q, Dim::kMultiplier, 1, j);
  return true;
}

// "20m" is minutes, "20m records" twenty million.
bool ReadMinutesOrMillion(const Tokens& t, Quantity& q) {
  size_t j = q.last_tok + 1;
  const Token* tok = At(t, j);
  if (!IsWord(tok) || tok->text != "m" || q.magnitude) return false;
  if (IsNounAt(t, j + 1)) {
    q.raw *= 1e6;
    q.magnitude = true;
    q.last_tok = j;
    return false;  // the noun is read next
  }
  SetUnit(q, Dim::kTime, 6e4, j);
  return true;
}

// "3 engineer-days", "20 person-hours": effort, a time, not a head count.
bool ReadEffortUnit(const Tokens& t, Quantity& q) {
  size_t j = q.last_tok + 1;
  if (!IsWord(At(t, j)) || !t.is(j, kPerson)) return false;
  const Token* dash = At(t, j + 1);
  const Token* unit = At(t, j + 2);
  if (!Attached(dash) || dash->text != "-" || !Attached(unit) || !IsWord(unit))
    return false;
  const UnitName* u = t.facts(j + 2).unit;
  if (!u || u->dim != Dim::kTime) return false;
  SetUnit(q, Dim::kTime, u->scale, j + 2);
  return true;
}

bool ReadUnitWord(const Tokens& t, Quantity& q) {
  size_t j = q.last_tok + 1;
  if (!IsWord(At(t, j))) return false;
  const WordFacts& f = t.facts(j);
  if (f.unit) {
    SetUnit(q, f.unit->dim, f.unit->scale, j);
    return true;
  }
  if (f.currency_word) {
    q.currency = f.currency_word->canonical;
    SetUnit(q, Dim::kMoney, 1, j);
    return true;
  }
  return false;
}

// "/s", "/min" or "per second" at token j makes a per-second rate.
bool ReadRateSuffix(const Tokens& t, size_t j, Quantity& q) {
  const Token* tok = At(t, j);
  const Token* unit = At(t, j + 1);
  if (!tok || !IsWord(unit)) return false;
  bool slash = tok->text == "/" && Attached(unit);
  if (!slash && !TextIs(tok, "per")) return false;
  const UnitName* d = t.facts(j + 1).rate_divisor;
  if (!d) return false;
  SetUnit(q, Dim::kRate, 1 / d->scale, j + 1);
  return true;
}

// The word or two a count counts: "3 services", "3 flaky tests", and a rate
// made from them: "40 req/s", "12k records per second".
void ReadNoun(const Tokens& t, Quantity& q) {
  size_t j = q.last_tok + 1;
  if (!IsNounAt(t, j)) return;
  q.noun_first = q.noun_last = j;
  if (t.is(j, kAdjective) && IsNounAt(t, j + 1)) q.noun_last = j + 1;
  q.last_tok = q.noun_last;
  ReadRateSuffix(t, q.last_tok + 1, q);
}

// Reads what follows the number. False when an unknown word is glued to it,
// which makes it no metric: "3rd", "2FA", "4xx", "9am", a SHA.
bool ReadUnit(const Tokens& t, Quantity& q) {
  if (!q.currency.empty()) {
    q.dim = Dim::kMoney;
    return !Attached(At(t, q.last_tok + 1)) || !IsWord(At(t, q.last_tok + 1));
  }
  if (ReadPercent(t, q) || ReadMultiplier(t, q) || ReadMinutesOrMillion(t, q) ||
      ReadUnitWord(t, q) || ReadEffortUnit(t, q) ||
      ReadRateSuffix(t, q.last_tok + 1, q)) {
    return true;
  }
  const Token* tok = At(t, q.last_tok + 1);
  if (IsWord(tok) && (!tok->spaced || TextIs(tok, "am") || TextIs(tok, "pm")))
    return false;
  ReadNoun(t, q);
  return true;
}

// "/month", "per year", "a month", "monthly".
void ReadPeriod(const Tokens& t, Quantity& q) {
  if (q.dim == Dim::kRate || q.dim == Dim::kPercent || q.dim == Dim::kMultiplier)
    return;
  size_t j = q.last_tok + 1;
  const Token* tok = At(t, j);
  if (!tok) return;
  if (const Alias* a = IsWord(tok) ? t.facts(j).period_adverb : nullptr) {
    q.period = a->canonical;
    q.last_tok = j;
    return;
  }
  const Token* name = At(t, j + 1);
  bool lead = tok->text == "/" ? Attached(name) : t.is(j, kPeriodLead);
  const Alias* p = lead && IsWord(name) ? t.facts(j + 1).period : nullptr;
  if (!p) return;
  q.period = p->canonical;
  q.last_tok = j + 1;
}

std::optional<Quantity> ReadQuantity(const Tokens& t, size_t i) {
  if (IsReference(t, i)) return std::nullopt;
  Quantity q;
  q.num_tok = q.last_tok = i;
  q.raw = t[i].number;
  ReadPrefix(t, q);
  ReadMagnitude(t, q);
  if (!ReadUnit(t, q)) return std::nullopt;
  ReadPeriod(t, q);
  return q;
}

std::vector<Quantity> ReadQuantities(const Tokens& t) {
  std::vector<Quantity> out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind != TokenKind::kNumber) continue;
    std::optional<Quantity> q = ReadQuantity(t, i);
    if (!q) continue;
    if (!out.empty()) q->first_tok = std::max(q->first_tok, out.back().last_tok + 1);
    i = q->last_tok;
    out.push_back(*q);
  }
  return out;
}

bool IsYearLike(const Tokens& t, const Quantity& q) {
  const Token& n = t[q.num_tok];
  return q.dim == Dim::kNone && !q.has_noun() && !q.magnitude && !q.upper_bound &&
         !n.grouped && !n.decimal && n.number >= 1900 && n.number <= 2100;
}

// Pairs.

// How far back the earlier figure of a pair across clauses may be marked.
constexpr size_t kBackReachPair = 8;

// Only joiner and filler tokens between a and b: "to", "down to", "→".
bool Joined(const Tokens& t, const Quantity& a, const Quantity& b) {
  bool joined = false;
  for (size_t k = a.last_tok + 1; k < b.first_tok; ++k) {
    if (t.is(k, kJoiner) && !joined) {
      joined = true;
    } else if (!t.is(k, kFiller)) {
      return false;
    }
  }
  return joined;
}

std::string_view NounText(const Tokens& t, const Quantity& q) {
  if (!q.has_noun()) return {};
  std::string_view first = t[q.noun_first].text;
  return std::string_view(first.data(), t[q.noun_last].end - t[q.noun_first].begin);
}

bool NounsAgree(std::string_view a, std::string_view b) {
  return a.empty() || b.empty() || IsWordForm(a, b) || IsWordForm(b, a);
}

// Copies the unit of `from` to the unit-less `to`: "8 to 3 minutes".
void AdoptUnit(const Quantity& from, Quantity& to) {
  to.dim = from.dim;
  to.scale = from.scale;
  to.currency = from.currency;
}

// Whether a and b can be the two ends of one change; gives the unit-less one
// the other's unit when they can.
bool MakeCompatible(const Tokens& t, Quantity& a, Quantity& b) {
  if (a.dim == Dim::kMultiplier || b.dim == Dim::kMultiplier) return false;
  // "3 deploys a week; now 5 a day" compares two different things.
  if (!a.period.empty() && !b.period.empty() && a.period != b.period) return false;
  if (a.dim == b.dim) {
    return a.currency == b.currency && NounsAgree(NounText(t, a), NounText(t, b));
  }
  if (a.dim == Dim::kNone && !a.has_noun()) {
    AdoptUnit(b, a);
    return true;
  }
  if (b.dim == Dim::kNone && !b.has_noun()) {
    AdoptUnit(a, b);
    return true;
  }
  return false;
}

// How two neighbouring quantities make one change.
enum class Pair {
  kNone,
  kForward,  // a is the before: "from 1.8s to 240ms", "from 1.2s on average to 300ms"
  kReverse,  // b is the before: "4 min, down from 25 min", "dropped to 4s from 9s"
  kAcross,   // a is the before, told in an earlier clause: "was 14 min; now 5"
};

// Words that may stand between "from X" and "to Y": "on average".
constexpr size_t kFromToReach = 4;
// Tokens that may stand between the two figures of a pair across clauses.
constexpr size_t kAcrossReach = 14;

// Whether token k ends the clause a figure is stated in: . ; ! ? , a dash
// standing alone, "and", "but", "while".
bool IsClauseBreak(const Tokens& t, size_t k) {
  const Token& tok = t[k];
  if (tok.kind == TokenKind::kWord) return t.is(k, kClauseWord);
  if (tok.kind != TokenKind::kSymbol) return false;
  if (EndsClause(tok) || tok.text == "," || tok.text == "—") return true;
  bool dash = tok.text == "-" || tok.text == "–";
  return dash && tok.spaced && k + 1 < t.size() && t[k + 1].spaced;
}

// "from X <a few words> to Y": "from 1.2s on average to under 300ms".
bool FromTo(const Tokens& t, const Quantity& a, const Quantity& b) {
  if (a.first_tok == 0 || !TextIs(&t[a.first_tok - 1], "from")) return false;
  size_t k = a.last_tok + 1, words = 0;
  for (; k < b.first_tok && !t.is(k, kJoiner); ++k) {
    if (t[k].kind != TokenKind::kWord || ++words > kFromToReach) return false;
  }
  if (k == b.first_tok) return false;
  for (++k; k < b.first_tok; ++k) {
    if (!t.is(k, kFiller)) return false;
  }
  return true;
}

// "4 min, down from 25 min", "4 min (up from 2)", "dropped to 4s from 9s":
// the figure after "from" is the before.
bool DownFrom(const Tokens& t, const Quantity& a, const Quantity& b) {
  bool marked = a.first_tok > 0 && TextIs(&t[a.first_tok - 1], "to");
  bool from = false;
  for (size_t k = a.last_tok + 1; k < b.first_tok; ++k) {
    std::string_view x = t[k].text;
    if (from) {
      if (!t.is(k, kFiller)) return false;
    } else if (TextIs(&t[k], "from")) {
      from = true;
    } else if (x == "," || x == "(" || x == "—" || x == "–" || x == "-" ||
               TextIs(&t[k], "down") || TextIs(&t[k], "up")) {
      marked = true;
    } else if (TextIs(&t[k], "now") || TextIs(&t[k], "today")) {
      continue;  // "9 minutes now, up from 4"
    } else {
      return false;
    }
  }
  return from && marked;
}

// Whether a word of class `c` is in tokens [begin, end).
bool AnyOf(const Tokens& t, size_t begin, size_t end, uint32_t c) {
  for (size_t k = begin; k < end; ++k) {
    if (t[k].kind == TokenKind::kWord && t.is(k, c)) return true;
  }
  return false;
}

// The last percentile ("p50", "P99") among tokens [begin, end), or nullptr.
const Token* LastPercentile(const Tokens& t, size_t begin, size_t end) {
  for (size_t k = end; k > begin; --k) {
    std::string_view w = t[k - 1].text;
    bool digits = w.size() > 1 && std::all_of(w.begin() + 1, w.end(), [](char c) {
                    return c >= '0' && c <= '9';
                  });
    if (t[k - 1].kind == TokenKind::kWord && LowerAscii(w[0]) == 'p' && digits)
      return &t[k - 1];
  }
  return nullptr;
}

// The first token of the clause token k is in.
size_t ClauseStart(const Tokens& t, size_t k, size_t stop) {
  while (k > stop && !IsClauseBreak(t, k - 1)) --k;
  return k;
}

// Two figures in two clauses of one note, the first marked as the earlier
// state and the second as the later one: "p99 spiked to 4s under load; after
// the fix it dropped to 350ms", "previously 40 min, now 6", "was 14 min and is
// now 5 min", "900ms before the index, 120ms after". Two figures stated side
// by side ("cut build time to 4 min; cut test time to 2 min") are not a pair.
bool Across(const Tokens& t, const Quantity& a, const Quantity& b, size_t stop) {
  if (b.first_tok - a.last_tok > kAcrossReach) return false;
  size_t first_break = kNone, last_break = kNone;
  for (size_t k = a.last_tok + 1; k < b.first_tok; ++k) {
    if (!IsClauseBreak(t, k)) continue;
    if (first_break == kNone) first_break = k;
    last_break = k;
  }
  if (first_break == kNone) return false;
  size_t a_start = ClauseStart(t, a.first_tok, stop);
  a_start = std::max(a_start,
                     a.first_tok > kBackReachPair ? a.first_tok - kBackReachPair : 0);
  bool before = AnyOf(t, a_start, a.first_tok, kBeforeMark) ||
                AnyOf(t, a.last_tok + 1, first_break, kBeforeMark);
  // "p99 was 300ms, and p50 is now 80ms" speaks of two percentiles.
  const Token* pa = LastPercentile(t, a_start, a.first_tok);
  const Token* pb = LastPercentile(t, last_break + 1, b.first_tok);
  if (pa && pb && !EqualsIgnoreCase(pa->text, pb->text)) return false;
  const Token* next = At(t, b.last_tok + 1);
  bool after = AnyOf(t, last_break + 1, b.first_tok, kAfterMark) ||
               TextIs(next, "now") || TextIs(next, "after") || TextIs(next, "today") ||
               TextIs(next, "afterwards");
  return before && after;
}

// Reading the words around a match.

// A match's tokens and how far its context may reach on each side.
struct Context {
  size_t first;      // first token of the match
  size_t last;       // last token of the match
  size_t back_stop;  // first token the backward search may look at
  size_t fwd_stop;   // one past the last token the forward search may look at
};

constexpr size_t kBackReach = 8;
constexpr size_t kForwardReach = 4;

// The nearest word before the match (same clause, within kBackReach) for
// which `found(facts)` returns a value.
template <typename R, typename Fn>
R NearestBefore(const Tokens& t, const Context& c, Fn found) {
  for (size_t k = c.first; k > c.back_stop && c.first - k < kBackReach; --k) {
    if (EndsClause(t[k - 1])) break;
    if (t[k - 1].kind != TokenKind::kWord) continue;
    if (R r = found(t.facts(k - 1)); r != R{}) return r;
  }
  return R{};
}

template <typename R, typename Fn>
R NearestAfter(const Tokens& t, const Context& c, size_t reach, Fn found) {
  for (size_t k = c.last + 1; k < c.fwd_stop && k <= c.last + reach; ++k) {
    if (EndsClause(t[k])) break;
    if (t[k].kind != TokenKind::kWord) continue;
    if (R r = found(t.facts(k)); r != R{}) return r;
  }
  return R{};
}

std::optional<bool> NounPolarity(const Tokens& t, const Quantity& q) {
  if (!q.has_noun()) return std::nullopt;
  for (size_t k = q.noun_first; k <= q.noun_last; ++k) {
    if (auto p = t.facts(k).higher_is_better) return p;
  }
  return std::nullopt;
}

bool UnitSaysLowerIsBetter(Dim dim) {
  return dim == Dim::kTime || dim == Dim::kSize || dim == Dim::kMoney;
}

// What the note says about which way is better for what a match measures.
struct Judgement {
  std::optional<bool> higher_is_better;
  // A word of the note names the quantity ("latency", "errors", "nodes");
  // false when only the unit says ("8 to 3 minutes").
  bool named = false;
  // The quantity is a setting chosen on purpose ("timeout", "limit", "pool"):
  // neither way is better.
  bool setting = false;
};

// Which way is better for what the match measures: its noun, then the
// nearest word before or after that names a quantity or a setting, then the
// unit.
Judgement Polarity(const Tokens& t, const Context& c, const Quantity& q) {
  // 1 higher is better, 2 lower is better, 3 a setting, 0 nothing said.
  auto keyword = [&](const WordFacts& f) -> int {
    if (f.classes & kSetting) return 3;
    std::optional<bool> p = f.higher_is_better;
    if (!p) return 0;
    bool unit_wins =
        *p && UnitSaysLowerIsBetter(q.dim) && !(f.classes & kHigherEvenInUnit);
    return unit_wins ? 0 : *p ? 1 : 2;
  };
  if (auto p = NounPolarity(t, q)) return {p, true, false};
  int said = NearestBefore<int>(t, c, keyword);
  if (said == 0) said = NearestAfter<int>(t, c, kForwardReach, keyword);
  if (said == 3) return {std::nullopt, false, true};
  if (said != 0) return {said == 1, true, false};
  if (q.dim == Dim::kRate) return {true, false, false};
  if (UnitSaysLowerIsBetter(q.dim)) return {false, false, false};
  return {};
}

Effect AnyEffect(const WordFacts& f) { return f.effect; }

Effect ComparativeEffect(const WordFacts& f) {
  return (f.classes & kComparative) ? f.effect : Effect::kNone;
}

// A comparative right after a lone number ("40% fewer", "3x faster") tells
// more than a verb before it. After a match only comparatives count: a verb
// there ("3x and cut latency") starts another statement.
Effect NearestEffect(const Tokens& t, const Context& c, bool after_first) {
  if (after_first) {
    Effect e = NearestAfter<Effect>(t, c, 1, ComparativeEffect);
    if (e != Effect::kNone) return e;
  }
  if (Effect e = NearestBefore<Effect>(t, c, AnyEffect); e != Effect::kNone) return e;
  return after_first ? Effect::kNone : NearestAfter<Effect>(t, c, 2, ComparativeEffect);
}

bool IsUpgrade(const WordFacts& f) { return (f.classes & kUpgrade) != 0; }

bool IsVersionBump(const Tokens& t, const Context& c, const Quantity& a,
                   const Quantity& b) {
  if (a.dim != Dim::kNone || a.has_noun() || b.has_noun()) return false;
  return NearestBefore<bool>(t, c, IsUpgrade);
}

// Building metrics.

// What a Dim becomes in a Metric: its canonical unit (money's is its
// currency) and the kind of a lone figure. In the order of Dim.
struct DimFacts {
  std::string_view unit;
  MetricKind lone_kind;
};

constexpr DimFacts kDimFacts[] = {
    {"count", MetricKind::kCount},     {"ms", MetricKind::kMeasure},
    {"bytes", MetricKind::kMeasure},   {"per_s", MetricKind::kMeasure},
    {"percent", MetricKind::kPercent}, {"", MetricKind::kMoney},
    {"x", MetricKind::kMultiplier}};

std::string_view CanonicalUnit(const Quantity& q) {
  return q.dim == Dim::kMoney ? q.currency : kDimFacts[static_cast<int>(q.dim)].unit;
}

Metric MetricOver(std::string_view note, const Tokens& t, size_t first, size_t last) {
  Metric m;
  m.offset = t[first].begin;
  m.length = t[last].end - t[first].begin;
  m.text = note.substr(m.offset, m.length);
  return m;
}

// The way a quantity moved, judged. Regressed only when the note says so:
// a word that says worse ("slower", "regressed", "spiked"), or a quantity it
// names whose better way is known ("errors", "latency", "coverage") moving
// the other way. A move against what only the unit suggests ("raised the
// timeout from 5s to 30s", "grew the cache to 4GB") stays unknown, and so
// does a setting changed on purpose.
Direction Judge(bool went_up, const Judgement& j, Effect effect) {
  if (effect == Effect::kBetter) return Direction::kImproved;
  if (effect == Effect::kWorse) return Direction::kRegressed;
  if (j.setting) return Direction::kUnknown;
  if (!j.higher_is_better) {
    // With no word saying which way is good, the change reported is the goal.
    return effect == Effect::kNone ? Direction::kUnknown : Direction::kImproved;
  }
  if (went_up == *j.higher_is_better) return Direction::kImproved;
  return j.named ? Direction::kRegressed : Direction::kUnknown;
}

// A change from `a` (the before) to `b` (the after) over the tokens of `c`;
// `verbs` is where the words saying how it went are looked for: the after
// figure's own clause when the two are told apart.
Metric MakeChange(std::string_view note, const Tokens& t, const Context& c,
                  const Context& verbs, const Quantity& a, const Quantity& b) {
  size_t first = c.first > 0 && TextIs(&t[c.first - 1], "from") ? c.first - 1 : c.first;
  Metric m = MetricOver(note, t, first, c.last);
  m.kind = MetricKind::kChange;
  m.unit = CanonicalUnit(b);
  m.before = a.value();
  m.after = m.value = b.value();
  m.upper_bound = b.upper_bound;
  m.period = b.period.empty() ? a.period : b.period;
  m.noun = b.has_noun() ? NounText(t, b) : NounText(t, a);
  double low = std::min(*m.before, *m.after), high = std::max(*m.before, *m.after);
  m.factor = low > 0 ? high / low : 0;
  std::optional<bool> noun = NounPolarity(t, a);
  Judgement higher = noun ? Judgement{noun, true, false} : Polarity(t, c, b);
  m.direction = *m.before == *m.after ? Direction::kUnknown
                                      : Judge(*m.after > *m.before, higher,
                                              NearestEffect(t, verbs, false));
  return m;
}

Metric MakeLone(std::string_view note, const Tokens& t, const Context& c,
                const Quantity& q) {
  Metric m = MetricOver(note, t, c.first, c.last);
  m.kind = kDimFacts[static_cast<int>(q.dim)].lone_kind;
  m.unit = CanonicalUnit(q);
  m.value = q.value();
  m.upper_bound = q.upper_bound;
  m.period = q.period;
  m.noun = NounText(t, q);
  if (q.dim == Dim::kMultiplier) m.factor = m.value;
  // A lone figure moved only if a word says which way.
  Effect effect = NearestEffect(t, c, true);
  m.direction = effect == Effect::kNone
                    ? Direction::kUnknown
                    : Judge(effect == Effect::kIncrease, Polarity(t, c, q), effect);
  return m;
}

// "1.8s -> 240ms (7.5x)": the multiplier only repeats the change's factor.
bool RepeatsFactor(const Tokens& t, const std::vector<Metric>& out, size_t prev_last,
                   const Quantity& q) {
  if (q.dim != Dim::kMultiplier || out.empty() ||
      out.back().kind != MetricKind::kChange)
    return false;
  for (size_t k = prev_last + 1; k < q.first_tok; ++k) {
    if (t[k].text != "(" && t[k].text != "," && t[k].text != "—" && t[k].text != "-")
      return false;
  }
  return true;
}

// A head count of people ("3 engineers", "2 new contributors") is no metric.
bool CountsPeople(const Tokens& t, const Quantity& q) {
  if (!q.has_noun()) return false;
  for (size_t k = q.noun_first; k <= q.noun_last; ++k) {
    if (t.is(k, kPerson)) return true;
  }
  return false;
}

// A bare number with no unit and no noun after "bumped", "released",
// "pinned" ("bumped werkzeug to 0.28") is a version, not a metric; so is one
// with decimals ("0.28": a count has none) unless a word names what it
// measures ("uptime at 99.95", "apdex 0.93" stays).
bool IsLoneVersion(const Tokens& t, const Context& c, const Quantity& q) {
  if (q.dim != Dim::kNone || q.has_noun() || q.magnitude) return false;
  if (NearestBefore<bool>(t, c, IsUpgrade)) return true;
  return t[q.num_tok].decimal && !Polarity(t, c, q).named;
}

// The clause around tokens [first, last], a trailing #tag left out: the
// fragment of the note that states a metric.
void SetFragment(Metric& m, std::string_view note, const Tokens& t, size_t first,
                 size_t last) {
  size_t begin = ClauseStart(t, first, 0);
  size_t end = last;
  while (end + 1 < t.size() && !IsClauseBreak(t, end + 1)) ++end;
  while (end > last + 1 && t[end].kind == TokenKind::kWord && !t[end].spaced &&
         t[end - 1].text == "#") {
    end -= 2;
  }
  m.fragment_offset = t[begin].begin;
  m.fragment_length = t[end].end - t[begin].begin;
  m.fragment = note.substr(m.fragment_offset, m.fragment_length);
}

// Walks the quantities in order, pairing neighbours into changes.
class MetricBuilder {
 public:
  MetricBuilder(std::string_view note, const Tokens& t, std::vector<Quantity> qs)
      : note_(note), t_(t), qs_(std::move(qs)) {}

  std::vector<Metric> Build() {
    for (size_t k = 0; k < qs_.size(); ++k) {
      Pair p = k + 1 < qs_.size() ? PairOf(qs_[k], qs_[k + 1]) : Pair::kNone;
      if (p != Pair::kNone) {
        AddChange(qs_[k], qs_[k + 1], k + 2, p);
        ++k;
      } else {
        AddLone(qs_[k], k + 1);
      }
    }
    return std::move(out_);
  }

 private:
  Pair PairOf(Quantity& a, Quantity& b) const {
    Pair p = Pair::kNone;
    if (Joined(t_, a, b) || FromTo(t_, a, b)) {
      p = Pair::kForward;
    } else if (DownFrom(t_, a, b)) {
      p = Pair::kReverse;
    } else if (Across(t_, a, b, back_stop_)) {
      p = Pair::kAcross;
    }
    return p != Pair::kNone && MakeCompatible(t_, a, b) ? p : Pair::kNone;
  }

  Context ContextOf(size_t first, size_t last, size_t next_q) const {
    size_t fwd = next_q < qs_.size() ? qs_[next_q].first_tok : t_.size();
    return Context{first, last, back_stop_, fwd};
  }

  void AddChange(const Quantity& a, const Quantity& b, size_t next_q, Pair p) {
    Context c = ContextOf(a.first_tok, b.last_tok, next_q);
    const Quantity& before = p == Pair::kReverse ? b : a;
    const Quantity& after = p == Pair::kReverse ? a : b;
    Context verbs = c;
    if (p == Pair::kAcross) {
      verbs.first = b.first_tok;
      verbs.back_stop = ClauseStart(t_, b.first_tok, back_stop_);
    }
    bool years = IsYearLike(t_, a) && IsYearLike(t_, b);
    bool people = CountsPeople(t_, a) || CountsPeople(t_, b);
    if (!years && !people && !IsVersionBump(t_, c, a, b)) {
      Metric m = MakeChange(note_, t_, c, verbs, before, after);
      SetFragment(m, note_, t_, a.first_tok, b.last_tok);
      out_.push_back(m);
    }
    back_stop_ = b.last_tok + 1;
  }

  void AddLone(const Quantity& q, size_t next_q) {
    Context c = ContextOf(q.first_tok, q.last_tok, next_q);
    if (!IsYearLike(t_, q) && !CountsPeople(t_, q) && !IsLoneVersion(t_, c, q) &&
        !RepeatsFactor(t_, out_, back_stop_ - 1, q)) {
      Metric m = MakeLone(note_, t_, c, q);
      SetFragment(m, note_, t_, q.first_tok, q.last_tok);
      out_.push_back(m);
    }
    back_stop_ = q.last_tok + 1;
  }

  std::string_view note_;
  const Tokens& t_;
  std::vector<Quantity> qs_;
  std::vector<Metric> out_;
  size_t back_stop_ = 0;
};

// Formatting.

// `v` with `decimals` decimals, trailing zeros (and a bare '.') dropped.
void AppendFixed(std::string& out, double v, int decimals) {
  // Room for the largest double (309 digits) with a sign, a point and the
  // few decimals the formats use.
  char buf[320 + 16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed,
                                 std::min(decimals, 16));
  std::string_view s(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
  if (s.find('.') != std::string_view::npos) {
    while (s.back() == '0') s.remove_suffix(1);
    if (s.back() == '.') s.remove_suffix(1);
  }
  out += s;
}

// Three significant digits or so: "1.8", "12.5", "240".
void AppendReadable(std::string& out, double v) {
  double a = std::fabs(v);
  AppendFixed(out, v, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

// "8,400", "1,200.5".
void AppendGrouped(std::string& out, double v) {
  size_t start = out.size();
  AppendReadable(out, v);
  size_t digits_end = out.find('.', start);
  if (digits_end == std::string::npos) digits_end = out.size();
  size_t digits_begin = start + (out[start] == '-' ? 1 : 0);
  for (size_t k = digits_end; k > digits_begin + 3; k -= 3) out.insert(k - 3, 1, ',');
}

// "8,400", "120k", "12M", "3B".
void AppendCompact(std::string& out, double v) {
  double a = std::fabs(v);
  if (a >= 1e9) {
    AppendReadable(out, v / 1e9);
    out += 'B';
  } else if (a >= 1e6) {
    AppendReadable(out, v / 1e6);
    out += 'M';
  } else if (a >= 1e5) {
    AppendReadable(out, v / 1e3);
    out += 'k';
  } else {
    AppendGrouped(out, v);
  }
}

// A unit a value is shown in: the first whose `below` its magnitude is
// under, else the last; shown as value * times / divide.
struct ShownUnit {
  double below;
  double times;
  double divide;
  const char* name;
};

void AppendInUnit(std::string& out, double v, std::span<const ShownUnit> units) {
  double a = std::fabs(v);
  const ShownUnit* unit = &units.back();
  for (const ShownUnit& u : units) {
    if (a < u.below) {
      unit = &u;
      break;
    }
  }
  AppendReadable(out, v * unit->times / unit->divide);
  out += unit->name;
}

constexpr double kNoBound = std::numeric_limits<double>::infinity();

constexpr ShownUnit kTimeUnits[] = {
    {1, 1e3, 1, "µs"},      {1e3, 1, 1, "ms"},        {1.2e5, 1, 1e3, "s"},
    {7.2e6, 1, 6e4, "min"}, {1.728e8, 1, 3.6e6, "h"}, {kNoBound, 1, 8.64e7, "d"}};

constexpr ShownUnit kSizeUnits[] = {{1e3, 1, 1, "B"},
                                    {1e6, 1, 1e3, "KB"},
                                    {1e9, 1, 1e6, "MB"},
                                    {1e12, 1, 1e9, "GB"},
                                    {kNoBound, 1, 1e12, "TB"}};

void AppendFactor(std::string& out, double factor) {
  AppendFixed(out, factor, factor >= 10 ? 0 : 1);
  out += 'x';
}

constexpr Alias kCurrencyShown[] = {{"usd", "$"}, {"eur", "€"}, {"gbp", "£"}};

// One value of `m` in its unit; a rate keeps its noun: "1,200 req/s".
void AppendValue(std::string& out, double v, const Metric& m) {
  std::string_view unit = m.unit;
  // Milliseconds; zero is "0ms", not µs.
  if (unit == "ms")
    return AppendInUnit(out, v, std::span(kTimeUnits).subspan(v == 0 ? 1 : 0));
  if (unit == "bytes") return AppendInUnit(out, v, kSizeUnits);
  if (unit == "per_s") {
    AppendCompact(out, v);
    if (!m.noun.empty()) (out += ' ') += m.noun;
    out += "/s";
    return;
  }
  if (unit == "percent") {
    AppendFixed(out, v, 2);
    out += '%';
    return;
  }
  if (unit == "x") return AppendFactor(out, v);
  for (const Alias& c : kCurrencyShown) {
    if (unit == c.name) {
      out += c.canonical;
      return AppendCompact(out, v);
    }
  }
  AppendCompact(out, v);
}

// "/month" and " records" after the (last) value.
void AppendSuffix(std::string& out, const Metric& m) {
  if (!m.noun.empty() && m.unit != "per_s") (out += ' ') += m.noun;
  if (!m.period.empty()) (out += '/') += m.period;
}

}  // namespace

std::vector<Metric> ExtractMetrics(std::string_view note) {
  return ExtractMetrics(note, TokenizeNote(note));
}

std::vector<Metric> ExtractMetrics(std::string_view note,
                                   const std::vector<Token>& note_tokens) {
  // Every quantity starts at a number: most notes without one stop here,
  // before their words are looked up.
  bool numbers =
      std::any_of(note_tokens.begin(), note_tokens.end(),
                  [](const Token& t) { return t.kind == TokenKind::kNumber; });
  if (!numbers) return {};
  Tokens tokens(note_tokens);
  std::vector<Quantity> qs = ReadQuantities(tokens);
  if (qs.empty()) return {};
  return MetricBuilder(note, tokens, std::move(qs)).Build();
}

void AppendMetric(std::string& out, const Metric& m) {
  if (m.kind != MetricKind::kChange) {
    if (m.upper_bound) out += '<';
    AppendValue(out, m.value, m);
    AppendSuffix(out, m);
    return;
  }
  AppendValue(out, m.before.value_or(0), m);
  out += " -> ";
  if (m.upper_bound) out += '<';
  AppendValue(out, m.after.value_or(m.value), m);
  AppendSuffix(out, m);
  if (m.factor > 0) {
    out += " (";
    AppendFactor(out, m.factor);
    out += ')';
  }
}

std::string FormatMetric(const Metric& m) {
  std::string s;
  AppendMetric(s, m);
  return s;
}

}  // namespace brag::impact
