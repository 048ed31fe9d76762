#include "methods/identities.h"

#include <optional>

#include "git/repo.h"

namespace brag {

std::vector<std::string> IdentitiesOf(const Config& config) {
  if (!config.identity_emails.empty()) return config.identity_emails;
  if (std::optional<std::string> email = git::GlobalUserEmail()) return {*email};
  return {};
}

}  // namespace brag
