#include "methods/digest_method.h"

#include <doctest/doctest.h>

#include <ctime>
#include <limits>
#include <filesystem>
#include <memory>
#include <string>

#include "digest/categories.h"
#include "digest/digest_fixture.h"
#include "digest/render.h"
#include "core/timeutil.h"
#include "methods/registry.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

// A method run as `brag` runs it with bragd down: on the journal alone.
Result<nlohmann::json> CallOnJournal(Journal& journal, const std::string& method,
                                     const nlohmann::json& params, int64_t now,
                                     const Config* config = nullptr) {
  MethodContext context{.journal = &journal, .config = config, .now = now};
  return CallMethod(method, params, context);
}

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int64_t kMonday = 1763942400;  // 2025-11-24T00:00:00Z

struct Utc {
  Utc() : env("TZ", "UTC") { tzset(); }
  ~Utc() { tzset(); }
  test::ScopedEnv env;
};

struct DigestJournal {
  DigestJournal() {
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(dir.path() / "journal.db", Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    journal = std::move(*j);
    NewNote note;
    note.text = "Cut p99 from 900ms to 300ms";
    REQUIRE(journal->prompts().AddNote(note, kMonday + 3600).has_value());
    note.text = "Trained the ranking model";
    REQUIRE(journal->prompts().AddNote(note, kMonday + 7200).has_value());
  }
  test::TempDir dir{"digest-method"};
  std::unique_ptr<Journal> journal;
};

TEST_CASE("the config's built-in category ids are digest's") {
  std::vector<std::string> ids;
  for (const digest::CategoryRule& r : digest::DefaultCategoryRules()) ids.push_back(r.category);
  CHECK(ids == BuiltinCategoryIds());
}

TEST_CASE("[[digest.category]] rules extend the defaults") {
  Config config;
  config.digest_categories.push_back({"ml", "Machine learning", {"ml"}, {"model"}, {}});
  Result<std::vector<digest::CategoryRule>> rules = CategoryRulesFor(config);
  REQUIRE(rules.has_value());
  CHECK(rules->size() == digest::DefaultCategoryRules().size() + 1);
  CHECK(rules->back().category == "ml");
}

TEST_CASE("the digest method renders the week asked for, with the config's rules") {
  Utc utc;
  DigestJournal j;
  Config config;
  config.digest_categories.push_back({"ml", "Machine learning", {}, {"model"}, {}});
  Result<json> r = CallOnJournal(*j.journal, "digest",
                                     {{"week", "2025-W48"}, {"format", "json"}}, kMonday,
                                     &config);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  CHECK((*r)["format"] == "json");
  CHECK((*r)["week"] == "2025-W48");
  CHECK((*r)["since"] == "2025-11-24T00:00:00Z");
  CHECK((*r)["until"] == "2025-12-01T00:00:00Z");
  json d = json::parse((*r)["text"].get<std::string>());
  CHECK(d["counts"]["notes"] == 2);
  CHECK(d["wins"][1]["category"] == "ml");
}

TEST_CASE("the digest method: since/until, the default week, and bad params") {
  Utc utc;
  DigestJournal j;
  Result<json> window = CallOnJournal(
      *j.journal, "digest", {{"since", kMonday + 5000}, {"until", "2025-11-25"}}, kMonday);
  REQUIRE(window.has_value());
  CHECK((*window)["week"].is_null());
  CHECK((*window)["text"].get<std::string>().find("Trained the ranking model") !=
        std::string::npos);
  CHECK((*window)["text"].get<std::string>().find("Cut p99") == std::string::npos);
  Result<json> now = CallOnJournal(*j.journal, "digest", json::object(), kMonday + 10);
  REQUIRE(now.has_value());
  CHECK((*now)["week"] == "2025-W48");
  CHECK((*now)["format"] == "markdown");
  for (json bad : {json{{"week", "2025-48"}}, json{{"week", "2025-W48"}, {"since", "monday"}},
                   json{{"format", "pdf"}}, json{{"since", "soon"}},
                   json{{"since", kMonday}, {"until", kMonday}}}) {
    INFO(bad.dump());
    Result<json> r = CallOnJournal(*j.journal, "digest", bad, kMonday);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "bad_request");
  }
}

TEST_CASE("a digest larger than a protocol line is refused with too_large") {
  Utc utc;
  DigestJournal j;
  NewNote note;
  note.text = std::string(2000, 'x');
  for (int i = 0; i < 40; ++i)
    REQUIRE(j.journal->prompts().AddNote(note, kMonday + 100 + i).has_value());
  Result<json> r = CallOnJournal(*j.journal, "digest", {{"week", "2025-W48"}}, kMonday);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "too_large");
}

