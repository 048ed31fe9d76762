// `brag prompt`: asks the user about prompts one at a time and files each
// line typed as the answer. Works through the pending prompts, then (with
// bragd running) waits for pushed ones, polling the socket and the input
// together so that EOF or Ctrl-C ends the wait at once.
#pragma once

#include <csignal>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "cli/backend.h"
#include "cli/format.h"
#include "core/result.h"

namespace brag::cli {

// Set by the SIGINT handler that InstallInterruptHandler() installs.
extern volatile std::sig_atomic_t g_interrupted;

// SIGINT sets g_interrupted and interrupts blocking reads and polls (no
// SA_RESTART), so the loop can end cleanly.
void InstallInterruptHandler();

// Reads lines from a file descriptor with read(2) and its own buffer (no
// stdio), so that poll(2) on the descriptor tells whether input is waiting.
// Does not own the descriptor.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  int fd() const { return fd_; }
  // Blocks until a whole line is read; it comes without its "\n" (or "\r\n").
  // A last line without a newline counts. nullopt at EOF or on SIGINT.
  std::optional<std::string> Read();
  // Reads what is available now (call after poll() says readable) and drops
  // it: input typed while nothing is asked. False at EOF or on SIGINT.
  bool Discard();

 private:
  // One read(2) into the buffer; false at EOF, on error or on SIGINT.
  bool Fill();

  int fd_;
  std::string buf_;
  bool eof_ = false;
};

// What a line typed at a prompt means.
struct Reply {
  enum class Action { kSkip, kAnswer, kSnooze, kDismiss, kAccept };
  Action action = Action::kSkip;
  std::string text;  // the answer, for kAnswer
};

// Empty (or blank): skip, stays pending. Exactly "s": snooze 1d. Exactly
// "d": dismiss. Exactly "a", when the prompt offers its commits' notes
// (`can_accept`): those notes become the answer. Anything else: the answer,
// trimmed.
Reply ParseReply(const std::string& line, bool can_accept = false);

// Runs the conversation. Borrows the backend, the input and the streams,
// which must outlive it.
class PromptLoop {
 public:
  PromptLoop(Backend& backend, LineReader& input, std::ostream& out, std::ostream& err,
             const Style& style)
      : backend_(backend), input_(input), out_(out), err_(err), style_(style) {}

  // Asks about each pending prompt (oldest first). False when the input
  // ended (EOF or Ctrl-C) before they were all asked.
  Result<bool> WorkThroughPending();

  // Needs backend.daemon(), subscribed before WorkThroughPending so no prompt
  // falls between the two. Asks about each pushed prompt not asked already,
  // until the input ends (ok) or bragd goes away (code "unreachable").
  Status WaitForNew();

  // Whether some answer, snooze or dismiss failed (each was reported).
  bool had_errors() const { return had_errors_; }

  // Shows `prompt`, reads a line and acts on it. False when the input ended.
  bool Ask(const nlohmann::json& prompt);
  // Ask's halves, for a caller that waits in between (with a timeout).
  void Show(const nlohmann::json& prompt);
  bool ReadAndAct(const nlohmann::json& prompt);

 private:
  void Act(int64_t id, const Reply& reply);
  // Handles every pushed message already received. False when the input ended.
  Result<bool> DrainEvents(protocol::Client& client);

  Backend& backend_;
  LineReader& input_;
  std::ostream& out_;
  std::ostream& err_;
  Style style_;
  std::set<int64_t> asked_;
  bool had_errors_ = false;
};

}  // namespace brag::cli
