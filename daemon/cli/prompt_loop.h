// `brag prompt`: asks the user about prompts one at a time and files each
// line typed as the answer. Works through the pending prompts, then (with
// bragd running) waits for pushed ones, polling the socket and the input
// together so that EOF or Ctrl-C ends the wait at once. A prompt closed
// elsewhere (a "prompt_closed" event) is dropped, even while it is asked;
// an answer that loses such a race is offered as a note of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "cli/backend.h"
#include "cli/format.h"
#include "cli/line_input.h"
#include "core/result.h"

namespace brag::cli {

// What a line typed at a prompt means.
struct Reply {
  enum class Action { kSkip, kAnswer, kSnooze, kDismiss, kAccept, kQuit, kSkipAll };
  Action action = Action::kSkip;
  std::string text;  // the answer, for kAnswer
};

// Empty (or blank): skip, stays pending. Exactly "q": quit. Exactly "s":
// snooze 1d, or with `skip_all` (the question after a pull) skip this
// prompt and the rest. Exactly "d": dismiss. Exactly "a", when the prompt
// offers its commits' notes (`can_accept`): those notes become the answer.
// Anything else: the answer, trimmed.
Reply ParseReply(const std::string& line, bool can_accept = false,
                 bool skip_all = false);

// Whether an answer is a single character (a key pressed by mistake, such as
// the "q" of another program): counted in characters, not bytes.
bool IsOneCharacter(const std::string& text);

// How the question after a pull differs from `brag prompt`'s.
struct AskLimits {
  // 0: wait as long as it takes. Else each prompt is left pending after
  // this long, with the time left shown (and updated) above the question.
  std::chrono::milliseconds timeout{0};
  bool skip_all = false;  // "s" skips every prompt left instead of snoozing
};

// How asking about one prompt ended.
enum class Asked {
  kNext,      // answered, skipped, snoozed, dismissed or closed elsewhere
  kQuit,      // "q", EOF or Ctrl-C: ask nothing more
  kSkipAll,   // "s" after a pull: ask nothing more of this pull
  kTimedOut,  // AskLimits::timeout passed
};

// Runs the conversation. Borrows the backend, the input and the streams,
// which must outlive it.
class PromptLoop {
 public:
  PromptLoop(Backend& backend, LineSource& input, std::ostream& out, std::ostream& err,
             const Style& style, AskLimits limits = {})
      : backend_(backend),
        input_(input),
        out_(out),
        err_(err),
        style_(style),
        limits_(limits) {}

  // Asks about each pending prompt (oldest first). False when the user quit
  // (q, EOF or Ctrl-C) before they were all asked.
  Result<bool> WorkThroughPending();

  // Needs backend.daemon(), subscribed before WorkThroughPending so no prompt
  // falls between the two. Asks about each pushed prompt not asked already,
  // until the input ends (ok) or bragd goes away (code "unreachable").
  Status WaitForNew();

  // Whether some answer, snooze or dismiss failed (each was reported).
  bool had_errors() const { return had_errors_; }

  // Shows `prompt`, reads a line and acts on it; `position` ("2 of 5") is
  // shown with the time left when there is a timeout.
  Asked Ask(const nlohmann::json& prompt, const std::string& position = "");

 private:
  // Reads a line for the prompt `id`, watching bragd's socket (and the
  // clock, with a timeout).
  LineInput ReadFor(int64_t id, const std::string& question);
  // "2 of 5 (skipping in 20s)": what is left of the timeout.
  std::string Countdown() const;
  // Says how a read that ended without a line ended; the Asked it means.
  Asked Ended(int64_t id, const LineInput& in);
  // Asks "[y/N]" (or "[Y/n]" when `yes` is the default); nullopt when the
  // read ended without a line (`*ended` says how).
  std::optional<bool> Confirm(int64_t id, const std::string& question, bool yes,
                              Asked* ended);
  Asked Act(const nlohmann::json& prompt, const Reply& reply);
  // "#28 was answered elsewhere" (or snoozed, dismissed).
  std::string ClosedElsewhere(int64_t id) const;
  // The answer lost to one made elsewhere: says so, and offers `text` as a
  // note of its own on the prompt's repo and commit.
  Asked KeepText(const nlohmann::json& prompt, const std::string& text);
  // Reads every pushed message waiting: new prompts go to backlog_, closed
  // ones to closed_.
  void ReadEvents();
  // Asks about what ReadEvents kept. False when the user quit.
  Result<bool> DrainEvents();

  Backend& backend_;
  LineSource& input_;
  std::ostream& out_;
  std::ostream& err_;
  Style style_;
  AskLimits limits_;
  std::set<int64_t> asked_;
  // Left pending elsewhere (prompt_closed): id -> the state it went to.
  std::map<int64_t, std::string> closed_;
  std::deque<nlohmann::json> backlog_;
  bool daemon_gone_ = false;
  bool had_errors_ = false;
  // While a read has a timeout: when it ends, and whether it ended.
  std::chrono::steady_clock::time_point deadline_;
  bool timed_out_ = false;
  std::string position_;
};

// Prompt `id` as the log shows it once answered (with "note", "repo",
// "commit"), looked up in the log of `repo` ("" for all); an empty object
// when it is not there.
nlohmann::json LoggedPrompt(Backend& backend, int64_t id, const std::string& repo = "");

// Files `text` as a note of its own on `prompt`'s repo and commit.
Result<nlohmann::json> FileAsNote(Backend& backend, const std::string& text,
                                  const nlohmann::json& prompt);

// The command that files `text` as a note of its own on `prompt`'s repo and
// commit, quoted for a POSIX shell.
std::string NoteCommand(const std::string& text, const nlohmann::json& prompt);

}  // namespace brag::cli