TEST_CASE("WriteWeeklyDigest writes YYYY-Www files in the formats asked for") {
  Utc utc;
  DigestJournal j;
  fs::path dir = j.dir.path() / "digests" / "nested";
  Result<std::vector<fs::path>> written =
      WriteWeeklyDigest(*j.journal, Config{}, {2025, 48}, {"markdown", "html", "json"}, dir);
  REQUIRE_MESSAGE(written.has_value(), (written ? "" : written.error().message));
  REQUIRE(written->size() == 3);
  CHECK((*written)[0] == dir / "2025-W48.md");
  CHECK((*written)[1] == dir / "2025-W48.html");
  CHECK((*written)[2] == dir / "2025-W48.json");
  CHECK(test::ReadFile(dir / "2025-W48.md").find("# Brag digest: week 2025-W48") == 0);
  CHECK(json::parse(test::ReadFile(dir / "2025-W48.json"))["counts"]["notes"] == 2);
  CHECK((fs::status(dir).permissions() & fs::perms::all) == fs::perms::owner_all);
  // Written again (a restart making up the run): replaced, nothing else left.
  REQUIRE(WriteWeeklyDigest(*j.journal, Config{}, {2025, 48}, {"md"}, dir).has_value());
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  CHECK(files == 3);
}

TEST_CASE("WriteWeeklyDigest refuses an unknown format") {
  DigestJournal j;
  Result<std::vector<fs::path>> r =
      WriteWeeklyDigest(*j.journal, Config{}, {2025, 48}, {"pdf"}, j.dir.path() / "d");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "bad_request");
}

}  // namespace
}  // namespace brag

namespace brag {
namespace {

TEST_CASE("the streamed digest read gives the same digest as the log, in every format") {
  Utc utc;
  test::FixedJournal j;
  Result<digest::Digest> streamed = LoadDigest(&j.journal(), Config{}, test::FixedWeek());
  REQUIRE(streamed.has_value());
  // Without remotes on either side: the fixture's repo path does not exist.
  digest::Digest logged = digest::BuildDigest(j.Entries(), test::FixedWeek(),
                                              digest::DefaultCategoryRules(), {});
  for (const char* format : {"markdown", "json", "html", "review"}) {
    CAPTURE(format);
    Result<std::string> a = RenderDigest(*streamed, format);
    Result<std::string> b = RenderDigest(logged, format);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(*a == *b);
  }
  CHECK(streamed->counts == logged.counts);
}

TEST_CASE("a digest written in chunks is the same text as one rendered whole") {
  Utc utc;
  test::FixedJournal j;
  digest::Digest d = j.Build();
  for (const char* format : {"markdown", "json", "html", "review"}) {
    CAPTURE(format);
    std::string chunks;
    int flushes = 0;
    digest::RenderOutput out([&](std::string_view chunk) {
      chunks += chunk;
      ++flushes;
    });
    REQUIRE(RenderDigest(d, format, out).has_value());
    CHECK(flushes >= 1);
    CHECK(chunks == RenderDigest(d, format).value());
  }
}

}  // namespace
}  // namespace brag

namespace brag {
namespace {

TEST_CASE("digest refuses since/until outside 1970..9999 naming the parameter") {
  DigestJournal j;
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  struct Bad {
    json params;
    std::string name;
  };
  for (const Bad& bad : {Bad{json{{"until", max}}, "until"}, Bad{json{{"since", min}}, "since"},
                         Bad{json{{"until", min}}, "until"}, Bad{json{{"since", max}}, "since"},
                         Bad{json{{"until", uint64_t(18446744073709551615ull)}}, "until"},
                         Bad{json{{"since", -1}}, "since"},
                         Bad{json{{"until", "9223372036854775807"}}, "until"}}) {
    INFO(bad.params.dump());
    Result<json> r = CallOnJournal(*j.journal, "digest", bad.params, kMonday);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "bad_request");
    CHECK_MESSAGE(r.error().message.find(bad.name) != std::string::npos, r.error().message);
    CHECK_MESSAGE(r.error().message.find("out of range") != std::string::npos,
                  r.error().message);
  }
  // The bounds themselves are accepted.
  Result<json> ok = CallOnJournal(*j.journal, "digest",
                                      json{{"since", 0}, {"until", kMaxUnixTime}}, kMonday);
  REQUIRE_MESSAGE(ok.has_value(), ok.error().message);
}

}  // namespace
}  // namespace brag

namespace brag {
namespace {

TEST_CASE("a note filed this very second is in a window that ends now") {
  Utc utc;
  DigestJournal j;
  NewNote note;
  note.text = "Filed a second ago";
  int64_t now = kMonday + 86400;
  REQUIRE(j.journal->prompts().AddNote(note, now).has_value());
  for (json params : {json{{"since", "1d"}}, json::object()}) {
    INFO(params.dump());
    Result<json> digest = CallOnJournal(*j.journal, "digest", params, now);
    REQUIRE_MESSAGE(digest.has_value(), (digest ? "" : digest.error().message));
    CHECK((*digest)["text"].get<std::string>().find("Filed a second ago") !=
          std::string::npos);
  }
  Result<digest::DigestWindow> window = DigestWindowFor(json{{"since", "1d"}}, now);
  REQUIRE(window.has_value());
  CHECK(window->until == now + 1);
}

TEST_CASE("a window that would end before it starts says both dates") {
  Utc utc;
  Result<digest::DigestWindow> window =
      DigestWindowFor(json{{"since", "2027-01-01"}}, kMonday);
  REQUIRE_FALSE(window.has_value());
  CHECK(window.error().message ==
        "digest: parameter \"since\": it would start on 2027-01-01 and end on "
        "2025-11-24; "
        "the start must come first");
}

}  // namespace
}  // namespace brag
