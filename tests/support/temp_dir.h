// Test helpers: temporary folders, shell commands, an isolated environment.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace brag::test {

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it when
// the object goes.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "t");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& p) const { return path_ / p; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int code = -1;       // exit status, or 128+signal
  std::string output;  // stdout and stderr together
};

// Runs `command` with /bin/sh, collecting its output.
CommandResult RunCommand(const std::string& command);

// Quotes a string for /bin/sh.
std::string ShellQuote(const std::string& s);

// Sets HOME, XDG_* and git's identity variables for this process so that
// git, libgit2 and brag see only the test's world. The global git identity
// is "me@example.com".
void IsolateEnvironment(const std::filesystem::path& home);

// Sets (or, given nullptr, unsets) one environment variable for the life of
// the object, then puts the old value back: the test main's isolated
// environment must survive each test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

void WriteFile(const std::filesystem::path& path, const std::string& text);
std::string ReadFile(const std::filesystem::path& path);

}  // namespace brag::test
