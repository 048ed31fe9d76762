#include "digest/digest.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "digest/digest_fixture.h"
#include "digest/render.h"
#include "support/temp_dir.h"

namespace brag::digest {
namespace {

using test::FixedJournal;

const Win* FindWin(const Digest& d, std::string_view text_part) {
  for (const Win& w : d.wins) {
    if (w.text.find(text_part) != std::string::npos) return &w;
  }
  return nullptr;
}

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST_CASE("the week's counts: PRs merged, incidents closed, notes, prompts unanswered") {
  FixedJournal j;
  Digest d = j.Build();
  // #481, #483, #490, #485 (dismissed) and #492 (snoozed); not #470 of the
  // week before.
  CHECK(d.counts.prs_merged == 5);
  CHECK(d.counts.incidents_closed == 1);
  // #481 (with its folded trailer note), the incident, #490 and two manual
  // notes; not the next week's note.
  CHECK(d.counts.notes == 5);
  // #483 pending and #492 snoozed; #485 was dismissed.
  CHECK(d.counts.unanswered == 2);
  REQUIRE(d.unanswered.size() == 2);
  CHECK(d.unanswered[0].pr == 483);
  CHECK(d.unanswered[0].state == "pending");
  CHECK(d.unanswered[1].pr == 492);
  CHECK(d.unanswered[1].state == "snoozed");
  CHECK(d.unanswered[0].link == "https://github.com/acme/payments/pull/483");
}

TEST_CASE("a commit's trailer note that became its PR's note is one win, traced to both") {
  FixedJournal j;
  Digest d = j.Build();
  int same = 0;
  for (const Win& w : d.wins) same += w.text.find("Cut checkout p95") != std::string::npos;
  CHECK(same == 1);
  const Win* win = FindWin(d, "Cut checkout p95");
  REQUIRE(win != nullptr);
  CHECK(win->kind == "pr_merged");
  CHECK(win->pr == 481);
  CHECK(win->folded_notes.size() == 1);
  CHECK(win->folded_commits == std::vector<std::string>{std::string(40, '1')});
}

TEST_CASE("a note seen twice in the entries is counted once") {
  FixedJournal j;
  std::vector<LogEntry> entries = j.Entries();
  std::vector<LogEntry> doubled = entries;
  doubled.insert(doubled.end(), entries.begin(), entries.end());
  Digest once = BuildDigest(entries, test::FixedWeek(), DefaultCategoryRules(), {});
  Digest twice = BuildDigest(doubled, test::FixedWeek(), DefaultCategoryRules(), {});
  CHECK(twice.counts.notes == once.counts.notes);
  CHECK(twice.wins.size() == once.wins.size());
}

TEST_CASE("the same text in another repo is another win") {
  LogEntry a;
  a.kind = "note";
  a.note = Note{1, "Shipped the refund endpoint", 100, "manual", "/r/one", "", {}, {}, {}};
  a.time = 100;
  LogEntry b = a;
  b.note->id = 2;
  b.note->repo = "/r/two";
  Digest d = BuildDigest({a, b}, {0, 1000, ""}, DefaultCategoryRules(), {});
  CHECK(d.counts.notes == 2);
}

TEST_CASE("every win lands in exactly one category, from tags, words or paths") {
  FixedJournal j;
  Digest d = j.Build();
  size_t grouped = 0;
  for (const CategoryGroup& g : d.categories) grouped += g.wins.size();
  CHECK(grouped == d.wins.size());
  REQUIRE(FindWin(d, "Cut checkout") != nullptr);
  CHECK(FindWin(d, "Cut checkout")->category == "performance");  // #perf
  CHECK(FindWin(d, "Mentored Sam")->category == "leadership");   // --tag leadership
  CHECK(FindWin(d, "Restored writes")->category == "reliability");
  CHECK(FindWin(d, "flaky CI tests")->category == "devex");
}

TEST_CASE("quantified notes carry their metrics, the others get Sharpen suggestions") {
  FixedJournal j;
  Digest d = j.Build();
  const Win* fast = FindWin(d, "Cut checkout");
  REQUIRE(fast->metrics.size() == 1);
  CHECK(fast->metrics[0].kind == impact::MetricKind::kChange);
  CHECK(fast->metrics[0].factor == doctest::Approx(7.5));
  CHECK(fast->suggestions.empty());
  const Win* weak = FindWin(d, "Helped with");
  REQUIRE(weak != nullptr);
  REQUIRE(weak->suggestions.size() >= 2);
  CHECK(weak->suggestions[0].issue == impact::kNoNumber);
  CHECK(weak->suggestions[1].issue == impact::kWeakPhrasing);
  CHECK(weak->suggestions[1].phrase == "Helped with");
}

TEST_CASE("invisible work: CI and tests, runbooks, on-call") {
  FixedJournal j;
  Digest d = j.Build();
  CHECK(FindWin(d, "flaky CI tests")->invisible);
  CHECK(FindWin(d, "runbook")->invisible);
  CHECK_FALSE(FindWin(d, "Cut checkout")->invisible);
}

TEST_CASE("wins link to the PR on the forge, free notes to their commit") {
  FixedJournal j;
  Digest d = j.Build();
  CHECK(FindWin(d, "Cut checkout")->link == "https://github.com/acme/payments/pull/481");
  CHECK(FindWin(d, "runbook")->link ==
        "https://github.com/acme/payments/commit/" + std::string(40, '7'));
  CHECK(FindWin(d, "Mentored")->link.empty());
  Digest unlinked = BuildDigest(j.Entries(), test::FixedWeek(), DefaultCategoryRules(), {});
  for (const Win& w : unlinked.wins) {
    CHECK(w.link.empty());
  }
}

TEST_CASE("wins are in time order, and an incident keeps its open-to-close time") {
  FixedJournal j;
  Digest d = j.Build();
  CHECK(std::is_sorted(d.wins.begin(), d.wins.end(),
                       [](const Win& a, const Win& b) { return a.time < b.time; }));
  const Win* incident = FindWin(d, "Restored writes");
  CHECK(incident->incident_seconds == 3 * 3600 + 20 * 60);
  CHECK(incident->incident_commits == 5);
  CHECK(incident->branch == "incident/db-failover");
}

TEST_CASE("a user's category rule is used when merged into the rules") {
  FixedJournal j;
  Result<std::vector<CategoryRule>> rules =
      MergeRules(DefaultCategoryRules(), {{"ml", "Machine learning", {}, {"notebook", "mentored"}, {}}});
  REQUIRE(rules.has_value());
  Digest d = BuildDigest(j.Entries(), test::FixedWeek(), *rules, {});
  // A tag still wins over words: "Mentored Sam" was tagged leadership.
  CHECK(FindWin(d, "Mentored")->category == "leadership");
  LogEntry e;
  e.kind = "note";
  e.time = 10;
  e.note = Note{1, "cleaned up the notebook", 10, "manual", "", "", {}, {}, {}};
  Digest one = BuildDigest({e}, {0, 100, ""}, *rules, {});
  REQUIRE(one.categories.size() == 1);
  CHECK(one.categories[0].id == "ml");
  CHECK(one.categories[0].title == "Machine learning");
}

TEST_CASE("an empty window renders every section with its empty line") {
  Digest d = BuildDigest({}, test::FixedWeek(), DefaultCategoryRules(), {});
  std::string md = RenderMarkdown(d);
  CHECK(md.find("# Brag digest: week 2025-W48") != std::string::npos);
  CHECK(Count(md, "None this week.") == 4);
  CHECK(RenderJson(d).find("\"notes\": 0") != std::string::npos);
  CHECK(RenderReview(d).find("No notes in this period.") != std::string::npos);
}

TEST_CASE("the HTML page is self-contained with one bar per day and per category") {
  test::ScopedEnv tz("TZ", "UTC");
  tzset();
  FixedJournal j;
  Digest d = j.Build();
  std::string html = RenderHtml(d);
  CHECK(Count(html, "<rect class=\"bar day\"") == 7);
  CHECK(Count(html, "<rect class=\"bar cat\"") == d.categories.size());
  CHECK(Count(html, "<svg") == 2);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("https://github.com/acme/payments/pull/481") != std::string::npos);
}

// The text of `doc` from `from` up to `to`.
std::string Between(const std::string& doc, const std::string& from,
                    const std::string& to) {
  size_t begin = doc.find(from);
  if (begin == std::string::npos) return {};
  size_t end = doc.find(to, begin);
  return doc.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

TEST_CASE(
    "quantified impact shows each metric once with its own clause, not the note") {
  const std::string note =
      "Moved search to the new cluster; p99 from 900ms to 120ms, and spend down "
      "$4k/month";
  LogEntry e;
  e.kind = "note";
  e.time = 10;
  e.note = Note{1, note, 10, "manual", "", "", {}, {}, {}};
  Digest d = BuildDigest({e}, {0, 100, ""}, DefaultCategoryRules(), {});

  std::string md = Between(RenderMarkdown(d), "## Quantified impact", "## Sharpen");
  CHECK(Count(md, "\n- ") == 2);
  CHECK(Count(md, note) == 0);
  CHECK(
      Count(md, "**900ms -> 120ms (7.5x)** (improved) — p99 from 900ms to 120ms — ") ==
      1);
  CHECK(Count(md, "**$4,000/month** (improved) — spend down $4k/month — ") == 1);

  std::string html = Between(RenderHtml(d), "Quantified impact", "Sharpen");
  CHECK(Count(html, "<li>") == 2);
  CHECK(Count(html, "Moved search") == 0);
  CHECK(Count(html, "— p99 from 900ms to 120ms<br>") == 1);
  CHECK(Count(html, "— spend down $4k/month<br>") == 1);

  auto json = nlohmann::json::parse(RenderJson(d));
  const auto& metrics = json["wins"][0]["metrics"];
  REQUIRE(metrics.size() == 2);
  CHECK(metrics[0]["fragment"] == "p99 from 900ms to 120ms");
  CHECK(metrics[1]["fragment"] == "spend down $4k/month");
}

TEST_CASE("the HTML escapes what a note says") {
  LogEntry e;
  e.kind = "note";
  e.time = 10;
  e.note = Note{1, "<script>alert(1)</script> & \"quotes\"", 10, "manual", "", "", {}, {}, {}};
  std::string html = RenderHtml(BuildDigest({e}, {0, 100, ""}, DefaultCategoryRules(), {}));
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;") !=
        std::string::npos);
}

TEST_CASE("HTML and JSON escape what needs it wherever it falls in a note") {
  // The escapes are looked for eight bytes at a time: put them, and bytes
  // one off from them ('%', '(', '=', '?', '!', '#'), at every offset. Digits,
  // not letters, beside them: '#' before a letter would be a tag, which
  // leaves the prose.
  const std::string alphabet = "12%(=?!#;&<>\"'\\\t\xc3\xa9";
  std::vector<LogEntry> entries;
  std::vector<std::string> texts;
  uint64_t seed = 7;
  for (int64_t i = 1; i <= 300; ++i) {
    std::string text = "n" + std::to_string(i) + " ";
    size_t length = 1 + static_cast<size_t>(i % 41);
    for (size_t k = 0; k < length; ++k) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      size_t pick = static_cast<size_t>(seed >> 33) % (alphabet.size() - 1);
      if (alphabet[pick] == '\xc3') {
        text += "\xc3\xa9";  // whole: an é, not half of one
      } else if (alphabet[pick] != '\xa9') {
        text += alphabet[pick];
      }
    }
    text += " z";
    texts.push_back(text);
    LogEntry e;
    e.kind = "note";
    e.time = 1000 + i;
    e.note = Note{i, text, 1000 + i, "manual", "", "", {}, {}, {}};
    entries.push_back(std::move(e));
  }
  Digest d = BuildDigest(entries, {0, 20000, ""}, DefaultCategoryRules(), {});
  REQUIRE(d.wins.size() == texts.size());
  std::string html = RenderHtml(d);
  for (const std::string& text : texts) {
    std::string escaped;
    for (char c : text) {
      switch (c) {
        case '&': escaped += "&amp;"; break;
        case '<': escaped += "&lt;"; break;
        case '>': escaped += "&gt;"; break;
        case '"': escaped += "&quot;"; break;
        case '\'': escaped += "&#39;"; break;
        default: escaped += c;
      }
    }
    CHECK_MESSAGE(html.find(escaped) != std::string::npos, text);
  }
  std::string json_text = RenderJson(d);
  nlohmann::json parsed = nlohmann::json::parse(json_text);
  CHECK(parsed.dump(2) + "\n" == json_text);
  REQUIRE(parsed["wins"].size() == texts.size());
  for (size_t i = 0; i < texts.size(); ++i) CHECK(parsed["wins"][i]["text"] == texts[i]);
}

