#include "cli/report.h"

#include "core/text.h"

namespace brag::cli {

int ExitCodeFor(const Error& error) {
  if (error.code == "config") return kExitConfig;
  if (error.code == "untrusted") return kExitUnavailable;
  return kExitFailure;
}

int ReportError(std::ostream& err, const Error& error) {
  // Messages quote repo files, paths and bragd's words: inert on a terminal.
  err << "brag: error: " << InertText(error.message) << " (" << InertText(error.code)
      << ")\n";
  return ExitCodeFor(error);
}

void ReportWarning(std::ostream& err, const std::string& text) {
  err << "brag: warning: " << InertText(text) << "\n";
}

}  // namespace brag::cli
