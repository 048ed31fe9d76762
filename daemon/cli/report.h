// How brag ends: its exit codes (DESIGN §8) and the one format of its
// complaints on stderr, "brag: error: <what> (<why>)".
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/result.h"

namespace brag::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnavailable = 69;  // bragd needed but not running
inline constexpr int kExitConfig = 78;

// The exit code for an error: kExitConfig for "config", kExitUnavailable
// for "untrusted" (a socket that is not this user's bragd), else
// kExitFailure.
int ExitCodeFor(const Error& error);

// Prints "brag: error: WHAT (WHY)", `error` as `command` words it for a
// person (cli/words.h), and returns ExitCodeFor(error). With `raw` (the
// command's --json), the error as it came: "brag: error: MESSAGE (CODE)".
int ReportError(std::ostream& err, const Error& error, std::string_view command = "",
                bool raw = false);

// Prints "brag: error: WHAT (WHY)" as given.
void ReportComplaint(std::ostream& err, std::string_view what, std::string_view why);

// Prints "brag: warning: TEXT".
void ReportWarning(std::ostream& err, const std::string& text);

}  // namespace brag::cli
