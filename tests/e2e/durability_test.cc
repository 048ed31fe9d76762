// What bragd acknowledges stays: in the journal file it opens next time,
// through a journal replaced or deleted under it, a failing disk, and a repo
// deleted and re-created while it watches.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <filesystem>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "journal/journal.h"
#include "journal/sqlite.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Calls `status` until `done` holds for it or the deadline passes; the
// last status seen.
template <typename Pred>
json StatusWhen(protocol::Client& c, Pred done, int timeout_ms = 10000) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  json last;
  while (Clock::now() < deadline) {
    Result<json> st = c.Call("status");
    if (st) {
      last = *st;
      if (done(last)) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return last;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

bool HaveFiu() {
  if (RunCommand("command -v fiu-run && command -v fiu-ctrl").code == 0) return true;
  MESSAGE("skipped: fault injection needs fiu-run and fiu-ctrl (Debian's fiu-utils)");
  return false;
}

// What runs bragd under libfiu's POSIX wrappers (fiu-run preloads them).
// In a sanitizer build the ASan runtime must be the first library loaded,
// and fiu-run sets LD_PRELOAD to its own libraries alone: a shell puts the
// runtime in front before it execs bragd.
#ifdef BRAG_ASAN_RUNTIME
const char* const kUnderFiu =
    "fiu-run -x sh -c 'LD_PRELOAD=\"" BRAG_ASAN_RUNTIME " $LD_PRELOAD\" exec \"$0\" \"$@\"'";
#else
const char* const kUnderFiu = "fiu-run -x";
#endif

// Makes every fsync and fdatasync of bragd fail (libfiu's POSIX wrappers,
// under `fiu-run -x`), or work again.
void FailSyncs(pid_t bragd, bool on) {
  const char* verb = on ? "enable" : "disable";
  for (const char* name : {"posix/io/sync/fsync", "posix/io/sync/fdatasync"}) {
    CommandResult r = RunCommand("fiu-ctrl -c " +
                                 ShellQuote(std::string(verb) + " name=" + name) + " " +
                                 std::to_string(bragd));
    REQUIRE_MESSAGE(r.code == 0, r.output);
  }
}

// Makes one of libfiu's POSIX points of bragd fail, or work again.
void Fail(pid_t bragd, const char* name, bool on) {
  const char* verb = on ? "enable" : "disable";
  CommandResult r = RunCommand("fiu-ctrl -c " +
                               ShellQuote(std::string(verb) + " name=" + name) + " " +
                               std::to_string(bragd));
  REQUIRE_MESSAGE(r.code == 0, r.output);
}

std::vector<Note> JournalNotes(const fs::path& path) {
  std::vector<Note> out;
  auto journal = Journal::Open(path, Journal::Mode::kReadOnly);
  REQUIRE_MESSAGE(journal.has_value(), journal.error().message);
  auto entries = (*journal)->history().Log(LogQuery{});
  REQUIRE(entries.has_value());
  for (const LogEntry& e : *entries) {
    if (e.note) out.push_back(*e.note);
  }
  return out;
}

}  // namespace

TEST_CASE("notes acknowledged after the journal was moved over are there after a restart") {
  World world;
  auto bragd = std::make_unique<BragdProcess>(world);
  REQUIRE(bragd->WaitReady());
  REQUIRE(world.Brag("note 'before the move'").code == 0);

  // A journal made elsewhere (say, restored from a backup) moved over the
  // open one.
  fs::path other = world.root() / "restored.db";
  {
    auto j = Journal::Open(other, Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    NewNote note;
    note.text = "from the backup";
    REQUIRE((*j)->prompts().AddNote(note, 1000).has_value());
  }
  fs::rename(other, world.journal());

  for (const char* text : {"one", "two", "three"}) {
    CommandResult r = world.Brag(std::string("note ") + text);
    REQUIRE_MESSAGE(r.code == 0, r.output);
  }
  CommandResult log = world.Brag("log");
  CHECK(log.output.find("three") != std::string::npos);
  CHECK(bragd->Log().find("replaced while open") != std::string::npos);

  REQUIRE(bragd->Stop() == 0);
  bragd = std::make_unique<BragdProcess>(world);
  REQUIRE(bragd->WaitReady());
  std::string after = world.Brag("log").output;
  for (const char* text : {"one", "two", "three", "from the backup"}) {
    CHECK_MESSAGE(after.find(text) != std::string::npos, text << " missing from\n" << after);
  }
  // The notes of the journal that was moved away are kept beside it.
  bool saved = false;
  for (const auto& entry : fs::directory_iterator(world.root())) {
    if (!entry.path().filename().string().starts_with("journal.db.replaced-")) continue;
    std::vector<Note> notes = JournalNotes(entry.path());
    saved = notes.size() == 1 && notes[0].text == "before the move";
  }
  CHECK(saved);
}

TEST_CASE("a journal deleted under bragd is written back with every acknowledged note") {
  World world;
  auto bragd = std::make_unique<BragdProcess>(world);
  REQUIRE(bragd->WaitReady());
  REQUIRE(world.Brag("note first").code == 0);
  fs::remove(world.journal());
  REQUIRE(world.Brag("note second").code == 0);
  REQUIRE(bragd->Stop() == 0);

  std::vector<Note> notes = JournalNotes(world.journal());
  REQUIRE(notes.size() == 2);
  CHECK(notes[0].text == "second");
  CHECK(notes[1].text == "first");
}

TEST_CASE("a merge whose journal write fails is prompted once the disk works again") {
  if (!HaveFiu()) return;
  World world;
  world.WriteConfig("[identity]\nemails = [\"me@example.com\"]\n");
  GitRepo repo = GitRepo::Init(world.repos() / "payments");
  repo.Commit("README", "a\n", "initial");
  BragdProcess bragd(world, "", kUnderFiu);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());

  FailSyncs(bragd.pid(), true);
  repo.GithubSquash(41, "Add composite index on orders", "me@example.com");
  json st = StatusWhen(c, [](const json& s) { return s["journal_error"].is_string(); });
  REQUIRE_MESSAGE(st["journal_error"].is_string(), st.dump());
  CHECK(st["unrecorded_repos"] == 1);
  CommandResult text = world.Brag("status");
  CHECK_MESSAGE(text.output.find("cannot write") != std::string::npos, text.output);
  CHECK(WaitPrompt(c, 300).is_null());  // not recorded, so not pushed either

  FailSyncs(bragd.pid(), false);
  json p = WaitPrompt(c, 10000);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 41);
  st = StatusWhen(c, [](const json& s) { return s["journal_error"].is_null(); });
  CHECK(st["journal_error"].is_null());
  CHECK(st["unrecorded_repos"] == 0);
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 1);
  // Said once when it broke and once when it healed, not at every retry.
  CHECK(Count(bragd.Log(), "cannot record what moved") == 1);
  CHECK(Count(bragd.Log(), "writing again") == 1);
}

