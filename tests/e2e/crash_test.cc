// bragd killed with SIGKILL again and again under load — clients filing
// notes, git committing through the hooks, merges landing — loses no
// acknowledged note, files nothing twice, and leaves a sound journal
// (docs/reliability.md).
#include <doctest/doctest.h>
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "journal/sqlite.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kKills = 12;
constexpr int kClients = 4;

// Counts what the load achieved, guarded by `mu`.
struct Load {
  std::mutex mu;
  std::vector<std::string> acked;          // note texts bragd acknowledged
  std::set<std::string> sent;              // every note text ever sent
  std::vector<int> merged_prs;             // PRs merged on main (by me)
  std::map<std::string, std::string> hooked;  // commit oid -> its Impact: text
  std::condition_variable acked_more;  // each ack notifies
  int acks_since_start = 0;
  int commits_since_start = 0;
  std::atomic<bool> stop{false};
  std::string errors;  // what went wrong in a thread, for the report
};

// A client filing notes as fast as bragd acks them. A note is never sent
// twice: one whose reply was lost to a kill is simply not counted as acked.
void FileNotes(const fs::path& socket, int client, Load& load) {
  int seq = 0;
  std::unique_ptr<protocol::Client> c;
  while (!load.stop) {
    if (!c) {
      Result<protocol::Client> connected = protocol::Client::Connect(socket);
      if (!connected) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // bragd restarting
        continue;
      }
      c = std::make_unique<protocol::Client>(std::move(*connected));
    }
    std::string text = "client " + std::to_string(client) + " note " + std::to_string(seq++);
    {
      std::lock_guard<std::mutex> lock(load.mu);
      load.sent.insert(text);
    }
    Result<json> r = c->Call("note", {{"text", text}}, 5000);
    if (r) {
      std::lock_guard<std::mutex> lock(load.mu);
      load.acked.push_back(text);
      ++load.acks_since_start;
      load.acked_more.notify_all();
    } else {
      c.reset();
    }
  }
}

// Commits with Impact: trailers (filed by the hooks) and, every third
// commit, a squash merge of mine on main.
void Commit(const GitRepo& repo, Load& load) {
  int n = 0;
  while (!load.stop) {
    ++n;
    try {
      std::string impact = "made step " + std::to_string(n) + " faster";
      std::string oid = repo.Commit("work.txt", std::to_string(n) + "\n",
                                    "Step " + std::to_string(n) + "\n\nImpact: " + impact);
      {
        std::lock_guard<std::mutex> lock(load.mu);
        load.hooked[oid] = impact;
        ++load.commits_since_start;
        load.acked_more.notify_all();
      }
      if (n % 3 == 0) {
        int pr = 1000 + n;
        repo.GithubSquash(pr, "Merge step " + std::to_string(n), "me@example.com");
        std::lock_guard<std::mutex> lock(load.mu);
        load.merged_prs.push_back(pr);
      }
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(load.mu);
      load.errors += std::string(e.what()) + "\n";
      return;
    }
  }
}

std::string Text(sql::Database& db, const std::string& query) {
  Result<sql::Statement> stmt = db.Prepare(query);
  REQUIRE_MESSAGE(stmt.has_value(), stmt.error().message);
  Result<bool> row = stmt->Step();
  REQUIRE_MESSAGE(row.has_value(), row.error().message);
  return *row ? stmt->row().Text() : std::string();
}

std::map<std::string, int> CountBy(sql::Database& db, const std::string& query) {
  std::map<std::string, int> out;
  Result<sql::Statement> stmt = db.Prepare(query);
  REQUIRE_MESSAGE(stmt.has_value(), stmt.error().message);
  for (;;) {
    Result<bool> row = stmt->Step();
    REQUIRE_MESSAGE(row.has_value(), row.error().message);
    if (!*row) return out;
    sql::Row r = stmt->row();
    std::string key = r.Text();
    out[key] = static_cast<int>(r.Int());
  }
}

}  // namespace

