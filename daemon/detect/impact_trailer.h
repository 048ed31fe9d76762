// The Impact: lines of a commit message (DESIGN §5 "Commit note"): what the
// post-commit hook files as the commit's note. Pure text; no git here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brag::detect {

// The values of the message's "Impact:" lines (key in any case, at the start
// of a line, a value after it), trimmed, in order, each once. Not only the
// closing trailer block: a squash made by `git rebase -i` keeps each folded
// commit's trailer in the middle of its message. Lines of a scissors or
// comment section ('#') are not read.
std::vector<std::string> ImpactLines(std::string_view message);

// What a hook files of a commit's message: its subject (the first line,
// blank lines before it skipped, as libgit2's git_commit_message does) and
// its Impact: lines joined with "; " ("" when none).
struct MessageSummary {
  std::string subject;
  std::string impact;
};
MessageSummary SummarizeMessage(std::string_view message);

}  // namespace brag::detect
