// What brag says when something fails, in words for a person: "<what>
// (<why>)", both in English. bragd's errors are written for a script's
// author (a method and a parameter name in the message, a protocol code
// beside it); these put them in the command line's words. Only `--json`
// shows an error as it came (cli/report.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace brag::cli {

struct Complaint {
  std::string what;
  std::string why;
};

// `error`, met while running `command` ("snooze", "repos add", "review";
// "" when unknown), for a person: the method and parameter names of the
// message become what the command does and which of its arguments was
// wrong, and the code becomes the reason (or what to do about it).
Complaint ForPeople(const Error& error, std::string_view command);

// The number of single-character insertions, deletions, substitutions and
// swaps of two neighbours (bytes) that turn `a` into `b`: "stauts" is one
// edit from "status".
size_t EditDistance(std::string_view a, std::string_view b);

// The name of `names` nearest to `typed` when it is near enough to be a
// typo of it (at most 2 edits, and fewer than half of `typed`); "" if none.
std::string NearestName(std::string_view typed, const std::vector<std::string>& names);

}  // namespace brag::cli
