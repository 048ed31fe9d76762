// The classifier's entry point and the identity helpers; the forge shapes
// themselves are in forges.cc.
#include "detect/forge_marker.h"

#include <algorithm>

#include "detect/forges.h"
#include "detect/message_text.h"

namespace brag::detect {

std::vector<std::string> DetectOptions::DefaultLongLived() {
  return {"dev",     "development", "next",          "stable*", "release*",
          "*maint*", "*.x",         "[0-9]*.*[0-9]", "v[0-9]*"};
}

std::optional<ForgeMarker> ClassifyCommit(const CommitFacts& commit,
                                          const DetectOptions& options) {
  // Roots and octopus merges are no PRs of any forge.
  if (commit.parent_count != 1 && commit.parent_count != 2) return std::nullopt;
  auto [subject, body] = SplitMessage(commit.message);
  ParsedMessage message{subject, body};
  for (ForgeRecogniser recognise : ForgeRecognisers()) {
    if (std::optional<ForgeMarker> marker = recognise(message, commit, options)) {
      // A forge merge of a maintenance or release branch is a forward port.
      // Its mainline names are not checked here: "owner/master" is a fork's
      // branch, where contributors often make their PRs (GitLab's own
      // mainline check, which knows the target, is in its recogniser).
      if (marker->is_merge && !marker->branch.empty() &&
          MatchesLongLivedGlob(WithoutRemote(marker->branch, options.remotes),
                               options.long_lived)) {
        return std::nullopt;
      }
      return marker;
    }
  }
  if (commit.parent_count != 2) return std::nullopt;
  return LocalMerge(message, options);
}

std::optional<ForgeMarker> ClassifyCommit(const CommitFacts& commit,
                                          const std::vector<std::string>& mainlines) {
  DetectOptions options;
  options.mainlines = mainlines;
  return ClassifyCommit(commit, options);
}

bool IsLongLived(std::string_view branch, const DetectOptions& options) {
  branch = WithoutRemote(branch, options.remotes);
  return IsMainline(branch, options.mainlines) ||
         MatchesLongLivedGlob(branch, options.long_lived);
}

bool IsUsersPr(const std::vector<std::string>& commit_authors,
               const std::vector<std::string>& authors,
               const std::vector<std::string>& identities, CoauthorRule rule) {
  const std::vector<std::string>& who =
      rule == CoauthorRule::kIgnore ? commit_authors : authors;
  return std::any_of(who.begin(), who.end(), [&](const std::string& email) {
    return IsIdentity(email, identities);
  });
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
