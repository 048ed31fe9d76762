#include "core/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "core/text.h"

namespace brag {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warning";
    case LogLevel::kError: return "error";
  }
  return "?";
}

}  // namespace

bool ParseLogLevel(std::string_view name, LogLevel* out) {
  if (name == "debug") *out = LogLevel::kDebug;
  else if (name == "info") *out = LogLevel::kInfo;
  else if (name == "warn" || name == "warning") *out = LogLevel::kWarn;
  else if (name == "error") *out = LogLevel::kError;
  else return false;
  return true;
}

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= g_level; }

void Log(LogLevel level, std::string_view message) {
  if (!LogEnabled(level)) return;
  // One write(2) per line so lines from different threads never interleave.
  std::string line = "bragd: ";
  line += LevelName(level);
  line += ": ";
  // Messages quote titles, branches and repo files: one line, nothing for
  // the terminal (or journald's reader) to act on.
  AppendInertText(line, message);
  line += '\n';
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace brag
