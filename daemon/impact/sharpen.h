// "Sharpen" (DESIGN §9): what would make a note a stronger brag. A note with
// no measurable number gets the number to add, chosen from its words; weak
// phrasing ("helped with", "worked on", "fixed the slow queries", "various")
// gets the ownership verb to use and the effect to add. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "impact/metrics.h"
#include "impact/note_text.h"

namespace brag::impact {

// The issue kinds a Suggestion reports.
inline constexpr std::string_view kNoNumber = "no number";
inline constexpr std::string_view kWeakPhrasing = "weak phrasing";

// One way to sharpen a note.
struct Suggestion {
  // kNoNumber or kWeakPhrasing. The issue and the suggestion come from
  // brag's own tables (static text): a digest of 100k notes holds no copy.
  std::string_view issue;
  std::string phrase;  // the weak words as written in the note; "" for kNoNumber
  std::string_view suggestion;  // what to write instead or add, for a human
};

// The suggestions for `note`, given the metrics ExtractMetrics found in it:
// first kNoNumber when `metrics` is empty, then one kWeakPhrasing per weak
// phrase in the order they appear. A vague result ("fixed the slow queries",
// "optimized the build") is weak only in a note with no number. A note with
// numbers and owned verbs ("cut p99 from 1.8s to 240ms") gets none.
std::vector<Suggestion> Sharpen(std::string_view note,
                                const std::vector<Metric>& metrics);
// The same, from the tokens TokenizeNote(note) made and whether
// ExtractMetrics found no metric in it.
std::vector<Suggestion> Sharpen(std::string_view note, const std::vector<Token>& tokens,
                                bool no_metrics);

}  // namespace brag::impact
