// Watched repos, ref state and recording scans.
#include <doctest/doctest.h>

#include "journal/journal.h"
#include "journal/journal_fixture.h"

namespace brag::test {
namespace {

TEST_CASE_FIXTURE(JournalFixture,
                  "a repo added without a name is named after its folder") {
  RepoRecord api = AddRepo("/code/api", "", "added", 42);
  CHECK(api.id > 0);
  CHECK(api.path == "/code/api");
  CHECK(api.name == "api");
  CHECK(api.source == "added");
  CHECK(api.state == RepoState::kUnknown);
  CHECK(api.error.empty());
  CHECK(api.added == 42);
  CHECK(AddRepo("/code/web/", "").name == "web");
  CHECK(AddRepo("/code/payments", "pay").name == "pay");
}

TEST_CASE_FIXTURE(JournalFixture, "a repo needs a path and a known source") {
  Result<RepoRecord> no_path = journal->repos().AddRepo("", "x", "added", 1);
  REQUIRE_FALSE(no_path.has_value());
  CHECK(no_path.error().code == "bad_request");
  Result<RepoRecord> bad_source =
      journal->repos().AddRepo("/code/api", "", "manual", 1);
  REQUIRE_FALSE(bad_source.has_value());
  CHECK(bad_source.error().code == "bad_request");
}

TEST_CASE_FIXTURE(JournalFixture,
                  "adding a known path returns its row and upgrades a scanned source") {
  RepoRecord scanned = AddRepo("/code/api", "", "scan", 10);
  RepoRecord again = AddRepo("/code/api", "", "scan", 20);
  CHECK(again.id == scanned.id);
  CHECK(again.added == 10);
  CHECK(again.source == "scan");

  RepoRecord added = AddRepo("/code/api", "", "added", 30);
  CHECK(added.id == scanned.id);
  CHECK(added.source == "added");
  CHECK(added.name == "api");

  SUBCASE("a later scan does not downgrade it") {
    CHECK(AddRepo("/code/api", "", "scan", 40).source == "added");
  }
  SUBCASE("an explicit add keeps an added repo as it is") {
    CHECK(AddRepo("/code/api", "other", "config", 40).source == "added");
  }
  Result<std::vector<RepoRecord>> all = journal->repos().ListRepos();
  REQUIRE(all.has_value());
  CHECK(all->size() == 1);
}

TEST_CASE_FIXTURE(JournalFixture,
                  "a scanned repo named by the config takes that name") {
  RepoRecord scanned = AddRepo("/code/payments", "", "scan");
  RepoRecord configured = AddRepo("/code/payments", "pay", "config");
  CHECK(configured.id == scanned.id);
  CHECK(configured.source == "config");
  CHECK(configured.name == "pay");
}

TEST_CASE_FIXTURE(JournalFixture, "a repo is found by its path or its name") {
  RepoRecord api = AddRepo("/code/api");
  AddRepo("/code/web");
  for (const char* key : {"/code/api", "api"}) {
    Result<std::optional<RepoRecord>> found = journal->repos().FindRepo(key);
    REQUIRE(found.has_value());
    REQUIRE(found->has_value());
    CHECK((*found)->id == api.id);
  }
  Result<std::optional<RepoRecord>> missing = journal->repos().FindRepo("nope");
  REQUIRE(missing.has_value());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE_FIXTURE(JournalFixture,
                  "a name two repos share is ambiguous, their paths are not") {
  AddRepo("/srv/code/api");
  RepoRecord second = AddRepo("/home/api");
  Result<std::optional<RepoRecord>> by_name = journal->repos().FindRepo("api");
  REQUIRE_FALSE(by_name.has_value());
  CHECK(by_name.error().code == "conflict");
  CHECK(by_name.error().message.find("/srv/code/api") != std::string::npos);
  Result<std::optional<RepoRecord>> by_path = journal->repos().FindRepo("/home/api");
  REQUIRE(by_path.has_value());
  REQUIRE(by_path->has_value());
  CHECK((*by_path)->id == second.id);
}

TEST_CASE_FIXTURE(JournalFixture, "watched repos are listed by path") {
  AddRepo("/code/web");
  AddRepo("/code/api");
  AddRepo("/code/zeta");
  REQUIRE(journal->repos().RemoveRepo("zeta").value());
  Result<std::vector<RepoRecord>> all = journal->repos().ListRepos();
  REQUIRE(all.has_value());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].path == "/code/api");
  CHECK((*all)[1].path == "/code/web");
}

TEST_CASE_FIXTURE(JournalFixture, "a repo's state records its last error") {
  RepoRecord api = AddRepo("/code/api");
  REQUIRE(journal->repos().SetRepoState(api.id, RepoState::kError,
                                        "reftable is not supported"));
  Result<std::optional<RepoRecord>> found = journal->repos().FindRepo("api");
  REQUIRE(found.has_value());
  REQUIRE(found->has_value());
  CHECK((*found)->state == RepoState::kError);
  CHECK((*found)->error == "reftable is not supported");

  Status unknown = journal->repos().SetRepoState(api.id + 100, RepoState::kOk, "");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == "not_found");
}