TEST_CASE("a long window charts wins per week") {
  test::ScopedEnv tz("TZ", "UTC");
  tzset();
  Digest d = BuildDigest({}, {test::kMonday, test::kMonday + 70 * test::kDay, ""},
                         DefaultCategoryRules(), {});
  std::string html = RenderHtml(d);
  CHECK(Count(html, "<rect class=\"bar day\"") == 10);
  CHECK(html.find("Wins per week") != std::string::npos);
}

TEST_CASE("the review puts quantified wins first and splits off what's next") {
  test::ScopedEnv tz("TZ", "UTC");
  tzset();
  FixedJournal j;
  std::string review = RenderReview(j.Build());
  CHECK(review.find("\n\nAdd composite index on orders (PR #481, payments). Cut checkout") !=
        std::string::npos);
  CHECK(review.find(" Next step: automate the failover drill.\n") != std::string::npos);
  CHECK(review.find("\n> Source: payments [#481 Add composite index on orders]") !=
        std::string::npos);
  // A manual note with no number: the line under it asks for one.
  CHECK(review.find("\n> To add: who it helped grow") != std::string::npos);
}

TEST_CASE("review: #tags leave the prose with the space beside them, other '#'s stay") {
  LogEntry e;
  e.kind = "note";
  e.time = 10;
  e.note = Note{1, "Cut #perf p95 from 1.8s to 240ms #db, see issue#12 and C# code #x", 10,
                "manual", "", "", {}, {}, {}};
  std::string review = RenderReview(BuildDigest({e}, {0, 100, ""}, DefaultCategoryRules(), {}));
  CHECK(review.find("\n\nCut p95 from 1.8s to 240ms (7.5x faster), see issue#12 and C# "
                    "code.\n") != std::string::npos);
}

