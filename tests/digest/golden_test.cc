// The Markdown, JSON and review renderings of a fixed journal, byte for byte
// against tests/digest/golden/. After an intended change of format, rewrite
// them with BRAG_UPDATE_GOLDEN=1 test_digest and review the diff.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "digest/digest_fixture.h"
#include "digest/render.h"
#include "support/temp_dir.h"

namespace brag::digest {
namespace {

namespace fs = std::filesystem;

fs::path GoldenDir() { return fs::path(__FILE__).parent_path() / "golden"; }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The first line that differs, with its number, so a failure says where.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::vector<std::string> a = Lines(want), b = Lines(got);
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    std::string x = i < a.size() ? a[i] : "<end of file>";
    std::string y = i < b.size() ? b[i] : "<end of output>";
    if (x != y) {
      return "line " + std::to_string(i + 1) + "\n  golden: " + x + "\n  actual: " + y;
    }
  }
  return "trailing newline differs";
}

void CheckGolden(const std::string& name, const std::string& actual) {
  fs::path file = GoldenDir() / name;
  const char* update = std::getenv("BRAG_UPDATE_GOLDEN");
  if (update && *update) {
    test::WriteFile(file, actual);
    MESSAGE("rewrote ", file.string());
  }
  std::string missing = file.string() + " is missing (BRAG_UPDATE_GOLDEN=1)";
  REQUIRE_MESSAGE(fs::exists(file), missing);
  std::string want = test::ReadFile(file);
  INFO("golden file ", file.string(), " (rewrite with BRAG_UPDATE_GOLDEN=1)");
  INFO(FirstDifference(want, actual));
  CHECK(want == actual);
}

struct UtcZone {
  UtcZone() : tz("TZ", "UTC") { tzset(); }
  ~UtcZone() { tzset(); }
  test::ScopedEnv tz;
};

TEST_CASE("the Markdown digest of the fixed week matches its golden file") {
  UtcZone utc;
  test::FixedJournal j;
  CheckGolden("week.md", RenderMarkdown(j.Build()));
}

TEST_CASE("the JSON digest of the fixed week matches its golden file") {
  UtcZone utc;
  test::FixedJournal j;
  CheckGolden("week.json", RenderJson(j.Build()));
}

TEST_CASE("the review draft of the fixed week matches its golden file") {
  UtcZone utc;
  test::FixedJournal j;
  CheckGolden("review.md", RenderReview(j.Build()));
}

}  // namespace
}  // namespace brag::digest
