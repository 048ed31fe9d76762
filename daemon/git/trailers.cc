// Commit-message trailers through libgit2's parser, so that brag agrees with
// git on what the trailer block is (the last paragraph, only when it is made
// of trailers, patches and comments left out).
#include <string>

#include "git/handles.h"
#include "git/repo.h"

namespace brag::git {

std::vector<std::pair<std::string, std::string>> ParseTrailers(
    std::string_view message) {
  std::vector<std::pair<std::string, std::string>> trailers;
  // Most commits have no trailer: with no ':' after the subject line there
  // can be none, and libgit2's copy of the message is skipped.
  size_t subject_end = message.find('\n');
  if (subject_end == std::string_view::npos ||
      message.find(':', subject_end) == std::string_view::npos) {
    return trailers;
  }
  // libgit2 reads a C string: a message with a NUL byte ends there, as in git.
  std::string text(message);
  TrailerArray parsed;
  if (git_message_trailers(parsed.get(), text.c_str()) < 0) {
    // Only an allocation can fail; a commit with unread trailers is still a
    // commit, so it goes on without them.
    git_error_clear();
    return trailers;
  }
  for (size_t i = 0; i < parsed.get()->count; ++i) {
    const git_message_trailer& t = parsed.get()->trailers[i];
    trailers.emplace_back(t.key ? t.key : "", t.value ? t.value : "");
  }
  return trailers;
}

}  // namespace brag::git
