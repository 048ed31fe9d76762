// The digest in Markdown: the weekly file and `brag digest`'s default.
#include <string>

#include "digest/render.h"
#include "digest/render_text.h"
#include "digest/week.h"

namespace brag::digest {
namespace {

std::string Code(const std::string& oid) { return "`" + ShortOid(oid) + "`"; }

// What the win is about, with its link: "payments [#481 Add index](url)".
std::string SubjectMd(const Win& win) {
  std::string s = win.repo_name;
  auto add = [&](const std::string& part) { s += (s.empty() ? "" : " ") + part; };
  if (win.pr > 0) {
    std::string pr = "#" + std::to_string(win.pr) + (win.title.empty() ? "" : " " + win.title);
    add(win.link.empty() ? pr : "[" + pr + "](" + win.link + ")");
  } else if (win.kind == "incident_closed") {
    std::string what = "incident " + win.branch;
    if (win.incident_seconds > 0) what += ", closed in " + DurationText(win.incident_seconds);
    if (win.incident_commits > 0) what += ", " + Counted(win.incident_commits, "commit");
    add(what);
  } else if (win.kind == "pr_merged" && !win.title.empty()) {
    add(win.title);
  }
  return s;
}

}  // namespace

// "payments [#481 Add index](url) · `a1b2c3d` · 3 files, +42 -7 · note 12":
// the PR, commit and note a line comes from.
std::string TraceMd(const Win& win) {
  std::string s = SubjectMd(win);
  auto add = [&](const std::string& part) {
    if (!part.empty()) s += (s.empty() ? "" : " · ") + part;
  };
  if (!win.commit.empty()) {
    bool commit_link = win.pr == 0 && !win.link.empty();
    add(commit_link ? "[" + Code(win.commit) + "](" + win.link + ")" : Code(win.commit));
  }
  for (const std::string& c : win.folded_commits) add("via " + Code(c));
  add(DiffstatText(win.diffstat));
  std::string notes = "note " + std::to_string(win.note_id);
  for (int64_t id : win.folded_notes) notes += ", " + std::to_string(id);
  add(notes);
  return s;
}

std::string RenderMarkdown(const Digest& d) {
  const DigestCounts& c = d.counts;
  std::string none = d.window.label.empty() ? "None.\n" : "None this week.\n";
  std::string out = "# Brag digest: ";
  out += d.window.label.empty() ? WindowDates(d.window)
                                : "week " + d.window.label + " (" + WindowDates(d.window) + ")";
  out += "\n\n";
  out += "| PRs merged | Incidents closed | Notes | Prompts left unanswered |\n";
  out += "| ---: | ---: | ---: | ---: |\n";
  out += "| " + std::to_string(c.prs_merged) + " | " + std::to_string(c.incidents_closed) +
         " | " + std::to_string(c.notes) + " | " + std::to_string(c.unanswered) + " |\n";

  out += "\n## Wins by category\n";
  if (d.categories.empty()) out += "\n" + none;
  for (const CategoryGroup& group : d.categories) {
    out += "\n### " + group.title + " (" + std::to_string(group.wins.size()) + ")\n\n";
    for (size_t i : group.wins) {
      const Win& win = d.wins[i];
      out += "- " + win.text + "\n  — " + TraceMd(win) + "\n";
    }
  }

  out += "\n## Quantified impact\n\n";
  bool any = false;
  for (const Win& win : d.wins) {
    for (const Metric& m : win.metrics) {
      any = true;
      out += "- **" + FormatMetric(m) + "**";
      if (m.direction != Direction::kUnknown)
        out += std::string(" (") + DirectionName(m.direction) + ")";
      out += " — " + win.text + " — " + TraceMd(win) + "\n";
    }
  }
  if (!any) out += none;

  out += "\n## Sharpen\n\n";
  any = false;
  for (const Win& win : d.wins) {
    if (win.suggestions.empty()) continue;
    any = true;
    out += "- \"" + win.text + "\" — " + TraceMd(win) + "\n";
    for (const Suggestion& s : win.suggestions) {
      out += "  - " + s.issue;
      if (!s.phrase.empty()) out += " \"" + s.phrase + "\"";
      out += ": " + s.suggestion + "\n";
    }
  }
  if (!any) out += "Every note has a number and owns its work.\n";

  out += "\n## Unanswered prompts to backfill\n\n";
  for (const Backfill& b : d.unanswered) {
    std::string what = b.pr > 0 ? "#" + std::to_string(b.pr) + " " + b.title
                                : "incident " + b.branch;
    if (!b.link.empty()) what = "[" + what + "](" + b.link + ")";
    out += "- " + b.repo_name + " " + what + " · " + Code(b.commit) + " · " +
           (b.kind == "incident_closed" ? "closed " : "merged ") + LocalDate(b.time) +
           (b.state == "snoozed" ? " · snoozed" : "") + " — `brag answer " +
           std::to_string(b.prompt_id) + " \"...\"`\n";
  }
  if (d.unanswered.empty()) out += none;

  out += "\n## Invisible work\n\n";
  any = false;
  for (const Win& win : d.wins) {
    if (!win.invisible) continue;
    any = true;
    out += "- " + win.text + " — " + TraceMd(win) + "\n";
  }
  if (!any) out += none;
  return out;
}

}  // namespace brag::digest
