// `[digest] polish_command`: a user's command (a local LLM, a style checker)
// that reads the review draft on stdin and writes a polished one on stdout.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"

namespace brag::cli {

// Runs `command` with `sh -c`, `input` on its stdin, its stderr passed
// through; returns what it printed on stdout. Error code "polish" when it
// cannot start, exits non-zero, is killed by a signal, prints nothing or runs
// past `timeout` (it and its process group are then killed).
Result<std::string> RunPolishCommand(const std::string& command, const std::string& input,
                                     std::chrono::milliseconds timeout);

}  // namespace brag::cli
