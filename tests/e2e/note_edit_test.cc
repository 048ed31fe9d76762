// `brag edit` and `brag rm` with the real binaries, through bragd and with
// bragd down: the same steps, the same outcomes, and `log` and `digest`
// show the latest text and leave removed notes out.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/timeutil.h"
#include "e2e/bragd_process.h"
#include "journal/journal.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Sets an environment variable for the brag processes a test starts, and
// puts it back as it was.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* was = ::getenv(name)) was_ = was;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (was_) {
      ::setenv(name_, was_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> was_;
};

// An executable script in the world's folder, for $EDITOR.
std::string Script(const World& world, const std::string& name,
                   const std::string& body) {
  fs::path path = world.root() / name;
  WriteFile(path, "#!/bin/sh\n" + body + "\n");
  fs::permissions(path, fs::perms::owner_all);
  return path.string();
}

// A watched repo with one merged PR of the user's; returns its prompt id.
int64_t MakePrompt(const World& world) {
  GitRepo repo = GitRepo::Init(world.repos() / "payments");
  repo.Commit("orders.sql", "create index", "Index the orders table");
  Result<std::unique_ptr<Journal>> j =
      Journal::Open(world.journal(), Journal::Mode::kReadWrite);
  REQUIRE(j.has_value());
  Result<RepoRecord> row = (*j)->repos().AddRepo(repo.dir().string(), "payments",
                                                 "added", UnixNow() - 86400);
  REQUIRE(row.has_value());
  Event e;
  e.kind = EventKind::kPrMerged;
  e.key = e.commit = std::string(40, 'b');
  e.forge = "github";
  e.pr = 481;
  e.title = "Add composite index on orders";
  e.authors = {"me@example.com"};
  e.commit_time = UnixNow() - 3600;
  Result<std::vector<Prompt>> made =
      (*j)->repos().RecordScan(row->id, {}, {e}, UnixNow() - 60);
  REQUIRE(made.has_value());
  REQUIRE(made->size() == 1);
  return made->front().id;
}

bool Has(const CommandResult& r, const std::string& text) {
  return r.output.find(text) != std::string::npos;
}

// The line of `r`'s output that holds `text`, or "".
std::string Line(const CommandResult& r, const std::string& text) {
  size_t at = r.output.find(text);
  if (at == std::string::npos) return std::string();
  size_t begin = r.output.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return r.output.substr(begin, r.output.find('\n', at) - begin);
}

constexpr const char* kAllTime = "digest --since 2020-01-01 --until 2100-01-01";

