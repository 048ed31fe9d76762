// Leveled logging to stderr (journald and launchd keep it). One global level,
// set once at start and on reload; safe to call from any thread. Each
// message is written as one inert line (core/text.h), whatever it holds.
#pragma once

#include <string>
#include <string_view>

namespace brag {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn"/"warning", "error"; false if the name is unknown.
bool ParseLogLevel(std::string_view name, LogLevel* out);
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view message);

inline void LogDebug(std::string_view m) { Log(LogLevel::kDebug, m); }
inline void LogInfo(std::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarn(std::string_view m) { Log(LogLevel::kWarn, m); }
inline void LogError(std::string_view m) { Log(LogLevel::kError, m); }

}  // namespace brag
