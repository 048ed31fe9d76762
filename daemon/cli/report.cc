#include "cli/report.h"

namespace brag::cli {

int ExitCodeFor(const Error& error) {
  if (error.code == "config") return kExitConfig;
  if (error.code == "untrusted") return kExitUnavailable;
  return kExitFailure;
}

int ReportError(std::ostream& err, const Error& error) {
  err << "brag: error: " << error.message << " (" << error.code << ")\n";
  return ExitCodeFor(error);
}

void ReportWarning(std::ostream& err, const std::string& text) {
  err << "brag: warning: " << text << "\n";
}

}  // namespace brag::cli
