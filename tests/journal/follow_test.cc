// An acknowledged write is in the file at the journal's path, the one opened
// next time, even when that file was deleted or replaced while the journal
// was open (Journal::Follow).
#include <sys/stat.h>

#include <filesystem>

#include "journal/journal.h"
#include "journal_fixture.h"

namespace brag::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> NoteTexts(Journal& journal) {
  std::vector<std::string> out;
  Result<std::vector<LogEntry>> entries = journal.history().Log(KindQuery("note"));
  REQUIRE_MESSAGE(entries.has_value(), Why(entries));
  for (const LogEntry& e : *entries) out.push_back(e.note->text);
  return out;
}

std::vector<std::string> NotesAt(const fs::path& path) {
  std::unique_ptr<Journal> journal = OpenJournal(path, Journal::Mode::kReadOnly);
  return NoteTexts(*journal);
}

std::vector<fs::path> SavedCopies(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("journal.db.replaced-")) {
      out.push_back(entry.path());
    }
  }
  return out;
}

void Add(Journal& journal, const std::string& text) {
  Result<Note> note = journal.prompts().AddNote(ManualNote(text), 1000);
  REQUIRE_MESSAGE(note.has_value(), Why(note));
}

}  // namespace

TEST_CASE("notes written after the journal was moved over are in the new file") {
  JournalFixture f;
  Add(*f.journal, "before");
  // Another journal, made elsewhere, moved over the open one (`mv`).
  fs::path other = f.dir / "other.db";
  {
    std::unique_ptr<Journal> j = OpenJournal(other);
    Add(*j, "from the other file");
  }
  fs::rename(other, f.db_path);

  Add(*f.journal, "after 1");
  Add(*f.journal, "after 2");
  Add(*f.journal, "after 3");
  f.journal.reset();  // bragd stops

  std::vector<std::string> at_path = NotesAt(f.db_path);
  CHECK(at_path == std::vector<std::string>{"after 3", "after 2", "after 1",
                                            "from the other file"});
  // What the open journal held is kept beside it, not lost.
  std::vector<fs::path> saved = SavedCopies(f.dir.path());
  REQUIRE(saved.size() == 1);
  CHECK(NotesAt(saved[0]) == std::vector<std::string>{"before"});
  struct stat st;
  REQUIRE(::stat(saved[0].c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a journal deleted while open is written back with every note") {
  JournalFixture f;
  Add(*f.journal, "one");
  Add(*f.journal, "two");
  fs::remove(f.db_path);
  fs::remove(f.db_path.string() + "-wal");
  fs::remove(f.db_path.string() + "-shm");

  Add(*f.journal, "three");
  f.journal.reset();

  CHECK(NotesAt(f.db_path) == std::vector<std::string>{"three", "two", "one"});
  struct stat st;
  REQUIRE(::stat(f.db_path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a file that is not a journal moved over it refuses writes and keeps the old") {
  JournalFixture f;
  Add(*f.journal, "kept");
  fs::path junk = f.dir / "junk";
  WriteFile(junk, "this is not a database, just text that is long enough to count");
  fs::rename(junk, f.db_path);

  Result<Note> refused = f.journal->prompts().AddNote(ManualNote("not acked"), 1000);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == "journal");
  CHECK_MESSAGE(refused.error().message.find(f.db_path.string()) != std::string::npos,
                refused.error().message);
  CHECK_MESSAGE(refused.error().message.find("replaced") != std::string::npos,
                refused.error().message);
  // Asked again, it refuses again without saving another copy each time.
  CHECK_FALSE(
      f.journal->prompts().AddNote(ManualNote("not acked either"), 1000).has_value());
  CHECK(SavedCopies(f.dir.path()).empty());
  // The open journal still reads.
  CHECK(NoteTexts(*f.journal) == std::vector<std::string>{"kept"});
  // Once a journal is back at the path, writes go there again.
  fs::path good = f.dir / "good.db";
  { OpenJournal(good); }
  fs::rename(good, f.db_path);
  Add(*f.journal, "now acked");
  f.journal.reset();
  CHECK(NotesAt(f.db_path) == std::vector<std::string>{"now acked"});
}

TEST_CASE("following an unchanged journal writes nothing beside it") {
  JournalFixture f;
  Add(*f.journal, "a");
  REQUIRE(f.journal->Follow().has_value());
  Add(*f.journal, "b");
  CHECK(SavedCopies(f.dir.path()).empty());
  CHECK(NoteTexts(*f.journal) == std::vector<std::string>{"b", "a"});
}

}  // namespace brag::test
