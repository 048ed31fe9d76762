// Ordinary sizes work: hundreds of notes and prompts and repos, with bragd
// up, whatever the reply's size (requests stay limited to 64 KiB; listings
// come in pages).
#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "journal/journal.h"

namespace brag::test {
namespace {

using nlohmann::json;

std::unique_ptr<Journal> OpenWorldJournal(const World& world) {
  auto journal = Journal::Open(world.journal(), Journal::Mode::kReadWrite);
  REQUIRE_MESSAGE(journal.has_value(), journal.error().message);
  return std::move(*journal);
}

// `count` merged PRs of a repo, each with a pending prompt, recorded as
// `brag scan --record` would.
void RecordPrompts(Journal& journal, int count) {
  Result<RepoRecord> repo =
      journal.repos().AddRepo("/nonexistent/payments", "payments", "added", 1);
  REQUIRE(repo.has_value());
  std::vector<Event> events;
  for (int i = 1; i <= count; ++i) {
    Event e;
    e.kind = EventKind::kPrMerged;
    e.key = std::to_string(i);
    e.commit = std::string(40, 'a');
    e.forge = "github";
    e.pr = i;
    // Titles of a realistic length: 300 prompts pass 64 KiB.
    e.title = "Add a composite index on orders for the checkout query, number " +
              std::to_string(i) + std::string(150, '.');
    e.authors = {"me@example.com"};
    e.commit_time = 1700000000 + i;
    events.push_back(std::move(e));
  }
  Result<std::vector<Prompt>> made =
      journal.repos().RecordEvents(repo->id, events, 1700000000);
  REQUIRE(made.has_value());
  REQUIRE(made->size() == static_cast<size_t>(count));
}

}  // namespace

TEST_CASE("brag log lists 1,200 notes with bragd up, and --limit takes as many as asked") {
  World world;
  {
    auto journal = OpenWorldJournal(world);
    for (int i = 0; i < 1200; ++i) {
      NewNote note;
      note.text = "note " + std::to_string(i) + ": " + std::string(200, 'x');
      REQUIRE(journal->prompts().AddNote(note, 1700000000 + i).has_value());
    }
  }
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());

  CommandResult all = world.Brag("log --json");
  REQUIRE_MESSAGE(all.code == 0, all.output.substr(0, 500));
  std::vector<json> entries = JsonLines(all.output);
  REQUIRE(entries.size() == 1200);
  // Newest first, each once, across the pages.
  CHECK(entries.front()["text"].get<std::string>().starts_with("note 1199:"));
  CHECK(entries.back()["text"].get<std::string>().starts_with("note 0:"));
  std::set<int64_t> ids;
  for (const json& e : entries) ids.insert(e["id"].get<int64_t>());
  CHECK(ids.size() == 1200);

  CommandResult some = world.Brag("log --json --limit 700");
  REQUIRE(some.code == 0);
  std::vector<json> first700 = JsonLines(some.output);
  REQUIRE(first700.size() == 700);
  CHECK(first700.back()["id"] == entries[699]["id"]);
  CHECK(world.Brag("log --json --limit 300").code == 0);
  CHECK(JsonLines(world.Brag("log --json --limit 300").output).size() == 300);
}

TEST_CASE("600 pending prompts list, count and dismiss with bragd up") {
  World world;
  {
    auto journal = OpenWorldJournal(world);
    RecordPrompts(*journal, 600);
  }
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());

  CommandResult count = world.Brag("pending --count");
  REQUIRE_MESSAGE(count.code == 0, count.output);
  CHECK(count.output == "600\n");
  CommandResult listed = world.Brag("pending --json");
  REQUIRE(listed.code == 0);
  std::vector<json> prompts = JsonLines(listed.output);
  REQUIRE(prompts.size() == 600);
  CHECK(prompts.front()["pr"] == 600);  // newest merge first
  CHECK(prompts.back()["pr"] == 1);

  CommandResult dismissed = world.Brag("dismiss " + prompts[2]["id"].dump());
  CHECK_MESSAGE(dismissed.code == 0, dismissed.output);
  CHECK(world.Brag("pending --count").output == "599\n");
  CommandResult text = world.Brag("pending");
  CHECK(text.code == 0);
}

TEST_CASE("status with 300 watched repos is answered whole") {
  World world;
  {
    auto journal = OpenWorldJournal(world);
    for (int i = 0; i < 300; ++i) {
      std::string path = (world.repos() / ("service-with-a-long-name-" + std::to_string(i)))
                             .string();
      REQUIRE(journal->repos().AddRepo(path, "", "added", 1).has_value());
    }
  }
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  CommandResult status = world.Brag("status --json");
  REQUIRE_MESSAGE(status.code == 0, status.output.substr(0, 500));
  json st = json::parse(status.output);
  CHECK(st["repos"].size() == 300);
  CHECK(status.output.size() > 64 * 1024);
  CHECK(world.Brag("repos list").code == 0);
}

}  // namespace brag::test
