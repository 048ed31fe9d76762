// The classifier's entry point and the identity helpers; the forge shapes
// themselves are in forges.cc.
#include "detect/forge_marker.h"

#include <algorithm>

#include "detect/forges.h"
#include "detect/message_text.h"

namespace brag::detect {

std::optional<ForgeMarker> ClassifyCommit(const CommitFacts& commit,
                                          const std::vector<std::string>& mainlines) {
  // Roots and octopus merges are no PRs of any forge.
  if (commit.parent_count != 1 && commit.parent_count != 2) return std::nullopt;
  auto [subject, body] = SplitMessage(commit.message);
  ParsedMessage message{subject, body};
  for (ForgeRecogniser recognise : ForgeRecognisers()) {
    if (std::optional<ForgeMarker> marker = recognise(message, commit, mainlines)) {
      return marker;
    }
  }
  if (commit.parent_count != 2) return std::nullopt;
  return LocalMerge(message, mainlines);
}

std::vector<std::string> CoAuthorEmails(std::string_view message) {
  std::vector<std::string> emails;
  // Trailers close the message, but a squash lists each squashed commit's
  // trailers in the body too; every such line names a co-author.
  ForEachLine(SplitMessage(message).second, [&](std::string_view line) {
    line = Trim(line);
    constexpr std::string_view kKey = "co-authored-by";
    if (line.size() <= kKey.size() ||
        !EqualsIgnoreCase(line.substr(0, kKey.size()), kKey)) {
      return;
    }
    std::string_view value = Trim(line.substr(kKey.size()));
    if (!Consume(value, ":")) return;
    size_t open = value.find('<');
    size_t close = value.find('>', open);
    if (open == std::string_view::npos || close == std::string_view::npos) return;
    std::string_view email = Trim(value.substr(open + 1, close - open - 1));
    if (!email.empty()) emails.emplace_back(email);
  });
  return emails;
}

bool IsIdentity(std::string_view email, const std::vector<std::string>& identities) {
  email = Trim(email);
  if (email.empty()) return false;
  return std::any_of(identities.begin(), identities.end(), [&](const std::string& id) {
    return EqualsIgnoreCase(Trim(id), email);
  });
}

}  // namespace brag::detect
