// Pieces of text the renderers share: how a win is referred to, the window's
// dates, counts with their nouns. The Append* forms write into the caller's
// buffer. Internal to daemon/digest/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "digest/digest.h"

namespace brag::digest {

// "payments [#481 Add index](url) · `a1b2c3d` · 3 files, +42 -7 · note 12":
// in Markdown, the PR, commit and note a line comes from.
void AppendTraceMd(std::string& out, const Win& win);
// The end of a win's reference line, shared by Markdown and HTML: the
// commits folded into it ("via " and the oid as `code` writes it), its
// diffstat and its note ids, each after " · " once the line, begun at
// `start` in `out`, holds anything.
void AppendTraceTail(std::string& out, size_t start, const Win& win,
                     void (*code)(std::string&, std::string_view));
// `text` from outside (a note, title, branch, repo name, category title) as
// Markdown that shows it and does nothing else: no HTML, autolink, link,
// image or reference definition can form from it. `<` before a letter, `/`,
// `!` or `?` becomes "&lt;", `&` that starts a character reference "&amp;",
// `[` and `]` are backslash-escaped, and so is `\` before punctuation;
// controls are made inert (core/text.h), newlines becoming spaces so the text
// stays on its line. Anything else, "->" and "R&D" included, is kept as is:
// the file is read raw as well as rendered.
void AppendMarkdownText(std::string& out, std::string_view text);
// `oid`, short, in a code span; a note's commit given as other text (any
// text the user typed) as Markdown text, since a code span escapes nothing.
void AppendCodeMd(std::string& out, std::string_view oid);
// "3 files, +42 -7"; nothing when the diffstat is empty.
void AppendDiffstat(std::string& out, const Diffstat& diffstat);
// "2026-11-23 to 2026-11-29" (until is exclusive, so its previous second).
std::string WindowDates(const DigestWindow& window);
// "1 PR", "3 PRs": `count` and the noun, plural with an "s" when not 1.
std::string Counted(int64_t count, std::string_view noun);
// `value` in decimal.
void AppendInt(std::string& out, int64_t value);
// "3h 20m", "2d 4h", "45m".
std::string DurationText(int64_t seconds);
// "improved", "regressed", "unknown".
const char* DirectionName(impact::Direction direction);
// "change", "multiplier", "percent", "money", "count", "measure".
const char* KindName(impact::MetricKind kind);

}  // namespace brag::digest
