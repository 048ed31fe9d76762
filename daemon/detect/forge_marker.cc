// Commit-message shapes of DESIGN §5, recognised by plain string parsing: the
// subjects are machine-written and fixed, so no regex engine is needed.
#include "detect/forge_marker.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace brag::detect {
namespace {

constexpr std::string_view kSpace = " \t\r";

std::string_view Trim(std::string_view s) {
  size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Calls `fn(line)` for each line of `text`, without the line break.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  while (!text.empty()) {
    size_t end = text.find('\n');
    fn(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

// The subject and body of a message (the body starts after the subject's line
// break; git separates them by a blank line, which Trim-based readers skip).
std::pair<std::string_view, std::string_view> SplitMessage(std::string_view message) {
  size_t start = message.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  message.remove_prefix(start);
  size_t end = message.find('\n');
  if (end == std::string_view::npos) return {Trim(message), {}};
  return {Trim(message.substr(0, end)), message.substr(end + 1)};
}

std::string_view FirstNonEmptyLine(std::string_view text) {
  std::string_view found;
  ForEachLine(text, [&](std::string_view line) {
    if (found.empty()) found = Trim(line);
  });
  return found;
}

bool Consume(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [&](char x, char y) { return lower(x) == lower(y); });
}

// A PR number: 1 to 18 digits, so that it always fits an int64_t.
std::optional<int64_t> ParseNumber(std::string_view digits) {
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

// Leading digits of `s`, removed from it.
std::string_view TakeDigits(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  std::string_view digits = s.substr(0, n);
  s.remove_prefix(n);
  return digits;
}

// "Merge pull request #N from owner/branch"; the body's first line is the
// PR title.
std::optional<ForgeMarker> GithubMerge(std::string_view subject,
                                       std::string_view body) {
  std::string_view rest = subject;
  if (!Consume(rest, "Merge pull request #")) return std::nullopt;
  std::optional<int64_t> number = ParseNumber(TakeDigits(rest));
  if (!number || !Consume(rest, " from ")) return std::nullopt;
  std::string_view source = Trim(rest.substr(0, rest.find_first_of(kSpace)));
  if (source.empty()) return std::nullopt;
  size_t slash = source.find('/');
  // Branch names may hold slashes ("feat/x"); only the owner goes.
  std::string_view branch =
      slash == std::string_view::npos ? source : source.substr(slash + 1);
  std::string_view title = FirstNonEmptyLine(body);
  return ForgeMarker{"github", *number, std::string(title.empty() ? subject : title),
                     std::string(branch), true};
}

// "Title (#N)" as GitHub writes squash and rebase merges. A "(#N)" elsewhere
// in the subject is a mere reference.
std::optional<ForgeMarker> GithubSquash(std::string_view subject) {
  if (!subject.ends_with(')')) return std::nullopt;
  size_t open = subject.rfind("(#");
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view inside = subject.substr(open + 2, subject.size() - open - 3);
  std::optional<int64_t> number = ParseNumber(inside);
  if (!number) return std::nullopt;
  std::string_view title = Trim(subject.substr(0, open));
  if (title.empty()) return std::nullopt;
  return ForgeMarker{"github", *number, std::string(title), "", false};
}

bool IsMainline(std::string_view branch, const std::vector<std::string>& mainlines) {
  return std::find(mainlines.begin(), mainlines.end(), branch) != mainlines.end();
}

// The quoted name at the front of `s` ("'feature' into main"), removed from
// it with its quotes; nullopt when `s` does not start with a quoted name.
std::optional<std::string_view> TakeQuoted(std::string_view& s) {
  if (!Consume(s, "'")) return std::nullopt;
  size_t close = s.find('\'');
  if (close == std::string_view::npos || close == 0) return std::nullopt;
  std::string_view name = s.substr(0, close);
  s.remove_prefix(close + 1);
  return name;
}

// The branch a local merge brought in: the name in a subject `git merge`
// wrote, remote prefix dropped; "" for any other subject (a custom -m
// message). nullopt when the merge only syncs: a pull ("... of URL") or a
// merge of a mainline.
std::optional<std::string> LocalMergeBranch(std::string_view subject,
                                            const std::vector<std::string>& mainlines) {
  std::string_view rest = subject;
  bool remote = Consume(rest, "Merge remote-tracking branch ");
  if (!remote && !Consume(rest, "Merge branch ")) return std::string();
  std::optional<std::string_view> name = TakeQuoted(rest);
  if (!name) return std::string();
  if (rest.starts_with(" of ")) return std::nullopt;
  std::string_view branch = *name;
  if (remote && branch.find('/') != std::string_view::npos) {
    branch.remove_prefix(branch.find('/') + 1);
  }
  if (IsMainline(branch, mainlines)) return std::nullopt;
  return std::string(branch);
}

std::optional<ForgeMarker> LocalMerge(std::string_view subject,
                                      const std::vector<std::string>& mainlines) {
  std::optional<std::string> branch = LocalMergeBranch(subject, mainlines);
  if (!branch) return std::nullopt;
  return ForgeMarker{"local", 0, std::string(subject), std::move(*branch), true};
}

}  // namespace

std::optional<ForgeMarker> ClassifyCommit(const CommitFacts& commit,
                                          const std::vector<std::string>& mainlines) {
  auto [subject, body] = SplitMessage(commit.message);
  if (commit.parent_count == 1) return GithubSquash(subject);
  if (commit.parent_count != 2) return std::nullopt;  // roots and octopus merges
  if (std::optional<ForgeMarker> github = GithubMerge(subject, body)) return github;
  return LocalMerge(subject, mainlines);
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
