// Helpers for the hooks tests: a hooks folder's exact state (to prove that a
// step changed nothing, or put everything back), commands run with a chosen
// PATH, and a stand-in for brag that logs how the shims call it.
#pragma once

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

#include "support/temp_dir.h"

namespace brag::test {

// One entry of a folder, as lstat and the bytes (or the link's target) see it.
struct DirEntry {
  mode_t mode = 0;  // type and permission bits
  std::string bytes;
  int64_t mtime_ns = 0;
  bool operator==(const DirEntry&) const = default;
};

// Every entry of `dir` (hidden ones too), by name; empty if there is no dir.
inline std::map<std::string, DirEntry> Snapshot(const std::filesystem::path& dir) {
  std::map<std::string, DirEntry> entries;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    struct stat st;
    REQUIRE(lstat(e.path().c_str(), &st) == 0);
    DirEntry entry;
    entry.mode = st.st_mode;
    entry.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
    if (S_ISLNK(st.st_mode)) {
      entry.bytes = std::filesystem::read_symlink(e.path()).string();
    } else if (S_ISREG(st.st_mode)) {
      entry.bytes = ReadFile(e.path());
    }
    entries[e.path().filename().string()] = entry;
  }
  return entries;
}

inline void WriteScript(const std::filesystem::path& path, const std::string& text) {
  WriteFile(path, text);
  std::filesystem::permissions(path, std::filesystem::perms(0755),
                               std::filesystem::perm_options::replace);
}

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs shell text `command` in `dir` with PATH=`path` and stdin from
// /dev/null, stdout and stderr kept apart.
inline Outcome RunIn(const std::filesystem::path& dir, const std::string& path,
                     const std::string& command) {
  static int counter = 0;
  std::filesystem::path err_file =
      std::filesystem::temp_directory_path() /
      ("brag-hooks-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
  // Braced twice: RunCommand's own 2>&1 must not undo the redirection.
  CommandResult r =
      RunCommand("{ { cd " + ShellQuote(dir.string()) + " && PATH=" + ShellQuote(path) +
                 " && export PATH && " + command + "; } </dev/null 2>" +
                 ShellQuote(err_file.string()) + "; }");
  Outcome outcome{r.code, r.output, ReadFile(err_file)};
  std::filesystem::remove(err_file);
  return outcome;
}

// A PATH with git and the shell's tools but no brag.
inline const char* kPathWithoutBrag = "/usr/bin:/bin";

// A folder with a `brag` that appends its arguments (and, for the hooks git
// feeds, its stdin) to log(), prints to stdout and fails: the shims must
// call it right and let none of that through.
class FakeBrag {
 public:
  FakeBrag() {
    WriteScript(dir_ / "bin" / "brag",
                "#!/bin/sh\n"
                "printf '%s\\n' \"$*\" >> " +
                    ShellQuote(log().string()) +
                    "\n"
                    "case \"$2\" in post-rewrite|reference-transaction) cat >> " +
                    ShellQuote(log().string()) +
                    ";; esac\n"
                    // post-merge keeps brag's stdout: it may ask on the terminal.
                    "[ \"$2\" = post-merge ] || echo 'brag says something on stdout'\n"
                    "exit 7\n");
  }
  std::string path() const { return (dir_ / "bin").string() + ":" + kPathWithoutBrag; }
  std::filesystem::path log() const { return dir_ / "brag.log"; }
  std::string Log() const { return ReadFile(log()); }

 private:
  TempDir dir_{"fake-brag"};
};

}  // namespace brag::test
