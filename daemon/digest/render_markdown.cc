// The digest in Markdown: the weekly file and `brag digest`'s default.
#include <algorithm>
#include <string>

#include "digest/render.h"
#include "digest/render_text.h"
#include "digest/week.h"

namespace brag::digest {
namespace {

std::string Md(std::string_view text) {
  std::string out;
  AppendMarkdownText(out, text);
  return out;
}

// "<lead><text><between><trace>": the line a win gets under a heading.
void AppendWinLine(std::string& out, std::string_view lead, const Win& win,
                   std::string_view between) {
  out += lead;
  AppendMarkdownText(out, win.text);
  out += between;
  AppendTraceMd(out, win);
  out += '\n';
}

std::string BackfillLine(const Backfill& b) {
  std::string what = b.pr > 0 ? "#" + std::to_string(b.pr) + " " + Md(b.title)
                              : "incident " + Md(b.branch);
  if (!b.link.empty()) what = "[" + what + "](" + b.link + ")";
  std::string code;
  AppendCodeMd(code, b.commit);
  return "- " + Md(b.repo_name) + " " + what + " · " + code + " · " +
         (b.kind == "incident_closed" ? "closed " : "merged ") + LocalDate(b.time) +
         (b.state == "snoozed" ? " · snoozed" : "") + " — `brag answer " +
         std::to_string(b.prompt_id) + " \"...\"`\n";
}

}  // namespace

void RenderMarkdown(const Digest& d, RenderOutput& output) {
  std::string& out = output.buf();
  const DigestCounts& c = d.counts;
  const char* none = d.window.label.empty() ? "None.\n" : "None this week.\n";
  out += "# Brag digest: ";
  out += d.window.label.empty()
             ? WindowDates(d.window)
             : "week " + d.window.label + " (" + WindowDates(d.window) + ")";
  out += "\n\n| PRs merged | Incidents closed | Notes | Prompts left unanswered |\n";
  out += "| ---: | ---: | ---: | ---: |\n";
  out += "| " + std::to_string(c.prs_merged) + " | " +
         std::to_string(c.incidents_closed) + " | " + std::to_string(c.notes) + " | " +
         std::to_string(c.unanswered) + " |\n";

  out += "\n## Wins by category\n";
  if (d.categories.empty()) (out += "\n") += none;
  for (const CategoryGroup& group : d.categories) {
    out +=
        "\n### " + Md(group.title) + " (" + std::to_string(group.wins.size()) + ")\n\n";
    for (size_t i : group.wins) {
      AppendWinLine(out, "- ", d.wins[i], "\n  — ");
      output.Checkpoint();
    }
  }

  out += "\n## Quantified impact\n\n";
  bool any = false;
  for (const Win& win : d.wins) {
    for (const impact::Metric& m : win.metrics) {
      out += "- **" + Md(impact::FormatMetric(m)) + "**";
      if (m.direction != impact::Direction::kUnknown)
        out += std::string(" (") + DirectionName(m.direction) + ')';
      // The clause that states it, not the whole note again.
      out += " — " + Md(m.fragment.empty() ? win.text : m.fragment) + " — ";
      AppendTraceMd(out, win);
      out += '\n';
      any = true;
    }
    output.Checkpoint();
  }
  if (!any) out += none;

  out += "\n## Sharpen\n\n";
  any = false;
  for (const Win& win : d.wins) {
    if (win.suggestions.empty()) continue;
    AppendWinLine(out, "- \"", win, "\" — ");
    for (const impact::Suggestion& s : win.suggestions) {
      out += "  - " + std::string(s.issue);
      if (!s.phrase.empty()) out += " \"" + Md(s.phrase) + '"';
      out += ": " + std::string(s.suggestion) + '\n';
    }
    any = true;
    output.Checkpoint();
  }
  if (!any) out += "Every note has a number and owns its work.\n";

  out += "\n## Unanswered prompts to backfill\n\n";
  for (const Backfill& b : d.unanswered) {
    out += BackfillLine(b);
    output.Checkpoint();
  }
  if (d.unanswered.empty()) out += none;

  out += "\n## Invisible work\n\n";
  any = false;
  for (const Win& win : d.wins) {
    if (!win.invisible) continue;
    AppendWinLine(out, "- ", win, " — ");
    any = true;
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
