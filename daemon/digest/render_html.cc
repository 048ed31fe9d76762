// The digest as one self-contained HTML page: inline CSS and two inline SVG
// bar charts (wins per day, or per week over a long window, and wins per
// category). No script and nothing fetched, so it opens anywhere, offline.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "digest/render.h"
#include "digest/render_text.h"
#include "digest/week.h"

namespace brag::digest {
namespace {

constexpr const char* kStyle = R"(
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde2ea;padding-bottom:.2rem}
h3{font-size:1rem;margin-bottom:.3rem}.dates{color:#5b6575;margin-top:0}
.counts{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.count{background:#f3f6fa;border-radius:6px;padding:.5rem .9rem;min-width:8rem}
.count b{display:block;font-size:1.4rem}
ul{padding-left:1.2rem}li{margin:.35rem 0}
.trace{color:#5b6575;font-size:.85rem}.trace code{background:#f3f6fa;padding:0 .2rem;border-radius:3px}
.metric{font-weight:600}.none{color:#5b6575}
svg{max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:#5b6575}
.bar{fill:#3b6fd4}.bar.cat{fill:#2f9e77}
@media print{body{margin:0}}
)";

void AppendEscaped(std::string& out, std::string_view text) {
  // Runs of plain text are copied at once; most text is nothing but.
  size_t plain = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    std::string_view entity = c == '&'    ? "&amp;"
                              : c == '<'  ? "&lt;"
                              : c == '>'  ? "&gt;"
                              : c == '"'  ? "&quot;"
                              : c == '\'' ? "&#39;"
                                          : "";
    if (entity.empty()) continue;
    out.append(text, plain, i - plain);
    out += entity;
    plain = i + 1;
  }
  out.append(text, plain);
}

// A note as HTML: its `code spans` (a run of backticks up to the next run of
// as many) as <code>, everything escaped; a run with no partner stays text.
// As in Markdown, one space inside each end of a span is padding.
void AppendNoteHtml(std::string& out, std::string_view text) {
  auto run_at = [&text](size_t i) {
    size_t n = 0;
    while (i + n < text.size() && text[i + n] == '`') ++n;
    return n;
  };
  size_t plain = 0;
  for (size_t i = 0; i < text.size();) {
    size_t open = run_at(i);
    if (open == 0) {
      ++i;
      continue;
    }
    size_t close = text.find('`', i + open);
    while (close != std::string_view::npos && run_at(close) != open)
      close = text.find('`', close + run_at(close));
    if (close == std::string_view::npos) {
      i += open;
      continue;
    }
    std::string_view code = text.substr(i + open, close - i - open);
    if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ' &&
        code.find_first_not_of(' ') != std::string_view::npos)
      code = code.substr(1, code.size() - 2);
    AppendEscaped(out, text.substr(plain, i - plain));
    out += "<code>";
    AppendEscaped(out, code);
    out += "</code>";
    i = plain = close + open;
  }
  AppendEscaped(out, text.substr(plain));
}

std::string NoteHtml(std::string_view text) {
  std::string out;
  AppendNoteHtml(out, text);
  return out;
}

std::string Escape(std::string_view text) {
  std::string out;
  AppendEscaped(out, text);
  return out;
}

std::string Link(std::string_view url, const std::string& html) {
  if (url.empty()) return html;
  return "<a href=\"" + Escape(url) + "\">" + html + "</a>";
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

void AppendCode(std::string& out, std::string_view oid) {
  out += "<code>" + Escape(ShortOid(oid)) + "</code>";
}

// The PR, incident, commit and note a win comes from, linked.
void AppendTraceHtml(std::string& out, const Win& win) {
  out += "<span class=\"trace\">";
  size_t start = out.size();
  AppendEscaped(out, win.repo_name);
  if (win.pr > 0 || win.kind == "incident_closed") {
    if (out.size() != start) out += ' ';
    bool linked = win.pr > 0 && !win.link.empty();
    if (linked) out += "<a href=\"" + Escape(win.link) + "\">";
    if (win.pr > 0) {
      out += "#" + std::to_string(win.pr);
      if (!win.title.empty()) out += " " + Escape(win.title);
    } else {
      out += "incident " + Escape(win.branch);
      if (win.incident_seconds > 0)
        out += ", closed in " + DurationText(win.incident_seconds);
    }
    if (linked) out += "</a>";
  }
  if (!win.commit.empty()) {
    if (out.size() != start) out += " · ";
    bool linked = win.pr == 0 && !win.link.empty();
    if (linked) out += "<a href=\"" + Escape(win.link) + "\">";
    AppendCode(out, win.commit);
    if (linked) out += "</a>";
  }
  AppendTraceTail(out, start, win, &AppendCode);
  out += "</span>";
}

// "<li><note><br><trace></li>": a win in a list.
void AppendWinItem(std::string& out, const Win& win) {
  out += "<li>";
  AppendNoteHtml(out, win.text);
  out += "<br>";
  AppendTraceHtml(out, win);
  out += "</li>\n";
}

struct Bar {
  std::string label;
  std::string tip;
  int value = 0;
};

// `label` cut into lines of whole words, each at most `width` characters
// (a longer word is a line of its own).
std::vector<std::string> WrapWords(const std::string& label, size_t width) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < label.size()) {
    size_t end = label.find(' ', at);
    if (end == std::string::npos) end = label.size();
    std::string word = label.substr(at, end - at);
    if (!word.empty()) {
      if (!lines.empty() && lines.back().size() + 1 + word.size() <= width) {
        lines.back() += ' ' + word;
      } else {
        lines.push_back(word);
      }
    }
    at = end + 1;
  }
  return lines;
}

// A column chart: one <rect class="bar CLASS"> per bar (zero-height ones
// too, so every day of the window is there), labels under every few. With
// `wrap`, each label is whole, centred under its bar on as many lines as
// its slot's width needs, and the chart grows to hold them.
std::string ColumnChart(const std::string& title, const std::string& cls,
                        const std::vector<Bar>& bars, bool wrap = false) {
  const double width = 640, top = 10, left = 28, line = 13;
  double slot = (width - left) / static_cast<double>(std::max<size_t>(bars.size(), 1));
  // About 6px a character at 11px: what fits in a slot, never under 6.
  size_t chars = std::max<size_t>(6, static_cast<size_t>(slot / 6.2));
  std::vector<std::vector<std::string>> labels;
  size_t lines = 1;
  for (const Bar& b : bars) {
    labels.push_back(wrap ? WrapWords(b.label, chars)
                          : std::vector<std::string>{b.label});
    lines = std::max(lines, labels.back().size());
  }
  const double bottom = 22 + line * static_cast<double>(lines - 1);
  const double height = 128 + bottom;
  int max = 1;
  for (const Bar& b : bars) max = std::max(max, b.value);
  double bar_w = std::max(1.0, slot * 0.7);
  size_t label_every = wrap ? 1 : std::max<size_t>(1, bars.size() / 14);
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + Num(width) +
                    " " + Num(height) + "\" width=\"" + Num(width) + "\" height=\"" +
                    Num(height) + "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" +
                    Escape(title) + "</title>";
  double plot = height - top - bottom;
  svg += "<text x=\"0\" y=\"" + Num(top + 8) + "\">" + std::to_string(max) + "</text>";
  svg += "<text x=\"0\" y=\"" + Num(top + plot) + "\">0</text>";
  for (size_t i = 0; i < bars.size(); ++i) {
    double h = plot * bars[i].value / max;
    double x = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
    svg += "<rect class=\"bar " + cls + "\" x=\"" + Num(x) + "\" y=\"" +
           Num(top + plot - h) + "\" width=\"" + Num(bar_w) + "\" height=\"" + Num(h) +
           "\"><title>" + Escape(bars[i].tip) + "</title></rect>";
    if (i % label_every != 0) continue;
    if (!wrap) {
      svg += "<text x=\"" + Num(x) + "\" y=\"" + Num(height - 6) + "\">" +
             Escape(bars[i].label) + "</text>";
      continue;
    }
    std::string centre = Num(x + bar_w / 2);
    svg += "<text text-anchor=\"middle\" x=\"" + centre + "\" y=\"" +
           Num(top + plot + 16) + "\">";
    for (size_t k = 0; k < labels[i].size(); ++k) {
      svg += "<tspan x=\"" + centre + "\" dy=\"" + (k == 0 ? "0" : Num(line)) + "\">" +
             Escape(labels[i][k]) + "</tspan>";
    }
    svg += "</text>";
  }
  return svg + "</svg>\n";
}

// Wins per local day, or per 7 days when the window is longer than 62 days.
std::vector<Bar> TimeBars(const Digest& d, bool* weekly) {
  int64_t first = LocalDay(d.window.since);
  int64_t last =
      LocalDay(d.window.until > d.window.since ? d.window.until - 1 : d.window.since);
  int64_t days = std::max<int64_t>(1, last - first + 1);
  int64_t step = days > 62 ? 7 : 1;
  *weekly = step == 7;
  size_t count = static_cast<size_t>((days + step - 1) / step);
  std::vector<Bar> bars(count);
  static const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  for (size_t i = 0; i < count; ++i) {
    int64_t day_start = d.window.since + static_cast<int64_t>(i) * step * 86400;
    std::string date = LocalDate(day_start);
    int64_t day = first + static_cast<int64_t>(i) * step;
    bars[i].label =
        step == 1 && days <= 7 ? kDays[((day % 7) + 7) % 7] : date.substr(5);
    bars[i].tip = (step == 1 ? date : "week of " + date);
  }
  for (const Win& w : d.wins) {
    int64_t index = (LocalDay(w.time) - first) / step;
    if (index >= 0 && index < static_cast<int64_t>(count))
      ++bars[static_cast<size_t>(index)].value;
  }
  for (Bar& b : bars) b.tip += ": " + Counted(b.value, "win");
  return bars;
}

std::vector<Bar> CategoryBars(const Digest& d) {
  std::vector<Bar> bars;
  for (const CategoryGroup& g : d.categories) {
    int n = static_cast<int>(g.wins.size());
    bars.push_back({g.title, g.title + ": " + Counted(n, "win"), n});
  }
  return bars;
}

std::string Section(const std::string& title) {
  return "<h2>" + Escape(title) + "</h2>\n";
}

}  // namespace

void RenderHtml(const Digest& d, RenderOutput& output) {
  std::string& out = output.buf();
  std::string heading =
      d.window.label.empty() ? "Brag digest" : "Brag digest: week " + d.window.label;
  std::string none = "<p class=\"none\">" +
                     std::string(d.window.label.empty() ? "None." : "None this week.") +
                     "</p>\n";
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>" +
      Escape(heading) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>" + Escape(heading) + "</h1>\n<p class=\"dates\">" +
         Escape(WindowDates(d.window)) + "</p>\n";
  auto count = [](const char* what, int n) {
    return "<div class=\"count\"><b>" + std::to_string(n) + "</b>" + what + "</div>";
  };
  out += "<div class=\"counts\">" + count("PRs merged", d.counts.prs_merged) +
         count("Incidents closed", d.counts.incidents_closed) +
         count("Notes", d.counts.notes) +
         count("Prompts left unanswered", d.counts.unanswered) + "</div>\n";

  bool weekly = false;
  std::vector<Bar> time_bars = TimeBars(d, &weekly);
  std::string per_time = weekly ? "Wins per week" : "Wins per day";
  out += Section(per_time) + ColumnChart(per_time, "day", time_bars);
  out += Section("Wins per category") +
         ColumnChart("Wins per category", "cat", CategoryBars(d), true);

  out += Section("Wins by category");
  if (d.categories.empty()) out += none;
  for (const CategoryGroup& g : d.categories) {
    out += "<h3>" + Escape(g.title) + " (" + std::to_string(g.wins.size()) +
           ")</h3>\n<ul>\n";
    for (size_t i : g.wins) {
      AppendWinItem(out, d.wins[i]);
      output.Checkpoint();
    }
    out += "</ul>\n";
  }

  // Each list below opens with its first item; `none` stands for an empty one.
  auto open = [&](bool& any) {
    if (!any) out += "<ul>\n";
    any = true;
  };
  auto close = [&](bool any, const std::string& if_none) {
    out += any ? "</ul>\n" : if_none;
  };

  out += Section("Quantified impact");
  bool any = false;
  for (const Win& w : d.wins) {
    for (const impact::Metric& m : w.metrics) {
      open(any);
      out +=
          "<li><span class=\"metric\">" + Escape(impact::FormatMetric(m)) + "</span>";
      if (m.direction != impact::Direction::kUnknown)
        out += std::string(" (") + DirectionName(m.direction) + ')';
      // The clause that states it, not the whole note again.
      out += " — " + NoteHtml(m.fragment.empty() ? w.text : m.fragment) + "<br>";
      AppendTraceHtml(out, w);
      out += "</li>\n";
    }
    output.Checkpoint();
  }
  close(any, none);

  out += Section("Sharpen");
  any = false;
  for (const Win& w : d.wins) {
    if (w.suggestions.empty()) continue;
    open(any);
    out += "<li>“" + NoteHtml(w.text) + "” ";
    AppendTraceHtml(out, w);
    out += "<ul>";
    for (const impact::Suggestion& s : w.suggestions) {
      out += "<li>" + Escape(s.issue);
      if (!s.phrase.empty()) out += " “" + Escape(s.phrase) + "”";
      out += ": " + Escape(s.suggestion) + "</li>";
    }
    out += "</ul></li>\n";
    output.Checkpoint();
  }
  close(any, "<p class=\"none\">Every note has a number and owns its work.</p>\n");

  out += Section("Unanswered prompts to backfill");
  any = false;
  for (const Backfill& b : d.unanswered) {
    open(any);
    std::string what = b.pr > 0 ? "#" + std::to_string(b.pr) + " " + Escape(b.title)
                                : "incident " + Escape(b.branch);
    out += "<li>" + Escape(b.repo_name) + " " + Link(b.link, what) +
           " <span class=\"trace\"><code>" + Escape(ShortOid(b.commit)) + "</code> · " +
           LocalDate(b.time) + " · <code>brag answer " + std::to_string(b.prompt_id) +
           " \"...\"</code></span></li>\n";
    output.Checkpoint();
  }
  close(any, none);

  out += Section("Invisible work");
  any = false;
  for (const Win& w : d.wins) {
    if (!w.invisible) continue;
    open(any);
    AppendWinItem(out, w);
    output.Checkpoint();
  }
  close(any, none);
  out += "</body>\n</html>\n";
  output.Finish();
}

std::string RenderHtml(const Digest& d) {
  RenderOutput out;
  RenderHtml(d, out);
  return out.Take();
}

}  // namespace brag::digest