LogEntry FreeNote(int64_t id, const char* text, std::vector<std::string> tags = {}) {
  LogEntry e;
  e.kind = "note";
  e.time = 10 + id;
  e.note = Note{id, text, 10 + id, "manual", "", "", std::move(tags), {}, {}};
  return e;
}

TEST_CASE("a #tag leaves the note's prose in every rendering, and still files the note") {
  test::ScopedEnv tz("TZ", "UTC");
  tzset();
  Digest d = BuildDigest({FreeNote(1, "Shipped the #perf fix for search #team-x, see #12")},
                         {0, 100, ""}, DefaultCategoryRules(), {});
  const std::string prose = "Shipped the fix for search, see #12";
  REQUIRE(d.wins.size() == 1);
  CHECK(d.wins[0].text == prose);
  CHECK(d.wins[0].category == "performance");
  CHECK(d.wins[0].tags == std::vector<std::string>{"perf", "team-x"});

  std::string md = RenderMarkdown(d);
  CHECK(md.find("### Performance & scalability (1)\n\n- " + prose + "\n") != std::string::npos);
  std::string html = RenderHtml(d);
  CHECK(html.find("<li>" + prose + "<br>") != std::string::npos);
  nlohmann::json json = nlohmann::json::parse(RenderJson(d));
  CHECK(json["wins"][0]["text"] == prose);
  CHECK(json["wins"][0]["tags"] == nlohmann::json::array({"perf", "team-x"}));
  CHECK(json["wins"][0]["category"] == "performance");
  std::string review = RenderReview(d);
  CHECK(review.find(prose + ".\n") != std::string::npos);
  for (const std::string& shown : {md, html, json.dump(), review}) {
    CHECK(shown.find("#perf") == std::string::npos);
    CHECK(shown.find("#team-x") == std::string::npos);
  }
}