// The steps of a user who fixes what they wrote, the same with bragd up or
// down.
void FixWhatYouWrote(const World& w, int64_t prompt) {
  ScopedEnv no_visual("VISUAL", std::nullopt);
  std::string p = std::to_string(prompt);
  CommandResult answer = w.Brag("answer " + p + " q");
  REQUIRE_MESSAGE(answer.code == 0, answer.output);
  // A second answer names the note to fix instead.
  CommandResult twice = w.Brag("answer " + p + " 'p95 3.4s -> 18ms'");
  CHECK(twice.code == 1);
  CHECK(Has(twice, "brag: to change that answer instead: brag edit 1\n"));
  CommandResult note = w.Brag("note wrote the runbok");
  REQUIRE_MESSAGE(note.code == 0, note.output);
  CHECK(Has(note, "noted (2)"));

  // The log names each note as edit and rm take it.
  CommandResult log = w.Brag("log");
  CHECK(Line(log, "wrote the runbok").find("note 2") != std::string::npos);
  CHECK(Has(log, "q  (note 1)"));

  CommandResult edit = w.Brag("edit 2 wrote the runbook");
  CHECK_MESSAGE(edit.code == 0, edit.output);
  CHECK(Has(edit, "note 2 edited: wrote the runbook"));
  {  // an editor that rewrites the file
    ScopedEnv editor("EDITOR",
                     Script(w, "rewrite.sh", "printf 'p95 3.4s -> 18ms\\n' > \"$1\""));
    CommandResult r = w.Brag("edit 1");
    CHECK_MESSAGE(r.code == 0, r.output);
    CHECK(Has(r, "note 1 edited: p95 3.4s -> 18ms"));
  }
  {  // an editor that returns at once, leaving the text as it was
    ScopedEnv editor("EDITOR", Script(w, "quit.sh", "exit 0"));
    CommandResult r = w.Brag("edit 2");
    CHECK(r.code == 0);
    CHECK(Has(r, "note 2 unchanged"));
  }
  {  // an editor that fails, after writing: nothing is kept
    ScopedEnv editor("EDITOR", Script(w, "fail.sh", "echo scratch > \"$1\"; exit 3"));
    CommandResult r = w.Brag("edit 2");
    CHECK(r.code == 1);
    CHECK(Has(r, "note 2 unchanged"));
    CHECK(Has(r, "exited with status 3"));
  }
  {  // an editor that empties the file
    ScopedEnv editor("EDITOR", Script(w, "empty.sh", ": > \"$1\""));
    CommandResult r = w.Brag("edit 2");
    CHECK(r.code == 0);
    CHECK(Has(r, "note 2 unchanged"));
  }
  CommandResult blank = w.Brag("edit 2 ' '");
  CHECK(blank.code == 1);
  CHECK(Has(blank, "brag rm 2"));

  log = w.Brag("log");
  CHECK(Line(log, "wrote the runbook").find("note 2") != std::string::npos);
  CHECK(Has(log, "p95 3.4s -> 18ms  (note 1)"));
  CHECK_FALSE(Has(log, "scratch"));
  CommandResult digest = w.Brag(kAllTime);
  REQUIRE_MESSAGE(digest.code == 0, digest.output);
  CHECK(Has(digest, "wrote the runbook"));
  CHECK(Has(digest, "p95 3.4s -> 18ms"));
  CHECK_FALSE(Has(digest, "runbok"));

  CommandResult rm = w.Brag("rm 2");
  CHECK_MESSAGE(rm.code == 0, rm.output);
  CHECK(Has(rm, "removed note 2: wrote the runbook"));
  CommandResult rm_answer = w.Brag("rm 1");
  CHECK_MESSAGE(rm_answer.code == 0, rm_answer.output);
  CHECK(Has(rm_answer, "prompt " + p + " is pending again"));

  log = w.Brag("log");
  CHECK_FALSE(Has(log, "runbook"));
  CHECK_FALSE(Has(log, "p95"));
  CHECK(Has(log, "(no note)"));
  digest = w.Brag(kAllTime);
  CHECK_FALSE(Has(digest, "runbook"));
  CHECK_FALSE(Has(digest, "p95 3.4s"));
  CommandResult pending = w.Brag("pending --json");
  CHECK(Has(pending, "\"id\":" + p));

  CommandResult again = w.Brag("rm 2");
  CHECK(again.code == 1);
  CHECK(Has(again, "removed already"));
  CommandResult edit_removed = w.Brag("edit 2 back");
  CHECK(edit_removed.code == 1);
  CHECK_MESSAGE(Has(edit_removed, "note 2 was removed"), edit_removed.output);
  CommandResult reanswer = w.Brag("answer " + p + " pool waits gone");
  CHECK_MESSAGE(reanswer.code == 0, reanswer.output);
  CHECK(Has(w.Brag("log"), "pool waits gone  (note 3)"));
}

TEST_CASE(
    "edit and rm through bragd: log and digest show the latest text, not removed "
    "notes") {
  World world;
  int64_t prompt = MakePrompt(world);
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  CommandResult status = world.Brag("status --json");
  REQUIRE_MESSAGE(status.code == 0, status.output);
  CHECK(json::parse(status.output)["running"] == true);  // brag talks to bragd
  FixWhatYouWrote(world, prompt);
  CHECK(bragd.Stop() == 0);
}

TEST_CASE(
    "edit and rm with bragd down: log and digest show the latest text, not removed "
    "notes") {
  World world;
  int64_t prompt = MakePrompt(world);
  FixWhatYouWrote(world, prompt);
  CHECK(json::parse(world.Brag("status --json").output)["running"] == false);
}

TEST_CASE("edit and rm --json print the reply as one object") {
  World world;
  REQUIRE(world.Brag("note ran the drill").code == 0);
  CommandResult edit = world.Brag("edit --json 1 ran the Q3 failover drill");
  REQUIRE_MESSAGE(edit.code == 0, edit.output);
  json reply = json::parse(edit.output);
  CHECK(reply["changed"] == true);
  CHECK(reply["note"]["text"] == "ran the Q3 failover drill");
  CHECK(reply["note"]["edited"].is_string());
  CommandResult rm = world.Brag("rm --json 1");
  REQUIRE_MESSAGE(rm.code == 0, rm.output);
  reply = json::parse(rm.output);
  CHECK(reply["note"]["id"] == 1);
  CHECK(reply["note"]["removed"].is_string());
  CHECK(reply["reopened"].is_null());
}

}  // namespace
}  // namespace brag::test
