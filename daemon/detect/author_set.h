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
  void Add(std::string_view email);
  std::vector<std::string> Take() { return std::move(emails_); }

 private:
  std::vector<std::string> emails_;
};

}  // namespace brag::detect