TEST_CASE("a #tag the note was also given is one tag, as given") {
  Digest d = BuildDigest({FreeNote(1, "Cut p95 to 90ms #Perf #db", {"perf"})}, {0, 100, ""},
                         DefaultCategoryRules(), {});
  REQUIRE(d.wins.size() == 1);
  CHECK(d.wins[0].tags == std::vector<std::string>{"perf", "db"});
  CHECK(d.wins[0].text == "Cut p95 to 90ms");
  CHECK(d.wins[0].category == "performance");  // the given tag first
}

TEST_CASE("a free note folds into its PR's note whatever #tags either has") {
  FixedJournal j;
  Digest d = j.Build();
  // The trailer note and PR #481's note both end in "#perf"; one win.
  const Win* w = FindWin(d, "Cut checkout p95");
  REQUIRE(w != nullptr);
  CHECK(w->text == "Cut checkout p95 from 1.8s to 240ms with a composite index");
  CHECK(w->folded_notes.size() == 1);
}

TEST_CASE("notes nothing places are Uncategorised, the last group everywhere") {
  test::ScopedEnv tz("TZ", "UTC");
  tzset();
  Digest d = BuildDigest({FreeNote(1, "Wrapped up the Q3 launch with Maria"),
                          FreeNote(2, "Cut p99 latency of search from 900ms to 300ms"),
                          FreeNote(3, "Mentored Ana through her first design doc")},
                         {0, 100, ""}, DefaultCategoryRules(), {});
  std::vector<std::string> ids, titles;
  for (const CategoryGroup& g : d.categories) {
    ids.push_back(g.id);
    titles.push_back(g.title);
  }
  CHECK(ids == std::vector<std::string>{"performance", "leadership", "uncategorised"});
  CHECK(titles.back() == "Uncategorised");
  REQUIRE(d.categories.back().wins.size() == 1);
  CHECK(d.wins[d.categories.back().wins[0]].note_id == 1);

  std::string md = RenderMarkdown(d);
  size_t last = md.find("### Uncategorised (1)\n\n- Wrapped up the Q3 launch with Maria\n");
  CHECK(last != std::string::npos);
  CHECK(md.find("### Technical leadership (1)") < last);
  CHECK(md.find("### API & service design") == std::string::npos);
  nlohmann::json json = nlohmann::json::parse(RenderJson(d));
  CHECK(json["categories"].back()["id"] == "uncategorised");
  CHECK(json["categories"].back()["title"] == "Uncategorised");
  CHECK(json["wins"][0]["category"] == "uncategorised");
  std::string review = RenderReview(d);
  size_t section = review.find("\n## Uncategorised\n\nWrapped up the Q3 launch with Maria.\n");
  CHECK(section != std::string::npos);
  CHECK(review.find("\n## Technical leadership\n") < section);
  CHECK(section < review.find("\n## Before you submit\n"));
}