TEST_CASE_FIXTURE(JournalFixture,
                  "removing a repo forgets its ref state and baseline") {
  RepoRecord api = AddRepo("/code/api");
  Scan(api.id, {}, 10, {{"refs/heads/main", "aaa"}});
  REQUIRE(journal->repos().HasBaseline(api.id).value());

  Result<bool> removed = journal->repos().RemoveRepo("/code/api");
  REQUIRE(removed.has_value());
  CHECK(*removed);
  CHECK_FALSE(journal->repos().HasBaseline(api.id).value());
  CHECK(journal->repos().LoadRefState(api.id).value().empty());
  CHECK_FALSE(journal->repos().FindRepo("api").value().has_value());
  CHECK(journal->repos().ListRepos().value().empty());

  Result<bool> again = journal->repos().RemoveRepo("api");
  REQUIRE(again.has_value());
  CHECK_FALSE(*again);
}

TEST_CASE_FIXTURE(JournalFixture,
                  "a removed repo added again gets a fresh baseline and no repeated "
                  "prompts") {
  RepoRecord api = AddRepo("/code/api", "", "added", 10);
  Scan(api.id, {PrMerged("c1", 1, 5)});
  REQUIRE(journal->repos().RemoveRepo("api").value());

  RepoRecord back = AddRepo("/code/api", "", "added", 99);
  CHECK(back.id == api.id);
  CHECK(back.added == 99);
  CHECK_FALSE(journal->repos().HasBaseline(back.id).value());
  CHECK(Scan(back.id, {PrMerged("c1", 1, 5)}).empty());
  CHECK(journal->repos().HasBaseline(back.id).value());
}

TEST_CASE_FIXTURE(JournalFixture,
                  "a removed repo found again by discovery stays removed; added, it returns") {
  RepoRecord found = AddRepo("/code/web", "", "scan", 10);
  REQUIRE(journal->repos().RemoveRepo("web").value());

  Result<RepoRecord> rediscovered = journal->repos().AddRepo("/code/web", "", "scan", 20);
  REQUIRE_FALSE(rediscovered.has_value());
  CHECK(rediscovered.error().code == "removed");
  CHECK(rediscovered.error().message.find("brag repos add") != std::string::npos);
  CHECK(journal->repos().ListRepos().value().empty());

  RepoRecord back = AddRepo("/code/web", "", "added", 30);
  CHECK(back.id == found.id);
  CHECK(back.source == "added");
  CHECK(journal->repos().ListRepos().value().size() == 1);
}

TEST_CASE_FIXTURE(JournalFixture, "a scan stores the ref state and marks a baseline") {
  RepoRecord api = AddRepo("/code/api");
  CHECK_FALSE(journal->repos().HasBaseline(api.id).value());
  CHECK(journal->repos().LoadRefState(api.id).value().empty());

  SUBCASE("even with no refs at all") {
    CHECK(Scan(api.id, {}).empty());
    CHECK(journal->repos().HasBaseline(api.id).value());
    CHECK(journal->repos().LoadRefState(api.id).value().empty());
  }
  SUBCASE("and a later scan replaces the ref state") {
    Scan(api.id, {}, 10,
         {{"refs/heads/main", "aaa"}, {"refs/remotes/origin/main", "bbb"}});
    CHECK(journal->repos().LoadRefState(api.id).value() ==
          RefState{{"refs/heads/main", "aaa"}, {"refs/remotes/origin/main", "bbb"}});
    Scan(api.id, {}, 20, {{"refs/heads/main", "ccc"}});
    CHECK(journal->repos().LoadRefState(api.id).value() ==
          RefState{{"refs/heads/main", "ccc"}});
    CHECK(journal->repos().HasBaseline(api.id).value());
  }
}

