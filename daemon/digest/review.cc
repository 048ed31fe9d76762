// The self-assessment draft (`brag review`): the guide's formula, what I did
// -> the impact it had -> what's next, as one paragraph of full sentences per
// win that a person could paste, made from the PR's title, the note and its
// figures. What a paragraph lacks (a figure, a next step) is said in a short
// quoted line under it, never as a placeholder in the prose, and so is the
// PR or commit and the journal note it comes from.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "digest/render.h"
#include "digest/render_text.h"
#include "digest/week.h"
#include "impact/note_text.h"

namespace brag::digest {
namespace {

double Strength(const Win& w) {
  double best = 0;
  for (const impact::Metric& m : w.metrics) best = std::max(best, m.factor);
  return best;
}

// Quantified wins first, the largest factor first among them, then the
// newest.
bool Stronger(const Win* a, const Win* b) {
  if (a->metrics.empty() != b->metrics.empty()) return !a->metrics.empty();
  if (Strength(*a) != Strength(*b)) return Strength(*a) > Strength(*b);
  if (a->metrics.size() != b->metrics.size())
    return a->metrics.size() > b->metrics.size();
  if (a->time != b->time) return a->time > b->time;
  return a->note_id < b->note_id;
}

// `text` without the characters of `chars` at its end.
std::string_view TrimRight(std::string_view text, std::string_view chars) {
  while (!text.empty() && chars.find(text.back()) != std::string_view::npos)
    text.remove_suffix(1);
  return text;
}

// A note written as "impact; next: what comes after", split in two (views
// of `text`); `lower` is scratch.
struct Split {
  std::string_view impact;
  std::string_view next;
};

Split SplitNext(std::string_view text, std::string& lower) {
  lower.assign(text);
  for (char& c : lower) c = impact::LowerAscii(c);
  for (std::string_view marker :
       {"next:", "next step:", "next steps:", "what's next:"}) {
    size_t at = lower.find(marker);
    if (at == std::string::npos ||
        (at > 0 && lower[at - 1] != ' ' && lower[at - 1] != ';' &&
         lower[at - 1] != '(' && lower[at - 1] != ','))
      continue;
    std::string_view impact = TrimRight(text.substr(0, at), " ;,.(-");
    std::string_view next = TrimRight(text.substr(at + marker.size()), ") ");
    while (!next.empty() && next.front() == ' ') next.remove_prefix(1);
    return {impact, next};
  }
  return {text, {}};
}

bool IsLowerAscii(char c) { return c >= 'a' && c <= 'z'; }

// `text` without the spaces and the clause punctuation (",;:-") that end it:
// what is left ends a sentence as written, or takes a period.
std::string_view TrimEnd(std::string_view text) {
  text = TrimRight(text, " \t,;:-");
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return text;
}

// Whether the sentence begun at `text` should open with a capital: its first
// word is all lower-case letters ("cut", not "p99", "iOS" or "gRPC").
bool WantsCapital(std::string_view text) {
  if (text.empty() || !IsLowerAscii(text[0])) return false;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == ';' || c == ':' || c == '.') break;
    if (!IsLowerAscii(c) && c != '-' && c != '\'') return false;
  }
  return true;
}

// `text` in Markdown as the start of a sentence: capitalised when its first
// word is a plain lower-case word.
void AppendSentenceStart(std::string& out, std::string_view text) {
  if (WantsCapital(text)) {
    out += static_cast<char>(text[0] - 'a' + 'A');
    text.remove_prefix(1);
  }
  AppendMarkdownText(out, text);
}

// A period after `text` unless it ends a sentence already.
void EndSentence(std::string& out, std::string_view text) {
  if (text.empty() ||
      std::string_view(".!?").find(text.back()) == std::string_view::npos)
    out += '.';
}

// `value` with at most one decimal, a trailing ".0" dropped.
void AppendShort(std::string& out, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  std::string_view v(buf);
  if (v.ends_with(".0")) v.remove_suffix(2);
  out += v;
}

// "7.5x": one decimal under 10, a trailing ".0" dropped, none from 10 up.
void AppendFactor(std::string& out, double factor) {
  if (factor < 10) {
    AppendShort(out, factor);
  } else {
    out += std::to_string(static_cast<long long>(factor + 0.5));
  }
  out += 'x';
}

// What a change says in words, from its figures alone (not a judgement):
// from 2x up the factor, "7.5x faster" for a time that fell, "85x fewer" for
// a count; below it the relative change, "down 34%", or the difference in
// points between two percentages, "up 23 points".
void AppendChangeWords(std::string& out, const impact::Metric& m) {
  double before = *m.before, after = *m.after;
  bool fell = after < before;
  if (m.factor < 2) {
    out += fell ? "down " : "up ";
    if (m.unit == "percent") {
      AppendShort(out, fell ? before - after : after - before);
      out += " points";
    } else {
      out += std::to_string(static_cast<int>(
          (fell ? before - after : after - before) / before * 100 + 0.5));
      out += '%';
    }
    return;
  }
  AppendFactor(out, m.factor);
  const char* words[][3] = {{"ms", " faster", " longer"},
                            {"bytes", " smaller", " larger"},
                            {"count", " fewer", " more"},
                            {"", " lower", " higher"}};
  size_t k = 0;
  while (k + 1 < std::size(words) && m.unit != words[k][0]) ++k;
  out += words[k][fell ? 1 : 2];
}