TEST_CASE("a config category with the id uncategorised takes those notes in its place") {
  Result<std::vector<CategoryRule>> rules = MergeRules(
      DefaultCategoryRules(), {{"uncategorised", "Other work", {"misc"}, {}, {}}});
  REQUIRE(rules.has_value());
  Digest d = BuildDigest({FreeNote(1, "Wrapped up the Q3 launch"), FreeNote(2, "#misc things")},
                         {0, 100, ""}, *rules, {});
  REQUIRE(d.categories.size() == 1);
  CHECK(d.categories[0].id == "uncategorised");
  CHECK(d.categories[0].title == "Other work");
  CHECK(d.categories[0].wins.size() == 2);
}

TEST_CASE("review: within a category the largest factor comes first") {
  auto note = [](int64_t id, const char* text) {
    LogEntry e;
    e.kind = "note";
    e.time = 10 + id;
    e.note = Note{id, text, 10 + id, "manual", "", "", {"perf"}, {}, {}};
    return e;
  };
  Digest d = BuildDigest({note(1, "Made search faster"), note(2, "p99 from 900ms to 300ms"),
                          note(3, "p95 from 1.8s to 90ms")},
                         {0, 100, ""}, DefaultCategoryRules(), {});
  std::string review = RenderReview(d);
  size_t big = review.find("1.8s to 90ms");
  size_t small = review.find("900ms to 300ms");
  size_t none = review.find("Made search faster");
  REQUIRE(big != std::string::npos);
  REQUIRE(small != std::string::npos);
  REQUIRE(none != std::string::npos);
  CHECK(big < small);
  CHECK(small < none);
}