TEST_CASE_FIXTURE(JournalFixture,
                  "a scan makes one pending prompt per new event, fully filled") {
  RepoRecord api = AddRepo("/code/api");
  std::vector<Prompt> made = Scan(
      api.id, {PrMerged("c1", 12, 500), IncidentClosed("incident/db-down", 600)}, 700);
  REQUIRE(made.size() == 2);
  const Prompt& pr = made[0];
  CHECK(pr.id > 0);
  CHECK(pr.state == PromptState::kPending);
  CHECK(pr.created == 700);
  CHECK(pr.repo == "/code/api");
  CHECK(pr.repo_name == "api");
  CHECK_FALSE(pr.note_id.has_value());
  CHECK(pr.event.id > 0);
  CHECK(pr.event.repo_id == api.id);
  CHECK(pr.event.kind == EventKind::kPrMerged);
  CHECK(pr.event.key == "c1");
  CHECK(pr.event.commit == "c1");
  CHECK(pr.event.forge == "github");
  CHECK(pr.event.pr == 12);
  CHECK(pr.event.title == "Add composite index");
  CHECK(pr.event.branch == "feature-12");
  CHECK(pr.event.authors ==
        std::vector<std::string>{"me@example.com", "pal@example.com"});
  CHECK(pr.event.commit_time == 500);
  CHECK(pr.event.diffstat.files == 3);
  CHECK(pr.event.diffstat.insertions == 40);
  CHECK(pr.event.diffstat.deletions == 7);
  CHECK(pr.event.paths == std::vector<std::string>{"db/schema.sql", "src/orders.cc"});
  CHECK(pr.event.created == 700);
  CHECK(made[1].event.kind == EventKind::kIncidentClosed);
  CHECK(made[1].event.key == "incident/db-down");
  CHECK(made[1].event.authors.empty());

  // Newest first: the incident closed at 600, after the PR merged at 500.
  std::vector<Prompt> pending = Pending(700);
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].id == made[1].id);
  CHECK(pending[1].id == pr.id);
  CHECK(pending[1].event.paths == pr.event.paths);
  CHECK(pending[1].repo == pr.repo);
}

TEST_CASE_FIXTURE(JournalFixture, "an event seen again makes no second prompt") {
  RepoRecord api = AddRepo("/code/api");
  RepoRecord web = AddRepo("/code/web");
  CHECK(Scan(api.id, {PrMerged("c1", 1, 5)}).size() == 1);
  CHECK(Scan(api.id, {PrMerged("c1", 1, 5)}, 3000).empty());
  CHECK(Scan(api.id, {PrMerged("c1", 1, 5), PrMerged("c2", 2, 6)}).size() == 1);
  CHECK(journal->prompts().PendingCount(9999).value() == 2);

  SUBCASE("the same key in another repo is another event") {
    CHECK(Scan(web.id, {PrMerged("c1", 1, 5)}).size() == 1);
  }
  SUBCASE("the same key of another kind is another event") {
    Event incident = IncidentClosed("c1", 5);
    CHECK(Scan(api.id, {incident}).size() == 1);
  }
}

TEST_CASE_FIXTURE(JournalFixture, "a scan with a bad event records nothing") {
  RepoRecord api = AddRepo("/code/api");
  Scan(api.id, {}, 10, {{"refs/heads/main", "old"}});
  Event keyless = PrMerged("", 2, 5);
  Result<std::vector<Prompt>> made = journal->repos().RecordScan(
      api.id, {{"refs/heads/main", "new"}}, {PrMerged("c1", 1, 5), keyless}, 20);
  REQUIRE_FALSE(made.has_value());
  CHECK(made.error().code == "bad_request");
  CHECK(journal->repos().LoadRefState(api.id).value() ==
        RefState{{"refs/heads/main", "old"}});
  CHECK(journal->prompts().PendingCount(9999).value() == 0);
  CHECK(Scan(api.id, {PrMerged("c1", 1, 5)}).size() == 1);
}

TEST_CASE_FIXTURE(JournalFixture,
                  "the same PR under a rewritten commit is not recorded twice") {
  RepoRecord api = AddRepo("/code/api");
  RepoRecord web = AddRepo("/code/web");
  CHECK(Scan(api.id, {PrMerged("c1", 7, 5)}).size() == 1);
  // A force push rewrote the mainline: PR 7 now has another merge commit.
  CHECK(Scan(api.id, {PrMerged("c1-rewritten", 7, 5)}).empty());
  // Another PR number, another forge, or another repo is news.
  CHECK(Scan(api.id, {PrMerged("c2", 8, 6)}).size() == 1);
  Event gitlab = PrMerged("c3", 7, 6);
  gitlab.forge = "gitlab";
  CHECK(Scan(api.id, {gitlab}).size() == 1);
  CHECK(Scan(web.id, {PrMerged("c4", 7, 6)}).size() == 1);
  // Local merges have no number: each commit is its own event.
  Event local1 = PrMerged("m1", 0, 7), local2 = PrMerged("m2", 0, 8);
  local1.forge = local2.forge = "local";
  CHECK(Scan(api.id, {local1, local2}).size() == 2);
}

TEST_CASE_FIXTURE(JournalFixture, "a scan of an unknown or removed repo is not_found") {
  Result<std::vector<Prompt>> unknown = journal->repos().RecordScan(77, {}, {}, 1);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == "not_found");

  RepoRecord api = AddRepo("/code/api");
  REQUIRE(journal->repos().RemoveRepo("api").value());
  Result<std::vector<Prompt>> removed =
      journal->repos().RecordScan(api.id, {}, {PrMerged("c1", 1, 5)}, 1);
  REQUIRE_FALSE(removed.has_value());
  CHECK(removed.error().code == "not_found");
  CHECK_FALSE(journal->repos().HasBaseline(api.id).value());
}

}  // namespace
}  // namespace brag::test
