// The authors of a PR: emails lower-cased and trimmed, each once, in the
// order found. Shared by the daemon's detection pass and `brag scan` so both
// report the same list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brag::detect {

class AuthorSet {
 public:
  // A `Co-authored-by:` email.
  void Add(std::string_view email) { Insert(email, &emails_); }
  // A commit's author: also kept apart, for `[detect] coauthor = "ignore"`.
  void AddCommitAuthor(std::string_view email) {
    Insert(email, &emails_);
    Insert(email, &commit_authors_);
  }
  // Every email, commit authors and co-authors.
  std::vector<std::string> Take() { return std::move(emails_); }
  // The commit authors only (call before or after Take).
  std::vector<std::string> TakeCommitAuthors() { return std::move(commit_authors_); }

 private:
  static void Insert(std::string_view email, std::vector<std::string>* into);

  std::vector<std::string> emails_;
  std::vector<std::string> commit_authors_;
};

}  // namespace brag::detect
