// brag's command line (DESIGN §8): builds the CLI11 app from the command
// tables, parses, loads the configuration and runs the chosen command.
#pragma once

#include <ostream>

namespace brag::cli {

// Runs brag with `argv`; returns the process exit code (report.h). Output
// goes to `out` and `err`; `brag prompt` reads stdin.
int RunBrag(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace brag::cli