// Whether the note gives a factor of its own ("3x faster"): then its
// changes get none added.
bool SaysItsFactor(const Win& w) {
  return std::any_of(w.metrics.begin(), w.metrics.end(), [](const impact::Metric& m) {
    return m.kind == impact::MetricKind::kMultiplier;
  });
}

// Whether a change's factor is worth saying, and its match lies in the note.
bool ShowsFactor(const impact::Metric& m, size_t text_size) {
  return m.kind == impact::MetricKind::kChange && m.factor >= 1.05 && m.before &&
         m.after && *m.before != *m.after && m.offset + m.length <= text_size;
}

// The note's impact as a sentence: capitalised, ended with a period, and
// each before -> after change followed by what it amounts to, "(7.5x
// faster)", "(down 34%)", where the note gives no factor of its own.
void AppendImpactSentence(std::string& out, const Win& w, std::string_view impact) {
  impact = TrimEnd(impact);
  if (impact.empty()) return;
  // Split points: views of impact, which is a prefix-trimmed part of w.text.
  size_t base = static_cast<size_t>(impact.data() - w.text.data());
  size_t at = 0;  // impact[0, at) is written
  bool first = true;
  if (!SaysItsFactor(w)) {
    for (const impact::Metric& m : w.metrics) {
      if (!ShowsFactor(m, w.text.size()) || m.offset < base) continue;
      size_t end = m.offset + m.length - base;
      if (end > impact.size() || end < at) continue;
      std::string_view part = impact.substr(at, end - at);
      if (first) {
        AppendSentenceStart(out, part);
        first = false;
      } else {
        AppendMarkdownText(out, part);
      }
      // Inside the note's parentheses, or before some, one pair: "(20m ->
      // 6m; 3.3x faster)", "6m (3.3x faster; thanks Ana)".
      bool closing = end < impact.size() && impact[end] == ')';
      bool opening = impact.substr(end).starts_with(" (");
      out += closing ? "; " : " (";
      AppendChangeWords(out, m);
      if (opening) {
        out += "; ";
        end += 2;
      } else if (!closing) {
        out += ')';
      }
      at = end;
    }
  }
  std::string_view rest = impact.substr(at);
  if (first) {
    AppendSentenceStart(out, rest);
  } else {
    AppendMarkdownText(out, rest);
  }
  EndSentence(out, impact);
}

// The lead that says what I did, before the note: the PR's title with its
// number and repo, or the incident I closed; nothing for a free note.
void AppendLead(std::string& out, const Win& w) {
  if (w.kind == "pr_merged" && !w.title.empty()) {
    AppendSentenceStart(out, TrimRight(TrimEnd(w.title), "."));
    // "(PR #481, payments)"; a local merge has no number.
    std::string pr = w.pr > 0 ? "PR #" + std::to_string(w.pr) : "";
    std::string where = pr + (pr.empty() || w.repo_name.empty() ? "" : ", ");
    AppendMarkdownText(where, w.repo_name);
    if (!where.empty()) out += " (" + where + ')';
    out += '.';
  } else if (w.kind == "incident_closed") {
    out += "Closed the incident on branch ";
    AppendMarkdownText(out, w.branch);
    if (!w.repo_name.empty()) {
      out += " in ";
      AppendMarkdownText(out, w.repo_name);
    }
    if (w.incident_seconds > 0)
      (out += ' ') += DurationText(w.incident_seconds) + " after it opened";
    if (w.incident_commits > 0)
      (out += " (") += Counted(w.incident_commits, "commit") + ')';
    out += '.';
  }
}

// Whether `note` says no more than `title`: the same words, ignoring case
// and a final period.
bool RepeatsTitle(std::string_view note, std::string_view title) {
  note = TrimRight(TrimEnd(note), ".");
  title = TrimRight(TrimEnd(title), ".");
  return !title.empty() && impact::EqualsIgnoreCase(note, title);
}

// A short marked line under the paragraph: "> To add: ...".
void AppendToAdd(std::string& out, std::string_view what) {
  out += "> To add: ";
  out += what;
  EndSentence(out, what);
  out += '\n';
}

