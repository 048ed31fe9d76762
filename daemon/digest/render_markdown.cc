// The digest in Markdown: the weekly file and `brag digest`'s default.
#include <algorithm>
#include <string>

#include "digest/render.h"
#include "digest/render_text.h"
#include "digest/week.h"

namespace brag::digest {
namespace {

// "- <text> — <trace>": the line a win gets under a heading.
void AppendWinLine(std::string& out, const Win& win, std::string_view between) {
  AppendMarkdownText(out, win.text);
  out += between;
  AppendTraceMd(out, win);
  out += '\n';
}

void AppendBackfill(std::string& out, const Backfill& b) {
  out += "- ";
  AppendMarkdownText(out, b.repo_name);
  out += ' ';
  if (!b.link.empty()) out += '[';
  if (b.pr > 0) {
    out += '#';
    AppendInt(out, b.pr);
    out += ' ';
    AppendMarkdownText(out, b.title);
  } else {
    out += "incident ";
    AppendMarkdownText(out, b.branch);
  }
  if (!b.link.empty()) {
    out += "](";
    out += b.link;
    out += ')';
  }
  out += " · ";
  AppendCodeMd(out, b.commit);
  out += " · ";
  out += b.kind == "incident_closed" ? "closed " : "merged ";
  out += LocalDate(b.time);
  if (b.state == "snoozed") out += " · snoozed";
  out += " — `brag answer ";
  AppendInt(out, b.prompt_id);
  out += " \"...\"`\n";
}

}  // namespace

void RenderMarkdown(const Digest& d, RenderOutput& output) {
  std::string& out = output.buf();
  const DigestCounts& c = d.counts;
  const char* none = d.window.label.empty() ? "None.\n" : "None this week.\n";
  out += "# Brag digest: ";
  out += d.window.label.empty() ? WindowDates(d.window)
                                : "week " + d.window.label + " (" + WindowDates(d.window) + ")";
  out += "\n\n";
  out += "| PRs merged | Incidents closed | Notes | Prompts left unanswered |\n";
  out += "| ---: | ---: | ---: | ---: |\n";
  out += "| " + std::to_string(c.prs_merged) + " | " + std::to_string(c.incidents_closed) +
         " | " + std::to_string(c.notes) + " | " + std::to_string(c.unanswered) + " |\n";

  out += "\n## Wins by category\n";
  if (d.categories.empty()) (out += "\n") += none;
  for (const CategoryGroup& group : d.categories) {
    out += "\n### ";
    AppendMarkdownText(out, group.title);
    out += " (" + std::to_string(group.wins.size()) + ")\n\n";
    for (size_t i : group.wins) {
      out += "- ";
      AppendWinLine(out, d.wins[i], "\n  — ");
      output.Checkpoint();
    }
  }

  out += "\n## Quantified impact\n\n";
  bool any = std::any_of(d.wins.begin(), d.wins.end(),
                         [](const Win& w) { return !w.metrics.empty(); });
  for (const Win& win : d.wins) {
    for (const Metric& m : win.metrics) {
      out += "- **";
      AppendMetricMd(out, m);
      out += "**";
      if (m.direction != Direction::kUnknown) {
        out += " (";
        out += DirectionName(m.direction);
        out += ')';
      }
      // The clause that states it, not the whole note again.
      out += " — ";
      AppendMarkdownText(out, m.fragment.empty() ? win.text : m.fragment);
      out += " — ";
      AppendTraceMd(out, win);
      out += '\n';
    }
    output.Checkpoint();
  }
  if (!any) out += none;

  out += "\n## Sharpen\n\n";
  any = std::any_of(d.wins.begin(), d.wins.end(),
                    [](const Win& w) { return !w.suggestions.empty(); });
  for (const Win& win : d.wins) {
    if (win.suggestions.empty()) continue;
    out += "- \"";
    AppendWinLine(out, win, "\" — ");
    for (const Suggestion& s : win.suggestions) {
      out += "  - ";
      out += s.issue;
      if (!s.phrase.empty()) {
        out += " \"";
        AppendMarkdownText(out, s.phrase);
        out += '"';
      }
      out += ": ";
      out += s.suggestion;
      out += '\n';
    }
    output.Checkpoint();
  }
  if (!any) out += "Every note has a number and owns its work.\n";

  out += "\n## Unanswered prompts to backfill\n\n";
  for (const Backfill& b : d.unanswered) {
    AppendBackfill(out, b);
    output.Checkpoint();
  }
  if (d.unanswered.empty()) out += none;

  out += "\n## Invisible work\n\n";
  any = std::any_of(d.wins.begin(), d.wins.end(), [](const Win& w) { return w.invisible; });
  for (const Win& win : d.wins) {
    if (!win.invisible) continue;
    out += "- ";
    AppendWinLine(out, win, " — ");
    output.Checkpoint();
  }
  if (!any) out += none;
  output.Finish();
}

std::string RenderMarkdown(const Digest& d) {
  RenderOutput out;
  RenderMarkdown(d, out);
  return out.Take();
}

}  // namespace brag::digest