TEST_CASE("a repo that loses every branch keeps its state, and its next merge is prompted") {
  World world;
  world.WriteConfig("[identity]\nemails = [\"me@example.com\"]\n[detect]\npoll_interval = \"200ms\"\n");
  GitRepo repo = GitRepo::Init(world.repos() / "payments");
  repo.Commit("README", "a\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());

  // What a scan sees in the middle of `rm -rf`: HEAD still there, no refs.
  fs::path saved = world.root() / "refs-saved";
  fs::rename(repo.dir() / ".git/refs", saved);
  Result<json> rescan = c.Call("rescan", {{"repo", repo.dir().string()}});
  CHECK_FALSE(rescan.has_value());
  json st = StatusWhen(c, [](const json& s) { return s["repos"][0]["state"] == "error"; });
  CHECK(st["repos"][0]["state"] == "error");
  CHECK(st["repos"][0]["watching"] == "poll");

  // The repo comes back, with a merge of mine that landed meanwhile.
  fs::rename(saved, repo.dir() / ".git/refs");
  repo.GithubSquash(7, "Cache the tax tables", "me@example.com");
  json p = WaitPrompt(c, 10000);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 7);
  st = StatusWhen(c, [](const json& s) { return s["repos"][0]["state"] == "ok"; });
  CHECK(st["repos"][0]["state"] == "ok");
}

