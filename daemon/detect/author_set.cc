#include "detect/author_set.h"

#include <algorithm>

namespace brag::detect {

void AuthorSet::Add(std::string_view email) {
  size_t first = email.find_first_not_of(' ');
  if (first == std::string_view::npos) return;
  std::string lower(email.substr(first, email.find_last_not_of(' ') - first + 1));
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (std::find(emails_.begin(), emails_.end(), lower) == emails_.end()) {
    emails_.push_back(std::move(lower));
  }
}

}  // namespace brag::detect
