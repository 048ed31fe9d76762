// A remote's URL, for links to the forge a repo lives on.
#include "git/handles.h"
#include "git/repo.h"
#include "git/repo_handle.h"

namespace brag::git {

// Read as the config value remote.NAME.url rather than through
// git_remote_lookup: libgit2 1.5's lookup runs config regexes whose pcre2
// match data it never frees (LeakSanitizer flags every call), and a link
// needs only the URL. url.*.insteadOf rewrites are therefore not applied.
Result<std::optional<std::string>> Repo::RemoteUrl(const std::string& name) {
  Result<std::optional<std::string>> url = ConfigString("remote." + name + ".url");
  if (url && *url && (*url)->empty()) return std::optional<std::string>();
  return url;
}

}  // namespace brag::git
