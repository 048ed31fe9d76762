#include "cli/backend.h"

#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>

#include "support/git_fixture.h"
#include "support/schema_rewind.h"
#include "support/temp_dir.h"

namespace brag::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A config whose socket has no daemon and whose journal sits in a temp dir.
struct OfflineWorld {
  test::TempDir dir{"cli-backend"};
  Config config;

  OfflineWorld() {
    config.socket = (dir / "nobody.sock").string();
    config.journal_path = (dir / "data" / "journal.db").string();
  }

  std::unique_ptr<Backend> Open(Access access) {
    Result<std::unique_ptr<Backend>> b = OpenBackend(config, access);
    REQUIRE_MESSAGE(b.has_value(), (b ? "" : b.error().message));
    CHECK((*b)->daemon() == nullptr);
    return std::move(*b);
  }

  json Ok(Backend& b, const std::string& method, const json& params = json::object()) {
    Result<json> r = b.Call(method, params);
    REQUIRE_MESSAGE(r.has_value(),
                    (r ? "" : r.error().code + ": " + r.error().message));
    return *r;
  }
};

TEST_CASE("with bragd down and no journal, reading gives empty results") {
  OfflineWorld w;
  std::unique_ptr<Backend> b = w.Open(Access::kRead);
  CHECK(w.Ok(*b, "pending")["prompts"].empty());
  CHECK(w.Ok(*b, "log")["entries"].empty());
  CHECK(w.Ok(*b, "repos.list")["repos"].empty());
  json status = w.Ok(*b, "status");
  CHECK(status["running"] == false);
  CHECK(status["pending"] == 0);
  CHECK(status["journal"] == w.config.journal_path);
  CHECK(status["socket"] == w.config.socket);
  CHECK_FALSE(fs::exists(w.config.journal_path));
}

TEST_CASE("with bragd down, writing creates the journal and reading then sees it") {
  OfflineWorld w;
  {
    std::unique_ptr<Backend> b = w.Open(Access::kWrite);
    w.Ok(*b, "note", {{"text", "Ran the failover drill"}});
  }
  std::unique_ptr<Backend> b = w.Open(Access::kRead);
  json entries = w.Ok(*b, "log")["entries"];
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["text"] == "Ran the failover drill");
}

TEST_CASE("repos.add with bragd down stores the repo's canonical path") {
  OfflineWorld w;
  test::GitRepo repo = test::GitRepo::Init(w.dir / "code" / "payments");
  repo.Commit("README", "hi\n", "initial");
  std::unique_ptr<Backend> b = w.Open(Access::kWrite);
  std::string dotted = (w.dir / "code" / "payments" / ".").string();
  json added = w.Ok(*b, "repos.add", {{"path", dotted}})["repo"];
  CHECK(added["path"] == fs::canonical(repo.dir()).string());
  CHECK(added["name"] == "payments");
  CHECK(added["source"] == "added");
  json named = w.Ok(*b, "repos.add", {{"path", repo.dir().string()}, {"name", "pay"}});
  CHECK(named["repo"]["id"] == added["id"]);
  CHECK(w.Ok(*b, "status")["repos"].size() == 1);

  SUBCASE("and repos.remove takes it away by name") {
    CHECK(w.Ok(*b, "repos.remove", {{"repo", "payments"}})["removed"] == true);
    CHECK(w.Ok(*b, "repos.list")["repos"].empty());
    Result<json> again = b->Call("repos.remove", {{"repo", "payments"}});
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == "not_found");
  }
}

TEST_CASE("repos.add with bragd down refuses what is not a git repository") {
  OfflineWorld w;
  fs::create_directories(w.dir / "plain");
  std::unique_ptr<Backend> b = w.Open(Access::kWrite);
  Result<json> plain = b->Call("repos.add", {{"path", (w.dir / "plain").string()}});
  REQUIRE_FALSE(plain.has_value());
  CHECK(plain.error().code == "not_found");
  CHECK(plain.error().message.find("not a git repository") != std::string::npos);
  Result<json> missing = b->Call("repos.add", {{"path", (w.dir / "nope").string()}});
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == "not_found");
  Result<json> no_path = b->Call("repos.add", json::object());
  REQUIRE_FALSE(no_path.has_value());
  CHECK(no_path.error().code == "bad_request");
}

TEST_CASE("methods that need bragd say so when it is down") {
  OfflineWorld w;
  std::unique_ptr<Backend> b = w.Open(Access::kWrite);
  Result<json> r = b->Call("subscribe", json::object());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "unreachable");
}

}  // namespace
}  // namespace brag::cli

namespace brag::cli {
namespace {

TEST_CASE("with bragd down, reading a journal from an older brag upgrades it, keeping it all") {
  OfflineWorld w;
  {
    std::unique_ptr<Backend> b = w.Open(Access::kWrite);
    w.Ok(*b, "note", {{"text", "kept across the upgrade"}});
  }
  {  // as brag 0.1's schema version 3 left it
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(w.config.journal_path.c_str(), &raw) == SQLITE_OK);
    for (const char* sql :
         {test::kRewindIdentities, "DROP INDEX events_pr", "ALTER TABLE notes DROP COLUMN edited",
          "ALTER TABLE notes DROP COLUMN removed", "PRAGMA user_version = 3"}) {
      CHECK(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    sqlite3_close(raw);
  }
  std::unique_ptr<Backend> b = w.Open(Access::kRead);
  json log = w.Ok(*b, "log", {{"kind", "note"}});
  REQUIRE(log["entries"].size() == 1);
  CHECK(log["entries"][0]["text"] == "kept across the upgrade");
  Result<std::unique_ptr<Journal>> after =
      Journal::Open(w.config.journal_path, Journal::Mode::kReadOnly);
  REQUIRE(after.has_value());  // upgraded: a plain read-only open works now
  CHECK((*after)->SchemaVersion().value() == Journal::kSchemaVersion);
}

}  // namespace
}  // namespace brag::cli
