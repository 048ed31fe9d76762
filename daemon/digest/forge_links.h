// Links to a PR (or MR) and a commit on the forge a repo's remote points at:
// GitHub, GitLab, Bitbucket (Cloud and Server) and Azure DevOps, from the
// remote URL in its ssh or https form. Pure: the URL is read by git/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brag::digest {

// A repository on a known forge.
struct ForgeRepo {
  std::string forge;  // "github", "gitlab", "bitbucket", "bitbucket_server", "azure"
  std::string base;   // https URL of the repo's page, no trailing slash
};

// The forge repo `remote_url` names. The forge is known by its host
// (github.com, gitlab.com, bitbucket.org, dev.azure.com, *.visualstudio.com,
// or a host whose name contains github, gitlab or bitbucket); for another
// host (a self-hosted forge) `forge_hint` (the forge of the PR's merge
// commit: "github", "gitlab", "bitbucket", "azure") decides. Credentials in
// the URL are dropped. nullopt for a local path, an unknown forge or a URL
// that is not understood, and for one whose link would not be well formed
// (only git's schemes; host and path of URL-safe characters): a digest's link
// is always a plain https URL.
std::optional<ForgeRepo> ParseRemoteUrl(std::string_view remote_url,
                                        std::string_view forge_hint = "");

// https URL of PR/MR `number` on `repo`.
std::string PullRequestUrl(const ForgeRepo& repo, int64_t number);

// https URL of commit `oid` on `repo`.
std::string CommitUrl(const ForgeRepo& repo, std::string_view oid);

// Whether `oid` is a commit id (hex digits only). A note's commit may be any
// text the user gave: only an oid is linked (or put in a code span).
bool IsHexOid(std::string_view oid);

// The link a digest shows for work on `repo`: PR `pr`'s page when it has a
// number, else commit `oid`'s; nothing off a known forge (`repo` null) or
// with neither.
bool HasLink(const ForgeRepo* repo, int64_t pr, std::string_view oid);
void AppendLink(std::string& out, const ForgeRepo* repo, int64_t pr,
                std::string_view oid);

}  // namespace brag::digest
