#include "detect/author_set.h"

#include <algorithm>

namespace brag::detect {

void AuthorSet::Insert(std::string_view email, std::vector<std::string>* into) {
  size_t first = email.find_first_not_of(' ');
  if (first == std::string_view::npos) return;
  std::string lower(email.substr(first, email.find_last_not_of(' ') - first + 1));
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (std::find(into->begin(), into->end(), lower) == into->end()) {
    into->push_back(std::move(lower));
  }
}

}  // namespace brag::detect
