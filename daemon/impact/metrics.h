// Impact numbers read out of free-form one-line notes (DESIGN §9): before ->
// after pairs with their factor, multipliers, percentages, money and counts,
// each with a canonical unit so the digest can compare and format them.
// Pure: no I/O. A hand-written scanner, a few microseconds per note.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impact/note_text.h"

namespace brag::impact {

enum class MetricKind {
  kChange,      // a before -> after pair: "from 1.8s to 240ms", "340 to 4"
  kMultiplier,  // "3.2x faster", "15x", "10×", "3 times faster"
  kPercent,     // a lone percentage: "by 71%", "cut errors 40%"
  kMoney,       // a lone amount: "$8,400/month", "€2k per month", "saved $120k"
  kCount,       // a lone plain number: "12 million records", "3 services"
  kMeasure,     // a lone time, size or rate: "p99 under 300ms", "40 req/s"
};

enum class Direction { kImproved, kRegressed, kUnknown };

// One number (or pair) found in a note. `unit` and `period` view static
// tables; the other texts are copies of parts of the note.
//
// Canonical units (`unit`): "ms" for every time, "bytes" for every size
// (KB = 1000 bytes, KiB = 1024), "per_s" for rates, "percent", "usd"/"eur"/
// "gbp" for money, "x" for multipliers and "count" for plain numbers.
struct Metric {
  MetricKind kind = MetricKind::kCount;
  size_t offset = 0;  // byte offset of the match in the note
  size_t length = 0;  // byte length of the match
  std::string text;   // the matched text, as written
  // The clause of the note that states the metric (between . ; , — "and",
  // "but" or "while"; a trailing #tag left out), shown beside the figure
  // instead of the whole note: "error rate from 12% to 0.1% in 40 minutes".
  // A pair told in two clauses spans both.
  size_t fragment_offset = 0;
  size_t fragment_length = 0;
  std::string fragment;
  // The canonical value: the after value of a change, the factor of a
  // multiplier, 71 for "71%", the amount of money, the number counted.
  double value = 0;
  std::string_view unit;
  std::string_view period;  // "day", "week", "month", "quarter", "year" or ""
  std::string noun;         // what a count counts, as written: "records", "flaky tests"
  std::optional<double> before;  // changes only, in `unit`
  std::optional<double> after;   // changes only, in `unit`
  // The value (or the after value of a change) is a bound, not a reading:
  // "under 10", "below 50ms", "< 5 minutes", "less than 1s", "sub-100ms".
  bool upper_bound = false;
  // How many times better or worse: for a change the larger of before/after
  // over the smaller (so always >= 1, "1.8s -> 240ms" is 7.5), for a
  // multiplier its value; 0 when there is no ratio (percent, money, counts,
  // measures, and changes to or from zero).
  double factor = 0;
  Direction direction = Direction::kUnknown;
};

// Every metric in `note`, in order of appearance; empty when the note holds no
// number. Version numbers (v2, 2.3.1, "bumped to 0.28", a bare "0.28"),
// dates (2026-11-02, Nov 2), times of day (14:30, 9am), years ("in 2024"),
// references (#123, PR 123, JIRA-123, CVE-2024-1234), SHAs, ordinals, ranges
// ("50-60%") and head counts of people ("3 engineers", "2 new contributors";
// users and customers are reach and stay counts) are not metrics.
//
// Pairs: "from X to Y" (words may stand between: "from 1.2s on average to
// under 300ms"), "X -> Y", "Y, down from X" / "up from X" (X is the before),
// and two figures in two clauses when the first is marked as the earlier state
// and the second as the later one ("p99 spiked to 4s; after the fix it
// dropped to 350ms", "previously 40 min, now 6", "was 14 min and is now 5").
//
// Direction: lower is better for times, sizes, money and counts of bad
// things (errors, alerts, pages, nodes, queries, latency, cost, ...); higher
// is better for rates and good things (throughput, hit rate, coverage,
// availability, ...). The word nearest the match decides first (the count's
// own noun, then the words before it, then those after), then the unit. When
// neither says which way is better, a verb of change ("reduced", "dropped",
// "increased") is taken as the goal the note reports; with no such verb the
// direction is kUnknown. kRegressed only when the note says it got worse: a
// word for it ("slower", "regressed", "spiked") or a quantity it names moving
// the wrong way ("error rate went from 0.2% to 3%"); a move against what only
// the unit suggests ("grew the cache to 16GB") and a setting changed on
// purpose ("raised the timeout from 5s to 30s") stay kUnknown.
std::vector<Metric> ExtractMetrics(std::string_view note);
// The same, from the tokens TokenizeNote(note) made, so that one
// tokenization serves every analysis of a note.
std::vector<Metric> ExtractMetrics(std::string_view note,
                                   const std::vector<Token>& tokens);

// A short human form of `metric`: "1.8s -> 240ms (7.5x)", "71%", "3.2x",
// "$8,400/month", "12M records", "<50ms". Times are shown in µs under 1 ms,
// ms under 1 s, s under 2 min, min under 2 h, h under 2 days, then d; sizes in
// B/KB/MB/GB/TB; rates as "/s"; factors with one decimal under 10 (a
// trailing ".0" dropped: "2x") and none from 10 up ("15x").
std::string FormatMetric(const Metric& metric);
// FormatMetric(metric) appended to `out`.
void AppendMetric(std::string& out, const Metric& metric);

}  // namespace brag::impact
