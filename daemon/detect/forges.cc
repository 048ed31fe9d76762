// The forge shapes of DESIGN §5. Each recogniser checks its own parent count:
// a merge shape needs two parents, a squash or review shape one, and some
// forges write the same subject for both.
#include "detect/forges.h"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <utility>

#include "detect/message_text.h"

namespace brag::detect {
namespace {

// True when `line` is one of the commit's trailers ("Approved-by: x"), which
// is never a title.
bool IsTrailerLine(std::string_view line, const CommitFacts& commit) {
  return std::any_of(
      commit.trailers.begin(), commit.trailers.end(), [&](const auto& trailer) {
        std::string_view rest = line;
        return Consume(rest, trailer.first) && Trim(rest).starts_with(':');
      });
}

// The PR title a forge wrote into the body: its first non-empty line that is
// neither a trailer nor rejected by `skip`; the subject when there is none.
template <typename Skip>
std::string BodyTitle(const ParsedMessage& message, const CommitFacts& commit,
                      Skip skip) {
  std::string_view title;
  ForEachLine(message.body, [&](std::string_view line) {
    line = Trim(line);
    if (title.empty() && !line.empty() && !skip(line) && !IsTrailerLine(line, commit)) {
      title = line;
    }
  });
  return std::string(title.empty() ? message.subject : title);
}

std::string BodyTitle(const ParsedMessage& message, const CommitFacts& commit) {
  return BodyTitle(message, commit, [](std::string_view) { return false; });
}

// The value of the last trailer named `key` (any case), or "".
std::string_view LastTrailer(const CommitFacts& commit, std::string_view key) {
  for (auto it = commit.trailers.rbegin(); it != commit.trailers.rend(); ++it) {
    if (EqualsIgnoreCase(it->first, key)) return Trim(it->second);
  }
  return {};
}

// "Merge pull request #N from owner/branch"; the body's first line is the
// PR title.
std::optional<ForgeMarker> GithubMerge(const ParsedMessage& message,
                                       const CommitFacts& commit,
                                       const DetectOptions&) {
  if (commit.parent_count != 2) return std::nullopt;
  std::string_view rest = message.subject;
  if (!Consume(rest, "Merge pull request #")) return std::nullopt;
  std::optional<int64_t> number = ParseNumber(TakeDigits(rest));
  if (!number || !Consume(rest, " from ")) return std::nullopt;
  std::string_view source = Trim(rest.substr(0, rest.find_first_of(kSpace)));
  if (source.empty()) return std::nullopt;
  size_t slash = source.find('/');
  // Branch names may hold slashes ("feat/x"); only the owner goes.
  std::string_view branch =
      slash == std::string_view::npos ? source : source.substr(slash + 1);
  return ForgeMarker{"github", *number, BodyTitle(message, commit), std::string(branch),
                     true};
}

// "Title (#N)": the PR number GitHub appends to the title. A "(#N)"
// elsewhere in the subject is a mere reference.
std::optional<ForgeMarker> TitledByPr(std::string_view subject, bool is_merge) {
  if (!subject.ends_with(')')) return std::nullopt;
  size_t open = subject.rfind("(#");
  if (open == std::string_view::npos) return std::nullopt;
  std::optional<int64_t> number =
      ParseNumber(subject.substr(open + 2, subject.size() - open - 3));
  if (!number) return std::nullopt;
  std::string_view title = Trim(subject.substr(0, open));
  if (title.empty()) return std::nullopt;
  return ForgeMarker{"github", *number, std::string(title), "", is_merge};
}

// "Title (#N)" as GitHub writes squash and rebase merges.
std::optional<ForgeMarker> GithubSquash(const ParsedMessage& message,
                                        const CommitFacts& commit,
                                        const DetectOptions&) {
  if (commit.parent_count != 1) return std::nullopt;
  return TitledByPr(message.subject, false);
}

// "Title (#N)" on a merge commit: a repo whose merge message is the PR
// title. The source branch is not written.
std::optional<ForgeMarker> GithubTitledMerge(const ParsedMessage& message,
                                             const CommitFacts& commit,
                                             const DetectOptions&) {
  if (commit.parent_count != 2) return std::nullopt;
  return TitledByPr(message.subject, true);
}

// N of a GitLab "See merge request group/sub/project!N" or
// "See merge request https://host/group/project/-/merge_requests/N" line.
std::optional<int64_t> MergeRequestNumber(std::string_view line) {
  line = Trim(line);
  if (!Consume(line, "See merge request ")) return std::nullopt;
  std::string_view ref = Trim(line);
  while (ref.ends_with('/')) ref.remove_suffix(1);
  constexpr std::string_view kUrlPart = "/-/merge_requests/";
  size_t bang = ref.rfind('!');
  size_t url = ref.rfind(kUrlPart);
  if (bang != std::string_view::npos && bang > 0) {
    return ParseNumber(ref.substr(bang + 1));
  }
  if (url != std::string_view::npos)
    return ParseNumber(ref.substr(url + kUrlPart.size()));
  return std::nullopt;
}

// GitLab's default merge commit: "Merge branch 'a' into 'b'", the MR title,
// "See merge request ...!N". A squash (one parent) is GitLab's only when a
// custom template kept the "See merge request" line. A merge of a mainline
// into another branch is a sync, whatever GitLab wrote.
std::optional<ForgeMarker> Gitlab(const ParsedMessage& message,
                                  const CommitFacts& commit,
                                  const DetectOptions& options) {
  if (commit.parent_count != 1 && commit.parent_count != 2) return std::nullopt;
  std::optional<int64_t> number;
  ForEachLine(message.body, [&](std::string_view line) {
    if (!number) number = MergeRequestNumber(line);
  });
  if (!number) return std::nullopt;
  if (commit.parent_count == 1) {
    return ForgeMarker{"gitlab", *number, std::string(message.subject), "", false};
  }
  std::string_view rest = message.subject;
  std::string_view branch;
  if (Consume(rest, "Merge branch ")) {
    std::optional<std::string_view> source = TakeQuoted(rest);
    std::optional<std::string_view> target;
    if (source && Consume(rest, " into ")) target = TakeQuoted(rest);
    if (source && IsMainline(*source, options.mainlines) && source != target) {
      return std::nullopt;
    }
    if (source) branch = *source;
  }
  std::string title = BodyTitle(message, commit, [](std::string_view line) {
    return MergeRequestNumber(line).has_value();
  });
  return ForgeMarker{"gitlab", *number, std::move(title), std::string(branch), true};
}

// The source branch of Bitbucket Server's "PROJ/repo from SOURCE to TARGET";
// a fork's source ("~USER/repo:branch") keeps only the branch.
std::optional<std::string_view> BitbucketSource(std::string_view text) {
  size_t from = text.find(" from ");
  if (from == std::string_view::npos) return std::nullopt;
  text.remove_prefix(from + 6);
  size_t to = text.rfind(" to ");
  if (to == std::string_view::npos) return std::nullopt;
  std::string_view source = Trim(text.substr(0, to));
  if (size_t colon = source.rfind(':'); colon != std::string_view::npos) {
    source.remove_prefix(colon + 1);
  }
  if (source.empty()) return std::nullopt;
  return source;
}

// Bitbucket Cloud: "Merged in feature/x (pull request #N)", title in the
// body; a merge, or a squash with the same subject.
std::optional<ForgeMarker> BitbucketCloud(const ParsedMessage& message,
                                          const CommitFacts& commit,
                                          const DetectOptions&) {
  if (commit.parent_count != 1 && commit.parent_count != 2) return std::nullopt;
  std::string_view rest = message.subject;
  constexpr std::string_view kPr = " (pull request #";
  if (!Consume(rest, "Merged in ") || !rest.ends_with(')')) return std::nullopt;
  size_t open = rest.rfind(kPr);
  if (open == std::string_view::npos) return std::nullopt;
  std::optional<int64_t> number =
      ParseNumber(rest.substr(open + kPr.size(), rest.size() - open - kPr.size() - 1));
  std::string_view branch = Trim(rest.substr(0, open));
  if (!number || branch.empty()) return std::nullopt;
  return ForgeMarker{"bitbucket", *number, BodyTitle(message, commit),
                     std::string(branch), commit.parent_count == 2};
}

// A Bitbucket Server message without the "* commit 'sha':" list of merged
// commits it may end with, whose lines are no title.
ParsedMessage WithoutCommitList(const ParsedMessage& message) {
  std::string_view body = message.body;
  size_t list = body.starts_with("* commit ") ? 0 : body.find("\n* commit ");
  return ParsedMessage{message.subject, body.substr(0, list)};
}

bool IsMergeInLine(std::string_view line) { return line.starts_with("Merge in "); }

// Bitbucket Server / Data Center, older form: "Merge pull request #N in
// PROJ/repo from feature/x to main".
std::optional<ForgeMarker> BitbucketServerMerge(const ParsedMessage& message,
                                                const CommitFacts& commit,
                                                const DetectOptions&) {
  if (commit.parent_count != 1 && commit.parent_count != 2) return std::nullopt;
  std::string_view rest = message.subject;
  if (!Consume(rest, "Merge pull request #")) return std::nullopt;
  std::optional<int64_t> number = ParseNumber(TakeDigits(rest));
  if (!number || !Consume(rest, " in ")) return std::nullopt;
  std::optional<std::string_view> branch = BitbucketSource(rest);
  if (!branch) return std::nullopt;
  return ForgeMarker{"bitbucket", *number,
                     BodyTitle(WithoutCommitList(message), commit, IsMergeInLine),
                     std::string(*branch), commit.parent_count == 2};
}

// Bitbucket Server / Data Center, current form: "Pull request #N: Title" and
// a body line "Merge in PROJ/repo from feature/x to main".
std::optional<ForgeMarker> BitbucketServerPullRequest(const ParsedMessage& message,
                                                      const CommitFacts& commit,
                                                      const DetectOptions&) {
  if (commit.parent_count != 1 && commit.parent_count != 2) return std::nullopt;
  std::string_view rest = message.subject;
  if (!Consume(rest, "Pull request #")) return std::nullopt;
  std::optional<int64_t> number = ParseNumber(TakeDigits(rest));
  if (!number || !Consume(rest, ":")) return std::nullopt;
  std::optional<std::string_view> branch;
  ForEachLine(message.body, [&](std::string_view line) {
    line = Trim(line);
    if (!branch && line.starts_with("Merge in ")) branch = BitbucketSource(line);
  });
  if (!branch) return std::nullopt;
  std::string_view title = Trim(rest);
  return ForgeMarker{"bitbucket", *number,
                     std::string(title.empty() ? message.subject : title),
                     std::string(*branch), commit.parent_count == 2};
}

// Azure DevOps: "Merged PR N: title", for a merge and a squash alike; the
// source branch is not written.
std::optional<ForgeMarker> Azure(const ParsedMessage& message,
                                 const CommitFacts& commit, const DetectOptions&) {
  if (commit.parent_count != 1 && commit.parent_count != 2) return std::nullopt;
  std::string_view rest = message.subject;
  if (!Consume(rest, "Merged PR ")) return std::nullopt;
  std::optional<int64_t> number = ParseNumber(TakeDigits(rest));
  if (!number || !Consume(rest, ":")) return std::nullopt;
  std::string_view title = Trim(rest);
  return ForgeMarker{"azure", *number,
                     std::string(title.empty() ? message.subject : title), "",
                     commit.parent_count == 2};
}

// N of a Gerrit change URL: "https://host/c/project/+/N" (the change number
// may be followed by a patch set) or the older "https://host/N".
std::optional<int64_t> GerritChangeNumber(std::string_view url) {
  while (url.ends_with('/')) url.remove_suffix(1);
  if (size_t plus = url.find("/+/"); plus != std::string_view::npos) {
    std::string_view rest = url.substr(plus + 3);
    return ParseNumber(rest.substr(0, rest.find('/')));
  }
  size_t slash = url.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return ParseNumber(url.substr(slash + 1));
}

// Gerrit: a `Reviewed-on:` trailer, added when the change was submitted (the
// last one counts for a change cherry-picked through several reviews).
std::optional<ForgeMarker> Gerrit(const ParsedMessage& message,
                                  const CommitFacts& commit, const DetectOptions&) {
  if (commit.parent_count != 1) return std::nullopt;
  std::string_view url = LastTrailer(commit, "Reviewed-on");
  if (url.empty()) return std::nullopt;
  std::optional<int64_t> number = GerritChangeNumber(url);
  if (!number) return std::nullopt;
  return ForgeMarker{"gerrit", *number, std::string(message.subject), "", false};
}

// The "Differential Revision:" value Phabricator's `arc land` writes. Its key
// holds a space, so git (and libgit2) count it no trailer: it is read here
// from the message's last paragraph, where a trailer would be.
std::string_view DifferentialRevision(const ParsedMessage& message,
                                      const CommitFacts& commit) {
  std::string_view value = LastTrailer(commit, "Differential-Revision");
  if (!value.empty()) return value;
  ForEachLine(LastParagraph(message.body), [&](std::string_view line) {
    if (Consume(line, "Differential Revision:")) value = Trim(line);
  });
  return value;
}

// Phabricator: "Differential Revision: https://host/D1234" (or "D1234").
std::optional<ForgeMarker> Phabricator(const ParsedMessage& message,
                                       const CommitFacts& commit,
                                       const DetectOptions&) {
  if (commit.parent_count != 1) return std::nullopt;
  std::string_view revision = DifferentialRevision(message, commit);
  while (revision.ends_with('/')) revision.remove_suffix(1);
  if (size_t slash = revision.rfind('/'); slash != std::string_view::npos) {
    revision.remove_prefix(slash + 1);
  }
  if (!Consume(revision, "D")) return std::nullopt;
  std::optional<int64_t> number = ParseNumber(revision);
  if (!number) return std::nullopt;
  return ForgeMarker{"phabricator", *number, std::string(message.subject), "", false};
}

constexpr std::array<ForgeRecogniser, 10> kRecognisers = {
    GithubMerge,
    Gitlab,
    BitbucketCloud,
    BitbucketServerMerge,
    BitbucketServerPullRequest,
    Azure,
    Gerrit,
    Phabricator,
    GithubSquash,
    GithubTitledMerge,
};

// The number in a branch named "pr/N", "pull/N", "pr-N" or "N".
std::optional<int64_t> BranchPrNumber(std::string_view branch) {
  if (!Consume(branch, "pr/") && !Consume(branch, "pull/")) Consume(branch, "pr-");
  if (branch.find_first_not_of("0123456789") != std::string_view::npos) return {};
  std::optional<int64_t> number = ParseNumber(branch);
  if (!number || *number == 0) return std::nullopt;
  return number;
}

// N of a "(PR #N)" in the subject.
std::optional<int64_t> SubjectPrNumber(std::string_view subject) {
  constexpr std::string_view kPr = "(PR #";
  for (size_t at = subject.find(kPr); at != std::string_view::npos;
       at = subject.find(kPr, at + 1)) {
    std::string_view rest = subject.substr(at + kPr.size());
    std::optional<int64_t> number = ParseNumber(TakeDigits(rest));
    if (number && rest.starts_with(')')) return number;
  }
  return std::nullopt;
}

// A local merge's subject as `git merge` writes it: "Merge branch 'x'",
// "Merge remote-tracking branch 'origin/x'" (and older git's "Merge remote
// branch 'x'"), then optionally " of URL" and " into TARGET", then
// optionally a "(PR #N)" the maintainer added.
struct LocalSubject {
  std::string_view branch;  // as quoted
  std::string_view target;  // "" when git left it out (a merge into main)
  bool remote_tracking = false;
};

std::optional<LocalSubject> ParseLocalSubject(std::string_view subject) {
  LocalSubject parsed;
  std::string_view rest = subject;
  if (Consume(rest, "Merge remote-tracking branch ") ||
      Consume(rest, "Merge remote branch ")) {
    parsed.remote_tracking = true;
  } else if (!Consume(rest, "Merge branch ")) {
    return std::nullopt;  // "Merge tag", "Merge commit", a custom message
  }
  std::optional<std::string_view> name = TakeQuoted(rest);
  if (!name || name->empty()) return std::nullopt;
  parsed.branch = *name;
  if (Consume(rest, " of ")) {
    std::string_view url = rest.substr(0, rest.find(' '));
    if (url.empty()) return std::nullopt;
    rest.remove_prefix(url.size());
  }
  if (Consume(rest, " into ")) {
    if (std::optional<std::string_view> quoted = TakeQuoted(rest)) {
      parsed.target = *quoted;
    } else {
      parsed.target = rest.substr(0, rest.find(' '));
      rest.remove_prefix(parsed.target.size());
    }
    if (parsed.target.empty()) return std::nullopt;
  }
  rest = Trim(rest);
  if (!rest.empty() && !SubjectPrNumber(rest)) return std::nullopt;
  return parsed;
}

}  // namespace

std::span<const ForgeRecogniser> ForgeRecognisers() { return kRecognisers; }

std::optional<ForgeMarker> LocalMerge(const ParsedMessage& message,
                                      const DetectOptions& options) {
  std::optional<LocalSubject> parsed = ParseLocalSubject(message.subject);
  if (!parsed) return std::nullopt;
  std::string_view branch = parsed->branch;
  // A remote-tracking branch always starts with its remote's name.
  if (parsed->remote_tracking && branch.find('/') != std::string_view::npos) {
    branch.remove_prefix(branch.find('/') + 1);
  } else {
    branch = WithoutRemote(branch, options.remotes);
  }
  if (IsMainline(branch, options.mainlines) ||
      MatchesLongLivedGlob(branch, options.long_lived)) {
    return std::nullopt;
  }
  // A pull of a branch into itself ("Merge branch 'x' of URL into x").
  if (!parsed->target.empty() &&
      WithoutRemote(parsed->target, options.remotes) == branch) {
    return std::nullopt;
  }
  std::optional<int64_t> number = BranchPrNumber(branch);
  if (!number) number = SubjectPrNumber(message.subject);
  return ForgeMarker{"local", number.value_or(0), std::string(message.subject),
                     std::string(branch), true};
}

bool IsMainline(std::string_view branch, const std::vector<std::string>& mainlines) {
  return std::find(mainlines.begin(), mainlines.end(), branch) != mainlines.end();
}

std::string_view WithoutRemote(std::string_view branch,
                               const std::vector<std::string>& remotes) {
  for (const std::string& remote : remotes) {
    std::string_view rest = branch;
    if (!remote.empty() && Consume(rest, remote) && Consume(rest, "/") &&
        !rest.empty()) {
      return rest;
    }
  }
  return branch;
}

bool MatchesLongLivedGlob(std::string_view branch,
                          const std::vector<std::string>& globs) {
  std::string name(branch);
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
  });
}

}  // namespace brag::detect
