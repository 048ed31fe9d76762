// What a repo supplies is stored capped: a 10 MB PR title, thousands of
// authors or paths, a 10 MB commit subject.
#include <doctest/doctest.h>

#include "journal/journal_fixture.h"

namespace brag::test {

TEST_CASE("an event's title, authors and paths are stored capped") {
  TempDir t("journal-caps");
  std::unique_ptr<Journal> j = OpenJournal(t / "journal.db");
  Result<RepoRecord> repo = j->repos().AddRepo("/src/big", "", "added", 1700000000);
  REQUIRE(repo.has_value());
  Event e = PrMerged(std::string(40, 'a'), 7, 1700000000, std::string(10'000'000, 'T'));
  e.authors.clear();
  for (int i = 0; i < 500; ++i) e.authors.push_back("a" + std::to_string(i) + "@x.org");
  e.paths.clear();
  for (int i = 0; i < 5000; ++i) e.paths.push_back("src/f" + std::to_string(i) + ".cc");
  Result<std::vector<Prompt>> made = j->repos().RecordEvents(repo->id, {e}, 1700000000);
  REQUIRE(made.has_value());
  REQUIRE(made->size() == 1);
  const Event& stored = made->front().event;
  CHECK(stored.title.size() == Journal::kMaxTitleBytes);
  CHECK(stored.title.substr(stored.title.size() - 3) == "\xE2\x80\xA6");
  CHECK(stored.authors.size() == Journal::kMaxAuthors);
  CHECK(stored.authors.front() == "a0@x.org");
  CHECK(stored.paths.size() == Journal::kMaxPaths);
  CHECK(stored.paths.front() == "src/f0.cc");
}

TEST_CASE("a hook's commit subject and paths are stored capped") {
  TempDir t("journal-caps");
  std::unique_ptr<Journal> j = OpenJournal(t / "journal.db");
  CommitRecord c;
  c.repo = "/src/big";
  c.oid = std::string(40, 'b');
  c.subject = std::string(10'000'000, 'S');
  for (int i = 0; i < 5000; ++i) c.paths.push_back("src/f" + std::to_string(i) + ".cc");
  REQUIRE(j->commits().RecordCommit(c, "", 1700000000).has_value());
  Result<std::vector<CommitRecord>> stored = j->commits().Commits("/src/big");
  REQUIRE(stored.has_value());
  REQUIRE(stored->size() == 1);
  CHECK(stored->front().subject.size() == Journal::kMaxTitleBytes);
  CHECK(stored->front().paths.size() == Journal::kMaxPaths);
}

}  // namespace brag::test