TEST_CASE("twelve SIGKILLs under load lose no acknowledged note and file nothing twice") {
  World world;
  world.WriteConfig("[identity]\nemails = [\"me@example.com\"]\n");
  fs::path bin = world.root() / "bin";
  fs::create_directories(bin);
  fs::create_symlink(BRAG_BIN, bin / "brag");
  const char* old_path = std::getenv("PATH");
  std::string path = bin.string() + ":" + (old_path ? old_path : "/usr/bin:/bin");
  ScopedEnv path_env("PATH", path.c_str());
  ScopedEnv config_env("BRAG_CONFIG", world.config().c_str());

  GitRepo repo = GitRepo::Init(world.repos() / "payments");
  repo.Commit("README", "a\n", "initial");
  REQUIRE(world.Brag("hooks install " + ShellQuote(repo.dir().string())).code == 0);
  auto bragd = std::make_unique<BragdProcess>(world);
  REQUIRE(bragd->WaitReady());
  REQUIRE(world.Brag("repos add " + ShellQuote(repo.dir().string())).code == 0);

  Load load;
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back(FileNotes, world.socket(), i, std::ref(load));
  }
  threads.emplace_back(Commit, std::cref(repo), std::ref(load));

  int kills = 0;
  for (; kills < kKills; ++kills) {
    // Kill once bragd has acked some notes and git has made a commit since
    // it started, so each kill lands in the middle of load, not during
    // start-up only.
    {
      std::unique_lock<std::mutex> lock(load.mu);
      bool enough = load.acked_more.wait_for(lock, std::chrono::seconds(20), [&] {
        return load.acks_since_start >= 25 && load.commits_since_start >= 2;
      });
      REQUIRE_MESSAGE(enough, "too little done after restart " << kills);
      load.acks_since_start = 0;
      load.commits_since_start = 0;
    }
    ::kill(bragd->pid(), SIGKILL);
    CHECK(bragd->WaitExit() == 128 + SIGKILL);
    bragd = std::make_unique<BragdProcess>(world);
    REQUIRE_MESSAGE(bragd->WaitReady(), bragd->Log());
  }
  load.stop = true;
  for (std::thread& t : threads) t.join();
  CHECK_MESSAGE(load.errors.empty(), load.errors);

  // One clean pass: the spool filed, every merge scanned.
  {
    protocol::Client c = bragd->Connect();
    REQUIRE(c.Call("rescan", json::object(), 60000).has_value());
  }
  REQUIRE(bragd->Stop() == 0);

  Result<sql::Database> db =
      sql::Database::Open(world.journal(), SQLITE_OPEN_READONLY);
  REQUIRE(db.has_value());
  CHECK(Text(*db, "PRAGMA integrity_check") == "ok");

  std::map<std::string, int> notes =
      CountBy(*db, "SELECT text, count(*) FROM notes WHERE source = 'manual' GROUP BY text");
  for (const std::string& text : load.acked) {
    CHECK_MESSAGE(notes[text] == 1, "acked note \"" << text << "\" is there "
                                                     << notes[text] << " times");
  }
  for (const auto& [text, count] : notes) {
    CHECK_MESSAGE(count == 1, "\"" << text << "\" is there " << count << " times");
    CHECK_MESSAGE(load.sent.count(text) == 1, "\"" << text << "\" was never sent");
  }

  std::map<std::string, int> prs = CountBy(
      *db, "SELECT CAST(pr AS TEXT), count(*) FROM events WHERE kind = 'pr_merged' GROUP BY pr");
  for (int pr : load.merged_prs) {
    CHECK_MESSAGE(prs[std::to_string(pr)] == 1, "PR " << pr << " recorded "
                                                      << prs[std::to_string(pr)] << " times");
  }
  CHECK(prs.size() == load.merged_prs.size());

  std::map<std::string, int> hook_notes = CountBy(
      *db, "SELECT commit_oid, count(*) FROM notes WHERE source = 'hook' GROUP BY commit_oid");
  for (const auto& [oid, impact] : load.hooked) {
    CHECK_MESSAGE(hook_notes[oid] == 1, "the note of commit " << oid << " is there "
                                                              << hook_notes[oid] << " times");
  }
  MESSAGE(kills << " kills; " << load.acked.size() << " notes acked, " << load.hooked.size()
                << " hook commits, " << load.merged_prs.size() << " merges");
  CHECK(load.acked.size() >= kKills * 25);
}

}  // namespace brag::test
