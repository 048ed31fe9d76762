#include "digest/forge_links.h"

#include <algorithm>
#include <vector>

#include "impact/note_text.h"

namespace brag::digest {
namespace {

struct RemoteParts {
  std::string host;  // lower-cased, without user or port
  std::string path;  // without leading '/' and trailing ".git" or '/'
};

std::string CleanPath(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.ends_with(".git")) path.remove_suffix(4);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

// "user:secret@host:7999" -> "host".
std::string HostOf(std::string_view authority) {
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  size_t colon = authority.find(':');
  if (colon != std::string_view::npos) authority = authority.substr(0, colon);
  return impact::ToLower(authority);
}

// The schemes of git's transports that a forge hands out.
bool GitScheme(std::string_view scheme) {
  std::string lower = impact::ToLower(scheme);
  return lower == "https" || lower == "http" || lower == "ssh" || lower == "git" ||
         lower == "git+ssh" || lower == "ssh+git";
}

// https://h/p, ssh://git@h:port/p, git://h/p and scp-like git@h:p.
std::optional<RemoteParts> SplitRemote(std::string_view url) {
  std::string_view authority, path;
  if (size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    if (!GitScheme(url.substr(0, scheme))) return std::nullopt;
    std::string_view rest = url.substr(scheme + 3);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    authority = rest.substr(0, slash);
    path = rest.substr(slash);
  } else {
    // scp-like: [user@]host:path, where host has no '/' (else it is a path).
    size_t colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    authority = url.substr(0, colon);
    if (authority.find('/') != std::string_view::npos) return std::nullopt;
    path = url.substr(colon + 1);
  }
  RemoteParts parts{HostOf(authority), CleanPath(path)};
  if (parts.host.empty() || parts.path.empty()) return std::nullopt;
  return parts;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (!seg.empty()) out.push_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::string ForgeOfHost(std::string_view host, std::string_view hint) {
  if (host == "dev.azure.com" || host == "ssh.dev.azure.com" ||
      host.ends_with(".visualstudio.com")) {
    return "azure";
  }
  if (host == "bitbucket.org") return "bitbucket";
  if (host.find("github") != std::string_view::npos) return "github";
  if (host.find("gitlab") != std::string_view::npos) return "gitlab";
  if (host.find("bitbucket") != std::string_view::npos) return "bitbucket_server";
  if (hint == "github" || hint == "gitlab" || hint == "azure") return std::string(hint);
  if (hint == "bitbucket") return "bitbucket_server";
  return "";
}

// dev.azure.com/ORG/PROJECT/_git/REPO in every form Azure hands out.
std::optional<ForgeRepo> AzureRepo(const RemoteParts& r) {
  std::vector<std::string_view> s = Segments(r.path);
  std::string org, project, repo;
  if (r.host == "ssh.dev.azure.com" || r.host.ends_with("vs-ssh.visualstudio.com")) {
    // v3/ORG/PROJECT/REPO
    if (s.size() != 4 || s[0] != "v3") return std::nullopt;
    org = s[1], project = s[2], repo = s[3];
  } else if (r.host == "dev.azure.com") {
    if (s.size() != 4 || s[2] != "_git") return std::nullopt;
    org = s[0], project = s[1], repo = s[3];
  } else {
    // ORG.visualstudio.com/[DefaultCollection/]PROJECT/_git/REPO
    if (!s.empty() && s[0] == "DefaultCollection") s.erase(s.begin());
    if (s.size() != 3 || s[1] != "_git") return std::nullopt;
    org = r.host.substr(0, r.host.find('.')), project = s[0], repo = s[2];
  }
  return ForgeRepo{"azure",
                   "https://dev.azure.com/" + org + "/" + project + "/_git/" + repo};
}

// Bitbucket Server/Data Center: https://HOST/scm/PROJ/repo or
// ssh://git@HOST:7999/PROJ/repo; its pages live under /projects/PROJ/repos/.
std::optional<ForgeRepo> BitbucketServerRepo(const RemoteParts& r) {
  std::vector<std::string_view> s = Segments(r.path);
  if (!s.empty() && s[0] == "scm") s.erase(s.begin());
  if (s.size() != 2) return std::nullopt;
  std::string project(s[0]);
  for (char& c : project) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return ForgeRepo{"bitbucket_server", "https://" + r.host + "/projects/" + project +
                                           "/repos/" + std::string(s[1])};
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Whether `base` ("https://HOST/PATH") goes into a link as it is: a host of
// letters, digits, dots and dashes, a path of URL-unreserved characters and
// %XX escapes. A remote with spaces, quotes, parentheses or angle brackets
// gets no link rather than one that Markdown or HTML would read otherwise.
bool WellFormedBase(std::string_view base) {
  constexpr std::string_view kScheme = "https://";
  if (!base.starts_with(kScheme)) return false;
  base.remove_prefix(kScheme.size());
  size_t slash = base.find('/');
  if (slash == 0 || slash == std::string_view::npos) return false;
  for (size_t i = 0; i < base.size(); ++i) {
    char c = base[i];
    bool alnum =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '-' || c == '.') continue;
    if (i < slash) return false;  // the host
    if (c == '_' || c == '~' || c == '/') continue;
    if (c != '%' || i + 2 >= base.size() || !IsHex(base[i + 1]) ||
        !IsHex(base[i + 2])) {
      return false;
    }
  }
  return true;
}

// ParseRemoteUrl before the check of the link it makes.
std::optional<ForgeRepo> ForgeRepoOf(std::string_view remote_url,
                                     std::string_view forge_hint) {
  while (!remote_url.empty() && (remote_url.back() == '\n' || remote_url.back() == ' '))
    remote_url.remove_suffix(1);
  if (remote_url.starts_with("file://") || remote_url.starts_with("/") ||
      remote_url.starts_with(".")) {
    return std::nullopt;
  }
  std::optional<RemoteParts> parts = SplitRemote(remote_url);
  if (!parts) return std::nullopt;
  std::string forge = ForgeOfHost(parts->host, forge_hint);
  if (forge.empty()) return std::nullopt;
  if (forge == "azure") return AzureRepo(*parts);
  if (forge == "bitbucket_server") return BitbucketServerRepo(*parts);
  // GitHub and Bitbucket Cloud: owner/repo; GitLab: group/subgroups.../project.
  size_t depth = Segments(parts->path).size();
  if (depth < 2 || (forge != "gitlab" && depth != 2)) return std::nullopt;
  std::string host = parts->host;
  if (host.starts_with("ssh.")) host = host.substr(4);  // ssh.github.com:443
  return ForgeRepo{forge, "https://" + host + "/" + parts->path};
}

// Where a forge keeps a PR's page and a commit's, under the repo's; GitHub's
// for any other.
struct ForgePages {
  std::string_view forge;
  std::string_view pull;
  std::string_view commit;
};

constexpr ForgePages kForgePages[] = {
    {"github", "/pull/", "/commit/"},
    {"gitlab", "/-/merge_requests/", "/-/commit/"},
    {"bitbucket", "/pull-requests/", "/commits/"},
    {"bitbucket_server", "/pull-requests/", "/commits/"},
    {"azure", "/pullrequest/", "/commit/"},
};

const ForgePages& PagesOf(std::string_view forge) {
  for (const ForgePages& p : kForgePages) {
    if (p.forge == forge) return p;
  }
  return kForgePages[0];
}

}  // namespace

std::optional<ForgeRepo> ParseRemoteUrl(std::string_view remote_url,
                                        std::string_view forge_hint) {
  std::optional<ForgeRepo> repo = ForgeRepoOf(remote_url, forge_hint);
  if (repo && !WellFormedBase(repo->base)) return std::nullopt;
  return repo;
}

std::string PullRequestUrl(const ForgeRepo& repo, int64_t number) {
  return repo.base + std::string(PagesOf(repo.forge).pull) + std::to_string(number);
}

std::string CommitUrl(const ForgeRepo& repo, std::string_view oid) {
  return repo.base + std::string(PagesOf(repo.forge).commit) + std::string(oid);
}

bool IsHexOid(std::string_view oid) {
  return !oid.empty() && std::all_of(oid.begin(), oid.end(), IsHex);
}

bool HasLink(const ForgeRepo* repo, int64_t pr, std::string_view oid) {
  return repo && (pr > 0 || IsHexOid(oid));
}

void AppendLink(std::string& out, const ForgeRepo* repo, int64_t pr,
                std::string_view oid) {
  if (!repo) return;
  if (pr > 0) {
    out += PullRequestUrl(*repo, pr);
  } else if (IsHexOid(oid)) {
    out += CommitUrl(*repo, oid);
  }
}

}  // namespace brag::digest
