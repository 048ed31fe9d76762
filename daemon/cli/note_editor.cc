#include "cli/note_editor.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace brag::cli {
namespace {

Error EditorError(const std::string& why) { return MakeError("editor", why); }

// Removes the file when it goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() { ::unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string OneLine(std::istream& in) {
  constexpr const char* kSpace = " \t\r\f\v";
  std::string out;
  for (std::string line; std::getline(in, line);) {
    size_t begin = line.find_first_not_of(kSpace);
    if (begin == std::string::npos) continue;
    line = line.substr(begin, line.find_last_not_of(kSpace) - begin + 1);
    out += (out.empty() ? "" : " ") + line;
  }
  return out;
}

}  // namespace

std::string EditorCommand() {
  for (const char* name : {"VISUAL", "EDITOR"}) {
    const char* value = std::getenv(name);
    if (value && *value) return value;
  }
  return "vi";
}

Result<std::string> EditInEditor(const std::string& text) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/brag-note-XXXXXX.txt";
  int fd = ::mkstemps(pattern.data(), 4);  // 0600
  if (fd < 0)
    return EditorError("cannot make a temp file: " + std::string(std::strerror(errno)));
  ::close(fd);
  TempFile file(pattern);
  {
    std::ofstream out(file.path(), std::ios::trunc);
    out << text << "\n";
    if (!out) return EditorError("cannot write " + file.path());
  }
  std::string editor = EditorCommand();
  std::string command = editor + " \"$1\"";
  pid_t pid = ::fork();
  if (pid < 0) return EditorError(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), "sh", file.path().c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    return EditorError("the editor `" + editor + "` was killed by signal " +
                       std::to_string(WTERMSIG(status)));
  }
  if (WEXITSTATUS(status) != 0) {
    return EditorError("the editor `" + editor + "` exited with status " +
                       std::to_string(WEXITSTATUS(status)));
  }
  std::ifstream in(file.path());
  if (!in) return EditorError("the editor left no file at " + file.path());
  return OneLine(in);
}

}  // namespace brag::cli
