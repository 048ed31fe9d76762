#include "cli/report.h"

#include "cli/words.h"
#include "core/text.h"

namespace brag::cli {

int ExitCodeFor(const Error& error) {
  if (error.code == "config") return kExitConfig;
  if (error.code == "untrusted") return kExitUnavailable;
  return kExitFailure;
}

int ReportError(std::ostream& err, const Error& error, std::string_view command,
                bool raw) {
  if (raw) {
    ReportComplaint(err, error.message, error.code);
  } else {
    Complaint words = ForPeople(error, command);
    ReportComplaint(err, words.what, words.why);
  }
  return ExitCodeFor(error);
}

void ReportComplaint(std::ostream& err, std::string_view what, std::string_view why) {
  // Messages quote repo files, paths and bragd's words: inert on a terminal.
  err << "brag: error: " << InertText(what) << " (" << InertText(why) << ")\n";
}

void ReportWarning(std::ostream& err, const std::string& text) {
  err << "brag: warning: " << InertText(text) << "\n";
}

}  // namespace brag::cli