TEST_CASE("a repo deleted and cloned again at the same path has its new merge prompted") {
  World world;
  world.WriteConfig("[identity]\nemails = [\"me@example.com\"]\n[detect]\npoll_interval = \"200ms\"\n");
  GitRepo origin = GitRepo::Init(world.root() / "origin");
  origin.Commit("README", "a\n", "initial");
  fs::path path = world.repos() / "payments";
  GitRepo::Clone(origin.dir(), path);
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", path.string()}}).has_value());

  fs::remove_all(path);
  json st = StatusWhen(c, [](const json& s) { return s["repos"][0]["state"] == "error"; });
  CHECK(st["repos"][0]["state"] == "error");

  origin.GithubSquash(8, "Retry the payment webhook", "me@example.com");
  GitRepo::Clone(origin.dir(), path);
  json p = WaitPrompt(c, 10000);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 8);
  Result<json> again = c.Call("rescan", {{"repo", path.string()}});
  REQUIRE(again.has_value());
  CHECK((*again)["prompts"].empty());
}

}  // namespace brag::test

namespace brag::test {

// A folder that cannot be written: a read-only mount as root (root writes
// through permission bits), else mode 0555. Removed with everything in it.
class ReadOnlyFolder {
 public:
  explicit ReadOnlyFolder(const fs::path& dir) : dir_(dir) {
    fs::create_directories(dir_);
    if (::geteuid() == 0) {
      mounted_ = RunCommand("mount -t tmpfs -o size=4m tmpfs " + ShellQuote(dir_.string()))
                     .code == 0;
    }
  }
  ~ReadOnlyFolder() {
    if (mounted_) RunCommand("umount " + ShellQuote(dir_.string()));
    fs::permissions(dir_, fs::perms::owner_all);
  }
  bool usable() const { return ::geteuid() != 0 || mounted_; }
  void MakeReadOnly() const {
    if (mounted_) {
      CommandResult r = RunCommand("mount -o remount,ro " + ShellQuote(dir_.string()));
      REQUIRE_MESSAGE(r.code == 0, r.output);
    } else {
      fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec |
                                fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
    }
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

TEST_CASE("with bragd down, brag log reads a journal in a folder it cannot write") {
  World world;
  fs::path data = world.root() / "data";
  ReadOnlyFolder folder(data);
  if (!folder.usable()) {
    MESSAGE("skipped: no read-only folder for root here (mount failed)");
    return;
  }
  world.WriteConfig();
  WriteFile(world.config(), "[journal]\npath = \"" + (data / "journal.db").string() +
                                "\"\n[daemon]\nsocket = \"" + world.socket().string() +
                                "\"\nnotify = false\n");
  REQUIRE(world.Brag("note 'kept on a backup disk'").code == 0);
  folder.MakeReadOnly();
  CommandResult log = world.Brag("log");
  CHECK_MESSAGE(log.code == 0, log.output);
  CHECK(log.output.find("kept on a backup disk") != std::string::npos);
  CHECK(world.Brag("pending --count").output == "0\n");
}

}  // namespace brag::test

namespace brag::test {

// A small tmpfs mounted for the test (root only), unmounted at the end.
class SmallDisk {
 public:
  SmallDisk(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir_);
    if (::geteuid() != 0) return;
    mounted_ = RunCommand("mount -t tmpfs -o size=" + size + " tmpfs " +
                          ShellQuote(dir_.string())).code == 0;
  }
  ~SmallDisk() {
    if (mounted_) RunCommand("umount -l " + ShellQuote(dir_.string()));
  }
  bool mounted() const { return mounted_; }
  // Fills what is left with one file; Free() removes it.
  void Fill() const {
    RunCommand("dd if=/dev/zero of=" + ShellQuote((dir_ / "filler").string()) +
               " bs=64k 2>/dev/null");
  }
  void Free() const { fs::remove(dir_ / "filler"); }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

TEST_CASE("a full disk refuses notes without losing acked ones, and a merge waits for space") {
  World world;
  fs::path disk_dir = world.root() / "disk";
  SmallDisk disk(disk_dir, "3m");
  if (!disk.mounted()) {
    MESSAGE("skipped: a full disk is made with a tmpfs mount, which needs root");
    return;
  }
  WriteFile(world.config(), "[journal]\npath = \"" + (disk_dir / "journal.db").string() +
                                "\"\n[daemon]\nsocket = \"" + world.socket().string() +
                                "\"\nnotify = false\n[identity]\nemails = [\"me@example.com\"]\n");
  GitRepo repo = GitRepo::Init(world.repos() / "payments");
  repo.Commit("README", "a\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());

  disk.Fill();
  // The WAL reuses the space it has, so a few writes may still fit: write
  // until one is refused.
  std::vector<std::string> acked;
  std::optional<Error> refused;
  for (int i = 0; i < 400 && !refused; ++i) {
    std::string text = "note " + std::to_string(i) + " " + std::string(30000, 'x');
    Result<json> r = c.Call("note", {{"text", text}});
    if (r) {
      acked.push_back(text);
    } else {
      refused = r.error();
    }
  }
  REQUIRE_MESSAGE(refused.has_value(), "the disk never filled");
  CHECK(refused->code == "journal");
  CHECK_MESSAGE(refused->message.find("full") != std::string::npos, refused->message);
  CHECK(c.Call("hello").has_value());  // bragd keeps serving

  repo.GithubSquash(51, "Stream the export", "me@example.com");
  json st = StatusWhen(c, [](const json& s) { return s["journal_error"].is_string(); });
  CHECK_MESSAGE(st["journal_error"].is_string(), st.dump());

  disk.Free();
  json p = WaitPrompt(c, 40000);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 51);
  REQUIRE(bragd.Stop() == 0);

  Result<sql::Database> db =
      sql::Database::Open(disk_dir / "journal.db", SQLITE_OPEN_READONLY);
  REQUIRE(db.has_value());
  Result<sql::Statement> check = db->Prepare("PRAGMA integrity_check");
  REQUIRE(check.has_value());
  REQUIRE(*check->Step());
  CHECK(check->row().Text() == "ok");
  std::vector<Note> notes = JournalNotes(disk_dir / "journal.db");
  CHECK(notes.size() == acked.size());
}

TEST_CASE("a note whose journal write or fsync fails is refused, never acked, and nothing is lost") {
  if (!HaveFiu()) return;
  World world;
  auto bragd = std::make_unique<BragdProcess>(world, "", kUnderFiu);
  REQUIRE(bragd->WaitReady());
  std::vector<std::string> acked;
  for (const char* text : {"before one", "before two"}) {
    CommandResult r = world.Brag(std::string("note '") + text + "'");
    REQUIRE_MESSAGE(r.code == 0, r.output);
    acked.push_back(text);
  }
  // SQLite writes its pages with pwrite (pwrite64 under the same point) and
  // syncs with fsync or fdatasync: each failing in turn refuses the note.
  for (const std::string point : {"posix/io/rw/pwrite", "posix/io/sync/fsync"}) {
    CAPTURE(point);
    bool sync = point == "posix/io/sync/fsync";
    Fail(bragd->pid(), point.c_str(), true);
    if (sync) Fail(bragd->pid(), "posix/io/sync/fdatasync", true);
    CommandResult refused = world.Brag("note 'while " + point + " fails'");
    CHECK(refused.code != 0);
    CHECK_MESSAGE(refused.output.find("journal") != std::string::npos, refused.output);
    CHECK(refused.output.find("noted") == std::string::npos);
    Fail(bragd->pid(), point.c_str(), false);
    if (sync) Fail(bragd->pid(), "posix/io/sync/fdatasync", false);
    // bragd serves on, and the next note is filed.
    std::string text = "after " + point;
    CommandResult r = world.Brag("note '" + text + "'");
    REQUIRE_MESSAGE(r.code == 0, r.output);
    acked.push_back(text);
  }
  REQUIRE(bragd->Stop() == 0);

  {
    Result<sql::Database> db = sql::Database::Open(world.journal(), SQLITE_OPEN_READONLY);
    REQUIRE(db.has_value());
    Result<sql::Statement> check = db->Prepare("PRAGMA integrity_check");
    REQUIRE(check.has_value());
    REQUIRE(*check->Step());
    CHECK(check->row().Text() == "ok");
  }
  std::vector<Note> notes = JournalNotes(world.journal());
  for (const std::string& text : acked) {
    size_t n = 0;
    for (const Note& note : notes) n += note.text == text;
    CHECK_MESSAGE(n == 1, text << " is there " << n << " times");
  }
}

}  // namespace brag::test
