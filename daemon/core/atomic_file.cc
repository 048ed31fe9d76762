#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace brag {
namespace {

Error IoError(const std::filesystem::path& path, const char* what, int err) {
  return MakeError("io", std::string("cannot ") + what + " " + path.string() + " (" +
                             std::strerror(err) + ")");
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return MakeError("", "");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data,
                           mode_t mode) {
  std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  std::string temp =
      (dir / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid())))
          .string();
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return IoError(path, "write", errno);
  // open() takes the umask off, and leaves a leftover temp file's mode.
  Status written = ::fchmod(fd, mode) == 0 ? WriteAll(fd, data) : MakeError("", "");
  int err = errno;
  if (written && ::fsync(fd) != 0) {
    written = MakeError("", "");
    err = errno;
  }
  if (::close(fd) != 0 && written) {
    written = MakeError("", "");
    err = errno;
  }
  if (written && ::rename(temp.c_str(), path.c_str()) == 0) return {};
  if (written) err = errno;
  ::unlink(temp.c_str());
  return IoError(path, "write", err);
}

}  // namespace brag
