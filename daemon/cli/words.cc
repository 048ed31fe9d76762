#include "cli/words.h"

#include <algorithm>
#include <optional>

namespace brag::cli {
namespace {

// A message in the form ParamReader (methods/params.h) writes: the
// method, the parameter and the rest.
struct ParamMessage {
  std::string method;
  std::string param;
  enum Form { kInvalid, kWrong, kMissing } form = kInvalid;
  std::string rest;  // the reason; what was expected for kWrong and kMissing
};

std::optional<ParamMessage> ReadParamMessage(const std::string& message) {
  size_t colon = message.find(": ");
  if (colon == std::string::npos || message.find(' ') < colon) return std::nullopt;
  ParamMessage m;
  m.method = message.substr(0, colon);
  std::string_view tail = std::string_view(message).substr(colon + 2);
  std::string_view lead = "parameter \"";
  if (tail.starts_with("missing parameter \"")) {
    m.form = ParamMessage::kMissing;
    lead = "missing parameter \"";
  } else if (!tail.starts_with(lead)) {
    return std::nullopt;
  }
  tail.remove_prefix(lead.size());
  size_t quote = tail.find('"');
  if (quote == std::string_view::npos) return std::nullopt;
  m.param = std::string(tail.substr(0, quote));
  tail.remove_prefix(quote + 1);
  if (m.form == ParamMessage::kMissing) {
    if (tail.starts_with(" (expected ") && tail.ends_with(")"))
      m.rest = std::string(tail.substr(11, tail.size() - 12));
  } else if (tail.starts_with(": ")) {
    m.rest = std::string(tail.substr(2));
  } else if (tail.starts_with(" must be ")) {
    m.form = ParamMessage::kWrong;
    m.rest = std::string(tail.substr(9));
  } else {
    return std::nullopt;
  }
  return m;
}

// What `command` was doing, as "cannot ..." completes it.
std::string Doing(std::string_view command) {
  struct Row {
    std::string_view command, doing;
  };
  static constexpr Row kRows[] = {
      {"answer", "file the note"},
      {"snooze", "snooze the prompt"},
      {"dismiss", "dismiss the prompt"},
      {"pending", "list the prompts"},
      {"prompt", "go through the prompts"},
      {"note", "file the note"},
      {"log", "list the journal"},
      {"digest", "make the digest"},
      {"review", "make the review"},
      {"repos add", "watch the repo"},
      {"repos rm", "stop watching the repo"},
      {"repos list", "list the repos"},
      {"status", "tell bragd's status"},
      {"scan", "scan the repo"},
      {"reload", "reload the config"},
      {"start", "start bragd"},
      {"stop", "stop bragd"},
  };
  for (const Row& r : kRows) {
    if (r.command == command) return std::string(r.doing);
  }
  return "do it";
}

// What a wrong parameter of `command` amounts to, as "cannot ..." completes
// it: the command's own words for the argument the parameter came from.
std::string WrongArgument(std::string_view command, const std::string& param) {
  bool window = command == "digest" || command == "review" || command == "log";
  if (command == "snooze" && param == "until") return "snooze to that time";
  if (window && (param == "since" || param == "until" || param == "week"))
    return Doing(command) + " for those dates";
  if (param == "format") return Doing(command) + " in that format";
  if (param == "kind") return Doing(command) + " of that kind";
  if (param == "limit") return Doing(command) + " with that --limit";
  if (param == "repo" || param == "path") return Doing(command) + " for that repo";
  if (param == "prompt") return Doing(command) + " with that prompt id";
  if (param == "commit") return Doing(command) + " with that --commit";
  return Doing(command);
}

// Why, or what to do, for an error of `code` met by `command`.
std::string Why(const std::string& code, std::string_view command) {
  bool prompt = command == "answer" || command == "snooze" || command == "dismiss";
  if (code == "not_found") {
    if (prompt) return "see brag pending for the prompts waiting";
    if (command == "repos add" || command == "scan" || command.starts_with("hooks "))
      return "give a folder in a git repository";
    if (command.starts_with("repos") || command == "note" || command == "log")
      return "see brag repos list for the repos watched";
    return "there is none";
  }
  if (code == "conflict") {
    if (command == "answer") return "a prompt takes one note; brag log shows it";
    if (prompt) return "it has its note already";
    return "nothing was changed";
  }
  if (code == "bad_request") return "bragd refused what brag sent";
  if (code == "bad_date" || code == "bad_duration")
    return "dates read like 2026-11-02, monday, 7d or 3 months ago";
  if (code == "bad_week") return "a week reads like 2026-W48";
  if (code == "unreachable")
    return "bragd is not running; start it, or see brag status";
  if (code == "untrusted")
    return "the socket is not your own bragd's; nothing was sent";
  if (code == "timeout") return "bragd did not answer in time; see brag status";
  if (code == "protocol" || code == "parse_error" || code == "unknown_method")
    return "brag and bragd may be different versions; restart bragd";
  if (code == "journal") return "the journal could not be read or written";
  if (code == "needs_upgrade" || code == "journal_too_new")
    return "the journal is from another version of brag";
  if (code == "io") return "a file could not be read or written";
  if (code == "git") return "git could not read the repository";
  if (code == "config") return "fix the config file";
  if (code == "forbidden") return "brag will not use it as it is";
  if (code == "busy") return "one bragd serves a socket";
  if (code == "too_large") return "it is too large";
  if (code == "watch_limit") return "raise fs.inotify.max_user_watches";
  if (code == "no_identity") return "set your email in the config or in git";
  if (code == "internal") return "a bug in brag; please report it";
  if (code == "hook_conflict") return "brag leaves a hook it did not write as it is";
  if (code == "bad_schedule") return "fix [digest] schedule in the config file";
  if (code == "polish") return "the polish command failed";
  return "brag could not do it";
}

// Methods whose name may lead a message ("note: no watched repo ...").
bool IsMethodPrefix(std::string_view word) {
  for (std::string_view m :
       {"answer", "snooze", "dismiss", "pending", "note", "log", "digest", "status",
        "subscribe", "rescan", "reload", "repos.add", "repos.remove", "repos.list",
        "commit.record", "commit.rewrite", "hello"}) {
    if (word == m) return true;
  }
  return false;
}

}  // namespace

Complaint ForPeople(const Error& error, std::string_view command) {
  if (std::optional<ParamMessage> m = ReadParamMessage(error.message)) {
    std::string what = "cannot " + WrongArgument(command, m->param);
    switch (m->form) {
      case ParamMessage::kInvalid:
        return {what, m->rest};
      case ParamMessage::kWrong:
        return {what, "bragd wants it as " + m->rest + "; " + Why("protocol", command)};
      case ParamMessage::kMissing:
        return {what, "bragd wants " + m->rest + "; " + Why("protocol", command)};
    }
  }
  std::string what = error.message;
  size_t colon = what.find(": ");
  if (colon != std::string::npos && IsMethodPrefix(what.substr(0, colon)))
    what.erase(0, colon + 2);
  if (what.empty()) what = "cannot " + Doing(command);
  if (error.code == "unreachable" && what.starts_with("bragd is not running"))
    return {"bragd is not running", "start bragd, or see brag status"};
  return {what, Why(error.code, command)};
}

size_t EditDistance(std::string_view a, std::string_view b) {
  // d[i][j]: the distance between a's first i and b's first j characters.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string NearestName(std::string_view typed, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = 3;
  for (const std::string& name : names) {
    size_t d = EditDistance(typed, name);
    if (d < best_distance && 2 * d < std::max(typed.size(), name.size())) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace brag::cli
