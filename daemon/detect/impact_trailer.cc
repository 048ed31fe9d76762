#include "detect/impact_trailer.h"

#include <algorithm>
#include <cctype>

#include "detect/message_text.h"

namespace brag::detect {
namespace {

bool StartsWithKey(std::string_view line) {
  constexpr std::string_view kKey = "impact:";
  if (line.size() < kKey.size()) return false;
  for (size_t i = 0; i < kKey.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != kKey[i]) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> ImpactLines(std::string_view message) {
  std::vector<std::string> values;
  size_t at = 0;
  while (at <= message.size()) {
    size_t end = message.find('\n', at);
    std::string_view line =
        message.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (line.starts_with("# ------------------------ >8")) break;  // scissors
    if (!line.starts_with("#") && StartsWithKey(line)) {
      std::string value(Trim(line.substr(7)));
      if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(std::move(value));
      }
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return values;
}

MessageSummary SummarizeMessage(std::string_view message) {
  while (message.starts_with('\n')) message.remove_prefix(1);
  MessageSummary summary;
  summary.subject = std::string(message.substr(0, message.find('\n')));
  for (const std::string& line : ImpactLines(message)) {
    summary.impact += (summary.impact.empty() ? "" : "; ") + line;
  }
  return summary;
}

}  // namespace brag::detect