TEST_CASE("a digest of many notes analyses each as one note alone would be") {
  const char* texts[] = {"Cut p95 from 900ms to 120ms #perf", "Helped with the migration",
                         "Wrote the runbook for failover", "Made checkout 3x faster",
                         "Worked on the dashboards and alerts", "Mentored Bo"};
  std::vector<LogEntry> entries;
  for (int64_t i = 1; i <= 10000; ++i) {
    LogEntry e;
    e.kind = "note";
    e.time = i;
    e.note = Note{i, texts[i % 6], i, "manual", "", "", {}, {}, {}};
    entries.push_back(std::move(e));
  }
  std::vector<CategoryRule> rules = DefaultCategoryRules();
  Digest d = BuildDigest(entries, {0, 20000, ""}, rules, {});
  REQUIRE(d.wins.size() == entries.size());
  for (const Win& w : d.wins) {
    std::string text(w.text);
    std::vector<impact::Metric> metrics = impact::ExtractMetrics(text);
    REQUIRE(w.metrics.size() == metrics.size());
    for (size_t k = 0; k < metrics.size(); ++k) CHECK(w.metrics[k].text == metrics[k].text);
    CHECK(w.suggestions.size() == impact::Sharpen(text, metrics).size());
    CHECK(w.category == Categorize(rules, text, {}, {}));
    CHECK(w.invisible == IsInvisibleWork(text, {}, {}));
  }
}

TEST_CASE("a rendering with a flush hands over the same text in chunks") {
  std::vector<LogEntry> entries;
  for (int64_t i = 1; i <= 3000; ++i) {
    LogEntry e;
    e.kind = "note";
    e.time = 1000 + i;
    e.note = Note{i, "Cut build " + std::to_string(i) + " from 9 minutes to 3 minutes",
                  1000 + i, "manual", "", "", {}, {}, {}};
    entries.push_back(std::move(e));
  }
  Digest d = BuildDigest(entries, {0, 20000, ""}, DefaultCategoryRules(), {});
  std::string whole = RenderMarkdown(d);
  std::string flushed;
  size_t chunks = 0;
  RenderOutput out([&](std::string_view chunk) {
    flushed += chunk;
    ++chunks;
  });
  RenderMarkdown(d, out);
  CHECK(flushed == whole);
  CHECK(whole.size() > 256 * 1024);
  CHECK(chunks > 1);
}

TEST_CASE("a digest of many wins renders the same text in every format as one of few") {
  // JSON must read back as nlohmann lays it out, and each win's Markdown
  // line must appear once, in time order.
  std::vector<LogEntry> entries;
  for (int64_t i = 1; i <= 9000; ++i) {
    LogEntry e;
    e.kind = "note";
    e.time = 1000 + i;
    std::string text = "Cut build " + std::to_string(i) + " from 9 minutes to 3 minutes";
    if (i % 3 == 0) text = "Helped with the runbook " + std::to_string(i);
    e.note = Note{i, text, 1000 + i, "manual", "", "", {}, {}, {}};
    entries.push_back(std::move(e));
  }
  Digest d = BuildDigest(entries, {0, 20000, ""}, DefaultCategoryRules(), {});
  REQUIRE(d.wins.size() == 9000);
  std::string json_text = RenderJson(d);
  nlohmann::json parsed = nlohmann::json::parse(json_text);
  CHECK(parsed["wins"].size() == 9000);
  CHECK(parsed.dump(2) + "\n" == json_text);
  std::string md = RenderMarkdown(d);
  size_t at = 0;
  for (int64_t i = 1; i <= 9000; i += 997) {
    std::string line = "note " + std::to_string(i) + "\n";
    size_t found = md.find(line, at);
    REQUIRE(found != std::string::npos);
    at = found;
  }
  // Every list shows each of its wins once: by category, a line per metric,
  // Sharpen, invisible work.
  auto count = [](const std::string& text, std::string_view part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  };
  size_t traces = d.wins.size();
  for (const Win& w : d.wins) {
    traces += w.metrics.size() + (w.suggestions.empty() ? 0 : 1) + (w.invisible ? 1 : 0);
  }
  std::string html = RenderHtml(d);
  CHECK(count(html, "<span class=\"trace\">") == traces);
  CHECK(html.find("</body>\n</html>\n") == html.size() - 16);
  CHECK(count(RenderReview(d), "\n> Source: ") == 9000);
}

}  // namespace
}  // namespace brag::digest
