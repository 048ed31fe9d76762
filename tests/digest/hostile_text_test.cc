// Notes, titles, branches and repo names are anyone's text: in the Markdown
// digest and review they must show as written and do nothing else, and the
// digest's own links are plain https URLs.
#include <doctest/doctest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "digest/digest.h"
#include "digest/digest_fixture.h"
#include "digest/render.h"
#include "digest/render_text.h"

namespace brag::digest {
namespace {

constexpr const char* kRepo = "/home/me/code/payments";

// Markdown that would do something when rendered, one attack per note.
const std::vector<std::string> kAttacks = {
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "ok\n[x]: data:text/html,evil",
    "![x](http://tracker.example/p.gif)",
    "&lt;script&gt; stays as typed",
    "\\[x](javascript:alert(2))",
    "a]( javascript:alert(3) ) ]",
    "<!-- hidden --> <?php ?> </b>",
    "ends in a backslash\\",
    "clear \x1b[2J title \x1b]0;pwned\a csi \xc2\x9b"
    "2J",
};

LogEntry NoteEntry(int64_t id, const std::string& text) {
  LogEntry e;
  e.kind = "note";
  e.time = 1000 + id;
  e.note = Note{id, text, 1000 + id, "manual", "", "", {}, {}, {}};
  return e;
}

// A merged PR with `title` in the repo named `repo_name`, answered with `note`.
LogEntry PrEntry(int64_t id, const std::string& title, const std::string& note,
                 const std::string& repo_name = "payments",
                 const std::string& branch = "pr-branch") {
  LogEntry e;
  e.kind = "pr_merged";
  e.time = 1000 + id;
  e.repo = kRepo;
  e.repo_name = repo_name;
  Event ev;
  ev.id = id;
  ev.kind = EventKind::kPrMerged;
  ev.key = ev.commit = std::string(40, 'a');
  ev.forge = "github";
  ev.pr = id;
  ev.title = title;
  ev.branch = branch;
  ev.commit_time = 1000 + id;
  e.event = ev;
  e.note = Note{id, note, 1000 + id, "prompt", kRepo, "", {}, id, id};
  return e;
}

Digest DigestOf(const std::vector<LogEntry>& entries, const std::string& remote) {
  RemoteUrls remotes;
  if (!remote.empty()) remotes[kRepo] = remote;
  return BuildDigest(entries, {0, 100000, ""}, DefaultCategoryRules(), remotes);
}

// Whether `md` holds `active` where Markdown would read it: not right after
// an odd run of backslashes, which makes its first character plain text.
bool Active(const std::string& md, const std::string& active) {
  for (size_t at = md.find(active); at != std::string::npos;
       at = md.find(active, at + 1)) {
    size_t slashes = 0;
    while (slashes < at && md[at - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 0) return true;
  }
  return false;
}

// What must never be in Markdown made from kAttacks.
void CheckInert(const std::string& md) {
  for (std::string active :
       {"<script", "<img", "](javascript:", "<javascript:", "\n[x]:", "![x](", "<!--",
        "<?php", "</b>", "\x1b", "\a", "\xc2\x9b"}) {
    CHECK_MESSAGE(!Active(md, active), "found ", active, " in\n", md);
  }
}

TEST_CASE(
    "hostile notes show as text in the Markdown digest: no HTML, no link, no image") {
  std::vector<LogEntry> entries;
  for (size_t i = 0; i < kAttacks.size(); ++i) {
    entries.push_back(NoteEntry(static_cast<int64_t>(i + 1), kAttacks[i]));
  }
  std::string md = RenderMarkdown(DigestOf(entries, ""));
  CheckInert(md);
  CHECK(md.find("&lt;script>alert(1)&lt;/script>") != std::string::npos);
  CHECK(md.find("&lt;img src=x onerror=alert(1)>") != std::string::npos);
  CHECK(md.find("\\[x\\](javascript:alert(1))") != std::string::npos);
  CHECK(md.find("&lt;javascript:alert(1)>") != std::string::npos);
  CHECK(md.find("ok \\[x\\]: data:text/html,evil") != std::string::npos);
  CHECK(md.find("!\\[x\\](http://tracker.example/p.gif)") != std::string::npos);
  CHECK(md.find("&amp;lt;script&amp;gt; stays as typed") != std::string::npos);
  CHECK(md.find("\\\\\\[x\\](javascript:alert(2))") != std::string::npos);
  CHECK(md.find("ends in a backslash\\\\") != std::string::npos);
  CHECK(md.find("clear \\e\\[2J title \\e\\]0;pwned\\x07 csi \\u009b2J") !=
        std::string::npos);
}

TEST_CASE(
    "hostile PR titles, branches and repo names cannot take over the digest's link") {
  std::vector<LogEntry> entries = {
      PrEntry(5, "a](javascript:alert(1)) [b", "p95 1.8s -> 240ms", "<img src=x>"),
      PrEntry(6, "<script>x</script>", "Helped with the tests", "pay[ments]"),
  };
  Digest d = DigestOf(entries, "git@github.com:acme/payments.git");
  for (const std::string& md : {RenderMarkdown(d), RenderReview(d)}) {
    CheckInert(md);
    CHECK_MESSAGE(md.find("[#5 a\\](javascript:alert(1)) \\[b](https://github.com/acme/"
                          "payments/pull/5)") != std::string::npos,
                  md);
    CHECK(md.find("&lt;img src=x>") != std::string::npos);
    CHECK(md.find("pay\\[ments\\]") != std::string::npos);
  }
}

TEST_CASE("an incident branch in the review and the backfill list stays text") {
  LogEntry incident = PrEntry(7, "", "Restored writes, errors 12% -> 0.1%");
  incident.kind = "incident_closed";
  incident.event->kind = EventKind::kIncidentClosed;
  incident.event->pr = 0;
  incident.event->branch = incident.event->title = "hotfix/[x](javascript:alert(1))";
  LogEntry unanswered = PrEntry(8, "<img src=x onerror=alert(1)>", "");
  unanswered.note.reset();
  unanswered.prompt = Prompt{};
  unanswered.prompt->id = 8;
  unanswered.prompt->state = PromptState::kPending;
  Digest d = DigestOf({incident, unanswered}, "git@github.com:acme/payments.git");
  for (const std::string& md : {RenderMarkdown(d), RenderReview(d)}) {
    CheckInert(md);
  }
  CHECK(RenderReview(d).find("hotfix/\\[x\\](javascript:alert(1))") !=
        std::string::npos);
  CHECK(RenderMarkdown(d).find("&lt;img src=x onerror=alert(1)>") != std::string::npos);
}

TEST_CASE(
    "ordinary notes keep their arrows, ampersands and brackets' neighbours as typed") {
  std::string md;
  AppendMarkdownText(
      md, "p95 1.8s -> 240ms, R&D, x < 5, a <= b, <3 ms, caf\xc3\xa9 \xe4\xb8\xad");
  CHECK(md == "p95 1.8s -> 240ms, R&D, x < 5, a <= b, <3 ms, caf\xc3\xa9 \xe4\xb8\xad");
}

TEST_CASE("a note's commit given as text is neither a code span nor a link") {
  LogEntry e = NoteEntry(1, "Fixed it");
  e.note->repo = kRepo;
  e.note->commit = "`<img s";
  std::string md = RenderMarkdown(DigestOf({e}, "git@github.com:acme/payments.git"));
  CheckInert(md);
  CHECK(md.find("/commit/") == std::string::npos);
  CHECK(md.find("\\`") == std::string::npos);
}

TEST_CASE("the HTML and JSON digests still escape hostile notes and titles") {
  std::vector<LogEntry> entries;
  for (size_t i = 0; i < kAttacks.size(); ++i) {
    entries.push_back(PrEntry(static_cast<int64_t>(i + 1), kAttacks[i], kAttacks[i]));
  }
  Digest d = DigestOf(entries, "git@github.com:acme/payments.git");
  std::string html = RenderHtml(d);
  for (const char* active : {"<script", "<img", "href=\"javascript:", "<javascript:"}) {
    CHECK_MESSAGE(html.find(active) == std::string::npos, active);
  }
  nlohmann::json parsed = nlohmann::json::parse(RenderJson(d));
  CHECK(parsed["wins"][0]["text"] == kAttacks[0]);
}

TEST_CASE("a remote URL that is not a plain forge URL gives no link") {
  for (const char* remote : {
           "javascript:alert(1)",
           "javascript://github.com/acme/payments",
           "https://github.com/acme/pay ments.git",
           "https://github.com/acme/pay(ments).git",
           "https://github.com/acme/pay\"ments.git",
           "https://github.com/acme/<payments>.git",
           "https://github.com/acme/pay'ments.git",
           "git@github.com:acme/pay)ments.git",
           "https://git hub.com/acme/payments.git",
           "https://github.com/acme/pay%zzments.git",
       }) {
    INFO(remote);
    CHECK_FALSE(ParseRemoteUrl(remote, "github").has_value());
    std::string md = RenderMarkdown(
        DigestOf({PrEntry(5, "Add index", "p95 1.8s -> 240ms")}, remote));
    CHECK(md.find("](") == std::string::npos);
  }
  std::optional<ForgeRepo> encoded =
      ParseRemoteUrl("https://dev.azure.com/org/My%20Project/_git/repo");
  REQUIRE(encoded.has_value());
  CHECK(PullRequestUrl(*encoded, 3) ==
        "https://dev.azure.com/org/My%20Project/_git/repo/pullrequest/3");
}

}  // namespace
}  // namespace brag::digest

namespace brag::digest {
namespace {

// AppendMarkdownText's rules one byte at a time, to check its eight-byte scan.
std::string NaiveMarkdown(const std::string& text) {
  auto at = [&](size_t i) -> unsigned char {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
  };
  auto letter = [](unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
  auto punct = [](unsigned char c) { return c > 0x20 && c < 0x7F && !std::isalnum(c); };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = at(i);
    if (c == '<' && (letter(at(i + 1)) || at(i + 1) == '/' || at(i + 1) == '!' ||
                     at(i + 1) == '?')) {
      out += "&lt;";
    } else if (c == '&') {
      size_t j = i + 1 + (at(i + 1) == '#' ? 1 : 0);
      size_t name = j;
      while (j - name < 32 && std::isalnum(at(j))) ++j;
      out += j > name && at(j) == ';' ? "&amp;" : "&";
    } else if (c == '[' || c == ']' ||
               (c == '\\' && (at(i + 1) == 0 || punct(at(i + 1))))) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n' || c == '\t') {
      out += ' ';
    } else if (c == 0x1B) {
      out += "\\e";
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

TEST_CASE("the Markdown escaper finds what it escapes wherever it falls in a note") {
  const std::string alphabet = "ab%(=?!#;&<>[]\\\t\n\x1b/Z\xc3\xa9";
  uint64_t seed = 11;
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    size_t length = 1 + static_cast<size_t>(i % 41);
    for (size_t k = 0; k < length; ++k) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      size_t pick = static_cast<size_t>(seed >> 33) % (alphabet.size() - 1);
      if (alphabet[pick] == '\xc3') {
        text += "\xc3\xa9";
      } else {
        text += alphabet[pick];
      }
    }
    std::string md;
    AppendMarkdownText(md, text);
    CHECK_MESSAGE(md == NaiveMarkdown(text), text);
  }
}

}  // namespace
}  // namespace brag::digest

namespace brag::digest {
namespace {

// The note's list item in the HTML digest's category section.
std::string HtmlNote(const std::string& note) {
  std::string html = RenderHtml(DigestOf({NoteEntry(1, note)}, ""));
  size_t at = html.find("<li>");
  REQUIRE(at != std::string::npos);
  return html.substr(at, html.find("<br>", at) - at);
}

TEST_CASE("the HTML digest shows a note's code spans as <code>, their text escaped") {
  CHECK(HtmlNote("Cached `GetUser` calls") == "<li>Cached <code>GetUser</code> calls");
  CHECK(HtmlNote("`a<b && c>d` was slow") ==
        "<li><code>a&lt;b &amp;&amp; c&gt;d</code> was slow");
  CHECK(HtmlNote("``uses ` inside`` ok") == "<li><code>uses ` inside</code> ok");
  CHECK(HtmlNote("`` `quoted` ``") == "<li><code>`quoted`</code>");
  CHECK(HtmlNote("`<script>alert(1)</script>`") ==
        "<li><code>&lt;script&gt;alert(1)&lt;/script&gt;</code>");
  // A backtick with no partner stays as typed.
  CHECK(HtmlNote("it's a ` lone one") == "<li>it&#39;s a ` lone one");
  CHECK(HtmlNote("``two, then one`") == "<li>``two, then one`");
}

TEST_CASE("the HTML chart labels each category with its full name") {
  std::vector<LogEntry> entries{
      NoteEntry(1, "Mentored two new engineers #leadership"),
      NoteEntry(2, "Cut p99 from 900ms to 300ms #performance"),
      NoteEntry(3, "Added CI caching for the docs build #devex")};
  Digest d = DigestOf(entries, "");
  std::string html = RenderHtml(d);
  size_t chart = html.find("<title>Wins per category</title>");
  REQUIRE(chart != std::string::npos);
  std::string svg = html.substr(chart, html.find("</svg>", chart) - chart);
  REQUIRE(d.categories.size() >= 2);
  for (const CategoryGroup& g : d.categories) {
    // The label's lines, read back: every word of the title, in order.
    std::string label, escaped;
    for (char c : g.title)
      escaped += c == '&' ? std::string("&amp;") : std::string(1, c);
    size_t bar = svg.find("<title>" + escaped + ": ");
    INFO(g.title);
    REQUIRE(bar != std::string::npos);
    size_t text = svg.find("<text", bar);
    size_t end = svg.find("</text>", text);
    for (size_t at = svg.find("<tspan", text); at < end;
         at = svg.find("<tspan", at + 1)) {
      size_t open = svg.find('>', at) + 1;
      label += (label.empty() ? "" : " ") +
               svg.substr(open, svg.find("</tspan>", open) - open);
    }
    CHECK(label == escaped);
  }
}

}  // namespace
}  // namespace brag::digest
