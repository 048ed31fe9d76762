// The self-assessment draft (`brag review`): the guide's formula, what I did
// -> the impact it had -> what's next, one win at a time, every claim with
// the PR or commit and the journal note it comes from.
#include <algorithm>
#include <string>
#include <vector>

#include "digest/note_text.h"
#include "digest/render.h"
#include "digest/render_text.h"

namespace brag::digest {
namespace {

double Strength(const Win& w) {
  double best = 0;
  for (const Metric& m : w.metrics) best = std::max(best, m.factor);
  return best;
}

// A win with its strength, for sorting.
struct Ranked {
  const Win* win;
  double strength;
};

// Quantified wins first, the largest factor first among them, then the
// newest.
bool Stronger(const Ranked& x, const Ranked& y) {
  const Win& a = *x.win;
  const Win& b = *y.win;
  if (a.metrics.empty() != b.metrics.empty()) return !a.metrics.empty();
  if (x.strength != y.strength) return x.strength > y.strength;
  if (a.metrics.size() != b.metrics.size()) return a.metrics.size() > b.metrics.size();
  if (a.time != b.time) return a.time > b.time;
  return a.note_id < b.note_id;
}

// A note written as "impact; next: what comes after", split in two (views
// of `text`); `lower` is scratch.
struct Split {
  std::string_view impact;
  std::string_view next;
};

Split SplitNext(std::string_view text, std::string& lower) {
  lower.assign(text);
  for (char& c : lower) c = LowerAscii(c);
  for (std::string_view marker : {"next:", "next step:", "next steps:", "what's next:"}) {
    size_t at = lower.find(marker);
    if (at == std::string::npos || (at > 0 && lower[at - 1] != ' ' && lower[at - 1] != ';' &&
                                    lower[at - 1] != '(' && lower[at - 1] != ','))
      continue;
    std::string_view impact = text.substr(0, at);
    std::string_view next = text.substr(at + marker.size());
    while (!impact.empty() && std::string_view(" ;,.(-").find(impact.back()) != std::string_view::npos)
      impact.remove_suffix(1);
    while (!next.empty() && next.front() == ' ') next.remove_prefix(1);
    while (!next.empty() && (next.back() == ')' || next.back() == ' ')) next.remove_suffix(1);
    return {impact, next};
  }
  return {text, {}};
}

void AppendWhatIDid(std::string& out, const Win& w, std::string_view impact) {
  if (w.kind == "pr_merged" && !w.title.empty()) {
    AppendMarkdownText(out, w.title);
    out += " (";
    AppendMarkdownText(out, WinSubject(w));
    out += ')';
  } else if (w.kind == "incident_closed") {
    out += "Closed incident ";
    AppendMarkdownText(out, w.branch);
    if (!w.repo_name.empty()) {
      out += " in ";
      AppendMarkdownText(out, w.repo_name);
    }
    if (w.incident_seconds > 0) (out += ", ") += DurationText(w.incident_seconds) + " open to close";
    if (w.incident_commits > 0) (out += ", ") += Counted(w.incident_commits, "commit");
  } else {
    AppendMarkdownText(out, impact);
  }
}

void AppendImpact(std::string& out, const Win& w, std::string_view impact) {
  size_t start = out.size();
  if (w.kind != "note") AppendMarkdownText(out, impact);
  bool bare = out.size() == start;
  if (!w.metrics.empty()) {
    if (!bare) out += " (";
    for (size_t k = 0; k < w.metrics.size(); ++k) {
      if (k > 0) out += "; ";
      AppendMetricMd(out, w.metrics[k]);
    }
    if (!bare) out += ')';
    return;
  }
  for (const Suggestion& s : w.suggestions) {
    if (s.issue == kNoNumber) {
      if (!bare) out += ' ';
      out += "_[";
      out += s.suggestion;
      out += "]_";
      return;
    }
  }
  if (bare) out += "_[add the measured impact]_";
}

void AppendWin(const Win& w, std::string& out) {
  thread_local std::string text, lower;  // reused: one per render thread
  WithoutTags(w.text, text);
  Split split = SplitNext(text, lower);
  out += "- **What I did:** ";
  AppendWhatIDid(out, w, split.impact);
  out += "\n  **Impact:** ";
  AppendImpact(out, w, split.impact);
  out += "\n  **What's next:** ";
  if (split.next.empty()) {
    out += "_[what this enables, or the next target]_";
  } else {
    AppendMarkdownText(out, split.next);
  }
  out += '\n';
  for (const Suggestion& s : w.suggestions) {
    if (s.issue != kWeakPhrasing) continue;
    out += "  _Sharpen \"";
    AppendMarkdownText(out, s.phrase);
    out += "\": ";
    out += s.suggestion;
    out += "_\n";
  }
  out += "  Ref: ";
  AppendTraceMd(out, w);
  out += '\n';
}

}  // namespace

void RenderReview(const Digest& d, RenderOutput& output) {
  std::string& out = output.buf();
  out += "# Self-assessment draft: " + WindowDates(d.window) + "\n\n";
  int quantified = 0;
  for (const Win& w : d.wins) quantified += w.metrics.empty() ? 0 : 1;
  out += "Drafted by brag from " + Counted(d.counts.notes, "journal note") + " (" +
         Counted(d.counts.prs_merged, "PR") + " merged, " +
         Counted(d.counts.incidents_closed, "incident") + " closed). Each win reads " +
         "*what I did -> impact -> what's next*, strongest first, with the PR or commit " +
         "and the note it comes from. Fill the [brackets] and edit before you submit.\n";
  if (d.categories.empty()) out += "\nNo notes in this period.\n";
  for (const CategoryGroup& g : d.categories) {
    // Strength is worked out once per win, not at each comparison.
    std::vector<Ranked> wins;
    wins.reserve(g.wins.size());
    for (size_t i : g.wins) wins.push_back(Ranked{&d.wins[i], Strength(d.wins[i])});
    std::stable_sort(wins.begin(), wins.end(), Stronger);
    out += "\n## ";
    AppendMarkdownText(out, g.title);
    out += "\n\n";
    output.Each(wins.size(), [&](size_t i, std::string& text) {
      // Ranked wins are spread over all of them: fetch one a few ahead.
      if (i + 8 < wins.size()) __builtin_prefetch(wins[i + 8].win);
      AppendWin(*wins[i].win, text);
    });
  }
  out += "\n## Before you submit\n\n";
  out += "- " + std::to_string(quantified) + " of " + Counted(d.counts.notes, "win") +
         " carry a number; `brag digest` lists what to add under Sharpen.\n";
  out += "- Merged PRs and closed incidents still without a note: " +
         std::to_string(d.counts.unanswered) + " (`brag pending`).\n";
  output.Finish();
}

std::string RenderReview(const Digest& d) {
  RenderOutput out;
  RenderReview(d, out);
  return out.Take();
}

}  // namespace brag::digest
