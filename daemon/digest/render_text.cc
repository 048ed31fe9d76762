#include "digest/render_text.h"

#include "core/text.h"
#include "digest/week.h"

namespace brag::digest {

void AppendInt(std::string& out, int64_t value) { out += std::to_string(value); }

namespace {

bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsAsciiAlnum(unsigned char c) {
  return IsAsciiLetter(c) || (c >= '0' && c <= '9');
}
bool IsAsciiPunct(unsigned char c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
         (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

// The bytes AppendMarkdownText may rewrite (0xC2 leads the C1 controls).
bool MaybeMarkdownSpecial(unsigned char c) {
  return c < 0x20 || c == 0x7F || c == '<' || c == '&' || c == '[' || c == ']' ||
         c == '\\' || c == 0xC2;
}

unsigned char ByteAt(std::string_view text, size_t i) {
  return i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
}

// "&name;", "&#123;" or "&#x1F;" at text[i]: a character reference, which a
// renderer would turn into another character.
bool StartsCharacterReference(std::string_view text, size_t i) {
  size_t j = i + 1;
  if (ByteAt(text, j) == '#') ++j;
  size_t name = j;
  while (j < text.size() && j - name < 32 && IsAsciiAlnum(ByteAt(text, j))) ++j;
  return j > name && ByteAt(text, j) == ';';
}

// How many bytes from text[i] (one of MaybeMarkdownSpecial) are rewritten:
// 0 when the byte is kept.
size_t RewrittenBytes(std::string_view text, size_t i) {
  unsigned char next = ByteAt(text, i + 1);
  switch (ByteAt(text, i)) {
    case '<':  // raw HTML and autolinks open with a letter, '/', '!' or '?'
      return IsAsciiLetter(next) || next == '/' || next == '!' || next == '?' ? 1 : 0;
    case '&':
      return StartsCharacterReference(text, i) ? 1 : 0;
    case '[':
    case ']':
      return 1;
    case '\\':  // before punctuation, or last: ours may follow
      return next == 0 || IsAsciiPunct(next) ? 1 : 0;
    case 0xC2:
      return next >= 0x80 && next <= 0x9F ? 2 : 0;  // a C1 control
    default:
      return 1;  // a C0 control or DEL
  }
}

void AppendRewrite(std::string& out, std::string_view bytes) {
  switch (bytes[0]) {
    case '<':
      out += "&lt;";
      return;
    case '&':
      out += "&amp;";
      return;
    case '[':
    case ']':
    case '\\':
      out += '\\';
      out += bytes[0];
      return;
    default:
      AppendInertText(out, bytes);
  }
}

}  // namespace

// "payments [#481 Add index](url) · `a1b2c3d` · ...": the subject (the PR
// with its link, the incident, or a local merge's title), then the commit.
void AppendTraceMd(std::string& out, const Win& win) {
  size_t start = out.size();
  AppendMarkdownText(out, win.repo_name);
  bool subject = win.pr > 0 || win.kind == "incident_closed" ||
                 (win.kind == "pr_merged" && !win.title.empty());
  if (subject && out.size() != start) out += ' ';
  if (win.pr > 0) {
    bool linked = !win.link.empty();
    out += linked ? "[#" : "#";
    AppendInt(out, win.pr);
    if (!win.title.empty()) AppendMarkdownText(out += ' ', win.title);
    if (linked) out += "](" + win.link + ')';
  } else if (win.kind == "incident_closed") {
    AppendMarkdownText(out += "incident ", win.branch);
    if (win.incident_seconds > 0)
      out += ", closed in " + DurationText(win.incident_seconds);
    if (win.incident_commits > 0) out += ", " + Counted(win.incident_commits, "commit");
  } else if (subject) {
    AppendMarkdownText(out, win.title);
  }
  if (!win.commit.empty()) {
    if (out.size() != start) out += " · ";
    bool linked = win.pr == 0 && !win.link.empty();
    if (linked) out += '[';
    AppendCodeMd(out, win.commit);
    if (linked) out += "](" + win.link + ')';
  }
  AppendTraceTail(out, start, win, &AppendCodeMd);
}

void AppendTraceTail(std::string& out, size_t start, const Win& win,
                     void (*code)(std::string&, std::string_view)) {
  auto separate = [&] {
    if (out.size() != start) out += " · ";
  };
  for (const std::string& c : win.folded_commits) {
    separate();
    out += "via ";
    code(out, c);
  }
  const Diffstat& d = win.diffstat;
  if (d.files != 0 || d.insertions != 0 || d.deletions != 0) {
    separate();
    AppendDiffstat(out, d);
  }
  separate();
  out += "note ";
  AppendInt(out, win.note_id);
  for (int64_t id : win.folded_notes) {
    out += ", ";
    AppendInt(out, id);
  }
}

void AppendMarkdownText(std::string& out, std::string_view text) {
  // Runs of plain text are copied at once; most text is nothing but.
  size_t plain = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!MaybeMarkdownSpecial(static_cast<unsigned char>(text[i]))) continue;
    size_t n = RewrittenBytes(text, i);
    if (n == 0) continue;
    out.append(text, plain, i - plain);
    AppendRewrite(out, text.substr(i, n));
    plain = i + n;
    i = plain - 1;
  }
  out.append(text, plain);
}

// An oid in a code span; a note's commit given as other text is shown as
// text, since nothing can be escaped inside a code span.
void AppendCodeMd(std::string& out, std::string_view oid) {
  if (!IsHexOid(ShortOid(oid))) {
    AppendMarkdownText(out, ShortOid(oid));
    return;
  }
  out += '`';
  out += ShortOid(oid);
  out += '`';
}

void AppendDiffstat(std::string& out, const Diffstat& d) {
  if (d.files == 0 && d.insertions == 0 && d.deletions == 0) return;
  out += Counted(d.files, "file");
  out += ", +";
  AppendInt(out, d.insertions);
  out += " -";
  AppendInt(out, d.deletions);
}

std::string WindowDates(const DigestWindow& w) {
  return LocalDate(w.since) + " to " +
         LocalDate(w.until > w.since ? w.until - 1 : w.since);
}

std::string Counted(int64_t count, std::string_view noun) {
  std::string out = std::to_string(count) + " " + std::string(noun);
  if (count != 1) out += 's';
  return out;
}

std::string DurationText(int64_t seconds) {
  int64_t minutes = seconds / 60;
  int64_t hours = minutes / 60;
  int64_t days = hours / 24;
  if (days > 0) return std::to_string(days) + "d " + std::to_string(hours % 24) + "h";
  if (hours > 0)
    return std::to_string(hours) + "h " + std::to_string(minutes % 60) + "m";
  return std::to_string(minutes) + "m";
}

const char* DirectionName(impact::Direction direction) {
  static constexpr const char* kNames[] = {"improved", "regressed", "unknown"};
  return kNames[static_cast<int>(direction)];
}

const char* KindName(impact::MetricKind kind) {
  static constexpr const char* kNames[] = {"change", "multiplier", "percent",
                                           "money",  "count",      "measure"};
  return kNames[static_cast<int>(kind)];
}

}  // namespace brag::digest
