#include "cli/note_editor.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>

#include "support/temp_dir.h"

namespace brag::cli {
namespace {

namespace fs = std::filesystem;

// Sets the editor variables for this test, and puts them back.
class EditorEnv {
 public:
  EditorEnv(std::optional<std::string> visual, std::optional<std::string> editor) {
    Set("VISUAL", visual, &visual_);
    Set("EDITOR", editor, &editor_);
  }
  ~EditorEnv() {
    Restore("VISUAL", visual_);
    Restore("EDITOR", editor_);
  }
  EditorEnv(const EditorEnv&) = delete;
  EditorEnv& operator=(const EditorEnv&) = delete;

 private:
  static void Set(const char* name, const std::optional<std::string>& value,
                  std::optional<std::string>* was) {
    if (const char* old = ::getenv(name)) *was = old;
    Restore(name, value);
  }
  static void Restore(const char* name, const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  std::optional<std::string> visual_;
  std::optional<std::string> editor_;
};

std::string Script(const test::TempDir& dir, const std::string& body) {
  fs::path path = dir.path() / "editor.sh";
  test::WriteFile(path, "#!/bin/sh\n" + body + "\n");
  fs::permissions(path, fs::perms::owner_all);
  return path.string();
}

TEST_CASE("the editor is $VISUAL, else $EDITOR, else vi") {
  {
    EditorEnv env("code --wait", "nano");
    CHECK(EditorCommand() == "code --wait");
  }
  {
    EditorEnv env("", "nano");
    CHECK(EditorCommand() == "nano");
  }
  EditorEnv env(std::nullopt, std::nullopt);
  CHECK(EditorCommand() == "vi");
}

TEST_CASE("the editor gets the text and what it leaves comes back as one line") {
  test::TempDir dir("editor");
  fs::path seen = dir.path() / "seen.txt";
  EditorEnv env(std::nullopt,
                Script(dir, "cp \"$1\" " + seen.string() +
                                "; printf '  p95 3.4s\\n\\n -> 18ms \\n' > \"$1\""));
  Result<std::string> text = EditInEditor("q");
  REQUIRE_MESSAGE(text.has_value(), (text ? "" : text.error().message));
  CHECK(*text == "p95 3.4s -> 18ms");
  CHECK(test::ReadFile(seen) == "q\n");
}

TEST_CASE("an editor that fails is an error naming it and its status") {
  test::TempDir dir("editor");
  std::string script = Script(dir, "exit 4");
  EditorEnv env(script, std::nullopt);
  Result<std::string> text = EditInEditor("q");
  REQUIRE_FALSE(text.has_value());
  CHECK(text.error().code == "editor");
  CHECK(text.error().message.find(script) != std::string::npos);
  CHECK(text.error().message.find("status 4") != std::string::npos);
}

TEST_CASE("the temp file is gone once the editor is done") {
  test::TempDir dir("editor");
  fs::path where = dir.path() / "where.txt";
  EditorEnv env(std::nullopt, Script(dir, "echo \"$1\" > " + where.string()));
  REQUIRE(EditInEditor("q").has_value());
  std::string path = test::ReadFile(where);
  path.erase(path.find_last_not_of('\n') + 1);
  CHECK(path.find("brag-note-") != std::string::npos);
  CHECK_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace brag::cli
