#include "spool/spool.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "core/atomic_file.h"
#include "core/json_depth.h"

namespace brag::spool {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Error IoError(const fs::path& path, const std::string& what) {
  return MakeError("io", what + " " + path.string() + ": " + std::strerror(errno));
}

// An open file descriptor, closed on scope exit (which also drops its flock).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool Lock(int fd) {
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

// Whether `fd` is still the file at `path`: a drain that kept records
// renames a new file over the spool, and an append must not go to the old one.
bool StillThere(int fd, const fs::path& path) {
  struct stat open_st {}, path_st {};
  if (::fstat(fd, &open_st) != 0 || ::stat(path.c_str(), &path_st) != 0) return false;
  return open_st.st_ino == path_st.st_ino && open_st.st_dev == path_st.st_dev;
}

Result<std::string> ReadAll(int fd, const fs::path& path) {
  std::string data;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path, "cannot read");
    if (n == 0) return data;
    data.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

fs::path SpoolPath(const fs::path& journal) { return fs::path(journal.string() + ".spool"); }

fs::path RejectedPath(const fs::path& journal) {
  return fs::path(journal.string() + ".spool.rejected");
}

Status Append(const fs::path& spool, const std::string& method, const json& params,
              int64_t now, bool sync) {
  std::string line =
      json{{"method", method}, {"params", params}, {"spooled_at", now}}.dump() + "\n";
  std::error_code ec;
  if (spool.has_parent_path() && !fs::exists(spool.parent_path(), ec)) {
    fs::create_directories(spool.parent_path(), ec);
    if (ec) {
      return MakeError("io", "cannot create " + spool.parent_path().string() + ": " +
                                 ec.message());
    }
    ::chmod(spool.parent_path().c_str(), 0700);
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    Fd fd(::open(spool.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0) return IoError(spool, "cannot open");
    if (!Lock(fd.get())) return IoError(spool, "cannot lock");
    if (!StillThere(fd.get(), spool)) continue;  // a drain replaced it meanwhile
    if (!WriteAll(fd.get(), line)) return IoError(spool, "cannot write");
    if (sync && ::fsync(fd.get()) != 0) return IoError(spool, "cannot fsync");
    return {};
  }
  return MakeError("io", "cannot append to " + spool.string() + ": it keeps being replaced");
}

Status Sync(const fs::path& spool) {
  Fd fd(::open(spool.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return errno == ENOENT ? Status() : IoError(spool, "cannot open");
  if (::fsync(fd.get()) != 0) return IoError(spool, "cannot fsync");
  return {};
}

bool HasRecords(const fs::path& spool) {
  struct stat st {};
  return ::stat(spool.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

Result<DrainReport> Drain(const fs::path& spool, const fs::path& rejected,
                          const ApplyFn& apply) {
  DrainReport report;
  Fd fd(::open(spool.c_str(), O_RDWR | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return report;
    return IoError(spool, "cannot open");
  }
  if (!Lock(fd.get())) return IoError(spool, "cannot lock");
  Result<std::string> data = ReadAll(fd.get(), spool);
  if (!data) return data.error();
  if (data->empty()) return report;

  std::string kept, refused;
  size_t start = 0;
  bool retrying = false;
  while (start < data->size()) {
    size_t end = data->find('\n', start);
    // A last line without its newline is an append cut short by a crash:
    // still tried, as its JSON tells whether it is whole.
    if (end == std::string::npos) end = data->size();
    std::string_view line(data->data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    if (retrying) {
      kept.append(line).push_back('\n');
      ++report.left;
      continue;
    }
    std::string why;
    Applied result = Applied::kRejected;
    json record = JsonTooDeep(line) ? json(json::value_t::discarded)
                                    : json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object() || !record.contains("method") ||
        !record["method"].is_string() || !record.contains("params")) {
      why = "not a spool record (JSON with \"method\" and \"params\")";
    } else {
      result = apply(record["method"].get<std::string>(), record["params"], &why);
    }
    switch (result) {
      case Applied::kDone:
        ++report.done;
        break;
      case Applied::kRejected:
        refused += json{{"record", std::string(line)}, {"error", why}}.dump() + "\n";
        ++report.rejected;
        break;
      case Applied::kRetry:
        retrying = true;
        kept.append(line).push_back('\n');
        ++report.left;
        break;
    }
  }

  if (!refused.empty()) {
    Fd out(::open(rejected.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    if (out.get() < 0 || !WriteAll(out.get(), refused) || ::fsync(out.get()) != 0) {
      return IoError(rejected, "cannot write");
    }
  }
  if (kept.empty()) {
    // Everything is filed: emptying the file loses nothing even if it is cut
    // short, and appenders keep their file.
    if (::ftruncate(fd.get(), 0) != 0) return IoError(spool, "cannot empty");
    ::fsync(fd.get());
    return report;
  }
  // Some stay: replace the spool whole, so a crash leaves the old or the new.
  if (Status s = WriteFileAtomically(spool, kept, 0600); !s) return s.error();
  return report;
}

}  // namespace brag::spool