void AppendWin(const Win& w, std::string& out) {
  std::string lower;
  Split split = SplitNext(w.text, lower);
  // The paragraph: what I did -> the impact -> what's next.
  size_t start = out.size();
  AppendLead(out, w);
  // A note that only repeats the PR's title says nothing the lead does not.
  if (!RepeatsTitle(split.impact,
                    w.kind == "pr_merged" ? w.title : std::string_view())) {
    size_t before = out.size();
    if (before != start) out += ' ';
    AppendImpactSentence(out, w, split.impact);
    if (out.size() == before + 1) out.pop_back();  // no impact text after all
  }
  std::string_view next = TrimEnd(split.next);
  if (!next.empty()) {
    if (out.size() != start) out += ' ';
    out += "Next step: ";
    AppendMarkdownText(out, next);
    EndSentence(out, next);
  }
  // Under it, what is missing and where it comes from. A note of nothing but
  // tags leaves no paragraph: it asks for one.
  bool empty = out.size() == start;
  if (empty) {
    AppendToAdd(out, "what you did and the impact it had");
  } else {
    out += "\n\n";
  }
  if (w.metrics.empty() && !empty) {
    std::string_view hint = "a figure for the impact (before -> after)";
    for (const impact::Suggestion& s : w.suggestions) {
      if (s.issue != impact::kNoNumber) continue;
      hint = s.suggestion;
      if (hint.starts_with("add ")) hint.remove_prefix(4);
      break;
    }
    AppendToAdd(out, hint);
  }
  if (next.empty())
    AppendToAdd(out, "the next step (what this enables, or the next target)");
  for (const impact::Suggestion& s : w.suggestions) {
    if (s.issue != impact::kWeakPhrasing) continue;
    out += "> Sharpen \"";
    AppendMarkdownText(out, s.phrase);
    out += "\": ";
    out += s.suggestion;
    EndSentence(out, s.suggestion);
    out += '\n';
  }
  out += "> Source: ";
  AppendTraceMd(out, w);
  out += "\n\n";
}

// A merged PR or closed incident with no note yet, as an entry to fill in:
// what it was, then where its impact goes and the command that puts it there.
void AppendToFill(const Backfill& b, std::string& out) {
  out += "### ";
  bool incident = b.kind == "incident_closed";
  if (incident) {
    out += "Closed the incident on branch ";
    AppendMarkdownText(out, b.branch);
  } else {
    AppendMarkdownText(out, b.title.empty() ? std::string_view("Merge") : b.title);
  }
  std::string where = b.pr > 0 ? "PR #" + std::to_string(b.pr) : "";
  if (!b.repo_name.empty()) where += where.empty() ? "" : ", ";
  AppendMarkdownText(where, b.repo_name);
  if (!where.empty()) out += " (" + where + ")";
  out += incident ? ", closed " : ", merged ";
  out += LocalDate(b.time);
  out += "\n\nImpact: still to write";
  out += b.state == "snoozed" ? " (snoozed)" : "";
  out += ".\n\n> Fill in: `brag answer " + std::to_string(b.prompt_id) +
         " \"what changed, for whom, with a number\"`\n\n";
}

// A period with merged work and no note: the skeleton of the draft, one
// entry per PR or incident, and how to fill it in.
void AppendSkeleton(const Digest& d, RenderOutput& output) {
  std::string& out = output.buf();
  out += "## To fill in\n\n";
  int64_t incidents =
      std::count_if(d.unanswered.begin(), d.unanswered.end(),
                    [](const Backfill& b) { return b.kind == "incident_closed"; });
  int64_t prs = static_cast<int64_t>(d.unanswered.size()) - incidents;
  std::string waiting = prs > 0 ? Counted(prs, "merged PR") : "";
  if (incidents > 0)
    waiting += (waiting.empty() ? "" : " and ") + Counted(incidents, "closed incident");
  out += "No notes in this period yet: " + waiting +
         (d.unanswered.size() == 1 ? " waits" : " wait") +
         " for one. Write the impact of each below with `brag answer ID \"...\"`, " +
         "or of all in turn with `brag prompt` (`brag pending` lists them), then run " +
         "`brag review` again for the paragraphs.\n\n";
  for (const Backfill& b : d.unanswered) {
    AppendToFill(b, out);
    output.Checkpoint();
  }
}

}  // namespace

void RenderReview(const Digest& d, RenderOutput& output) {
  std::string& out = output.buf();
  out += "# Self-assessment draft: " + WindowDates(d.window) + "\n\n";
  int quantified = 0;
  for (const Win& w : d.wins) quantified += w.metrics.empty() ? 0 : 1;
  out +=
      "Drafted by brag from " + Counted(d.counts.notes, "journal note") + " (" +
      Counted(d.counts.prs_merged, "PR") + " merged, " +
      Counted(d.counts.incidents_closed, "incident") + " closed). One paragraph per " +
      "win, strongest first: what I did, the impact it had, what's next. The quoted " +
      "lines under each say what to add and where it comes from; edit, then paste " +
      "the paragraphs.\n\n";
  if (d.categories.empty() && !d.unanswered.empty()) AppendSkeleton(d, output);
  if (d.categories.empty() && d.unanswered.empty())
    out += "No notes in this period.\n\n";
  for (const CategoryGroup& g : d.categories) {
    std::vector<const Win*> wins;
    for (size_t i : g.wins) wins.push_back(&d.wins[i]);
    std::stable_sort(wins.begin(), wins.end(), Stronger);
    out += "## ";
    AppendMarkdownText(out, g.title);
    out += "\n\n";
    for (const Win* w : wins) {
      AppendWin(*w, out);
      output.Checkpoint();
    }
  }
  out += "## Before you submit\n\n";
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
