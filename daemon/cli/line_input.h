// Where `brag prompt` and the inline question after a pull read their
// answers: a terminal gets libedit (arrow keys, history), anything else plain
// lines. Either way, a read can watch a second descriptor (bragd's socket) and
// a clock, and be called off by them with what was typed so far kept.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace brag::cli {

// Set by the SIGINT handler that InstallInterruptHandler() installs.
extern volatile std::sig_atomic_t g_interrupted;

// SIGINT sets g_interrupted and interrupts blocking reads and polls (no
// SA_RESTART), so the loop can end cleanly.
void InstallInterruptHandler();

// What a read keeps an eye on besides the input. Each callback returns true
// to call the read off.
struct ReadWatch {
  int fd = -1;                        // -1: none
  std::function<bool()> on_readable;  // `fd` has something to read
  std::chrono::milliseconds tick{0};  // 0: no clock
  std::function<bool()> on_tick;      // every `tick` while waiting
};

// Waits until `fd` is readable (true) or `watch` calls the wait off (false);
// false on SIGINT too.
bool WaitReadable(int fd, const ReadWatch& watch);

// Reads lines from a file descriptor with read(2) and its own buffer (no
// stdio), so that poll(2) on the descriptor tells whether input is waiting.
// Does not own the descriptor.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  int fd() const { return fd_; }
  // Blocks until a whole line is read; it comes without its "\n" (or "\r\n").
  // A last line without a newline counts. nullopt at EOF, on SIGINT or when
  // `watch` calls the read off (then cancelled() is true).
  std::optional<std::string> Read(const ReadWatch& watch = {});
  bool cancelled() const { return cancelled_; }
  // Reads what is available now (call after poll() says readable) and drops
  // it: input typed while nothing is asked. False at EOF or on SIGINT.
  bool Discard();

 private:
  // One read(2) into the buffer; false at EOF, on error, on SIGINT or when
  // the watch calls it off.
  bool Fill(const ReadWatch& watch);

  int fd_;
  std::string buf_;
  bool eof_ = false;
  bool cancelled_ = false;
};

// How a read ended.
struct LineInput {
  enum class End { kLine, kEof, kCancelled };
  End end = End::kEof;
  // kLine: the line, without its newline; kCancelled: what was typed so far.
  std::string text;
};

// One source of typed lines. One thread.
class LineSource {
 public:
  virtual ~LineSource() = default;
  // Shows `prompt` (one line, no newline) and reads a line.
  virtual LineInput Read(const std::string& prompt, const ReadWatch& watch = {}) = 0;
  // Keeps `line` for the arrow keys of later reads (and the history file).
  virtual void Remember(const std::string& line) = 0;
  // Whether part of a line is typed but not entered (during a read).
  virtual bool has_typed() const = 0;
  // Whether a person types here (then a question may wait for a second line).
  virtual bool is_terminal() const = 0;
  // The descriptor read, for a caller that polls it between reads.
  virtual int fd() const = 0;
  // Reads what can be read now and drops it (input typed while nothing is
  // asked). False at EOF or on SIGINT.
  virtual bool Discard() = 0;
};

// Lines from a pipe or file, through LineReader; the prompt is written to
// `out`. Borrows both.
std::unique_ptr<LineSource> PlainLines(LineReader& reader, std::ostream& out);

// libedit on the terminal at `fd`, echoing on `out` (stdout's FILE, which
// std::cout shares); history kept in
// `history` (created 0600, at most kHistoryLines lines; empty: none).
// Null when libedit cannot run there.
inline constexpr int kHistoryLines = 500;
std::unique_ptr<LineSource> EditedLines(int fd, std::FILE* out,
                                        const std::filesystem::path& history);

// The terminal's own escape sequences (CSI and SS3 keys, other ESC pairs) and
// other control characters taken out of a typed line: what is left is what
// the user meant as text. Tabs become spaces.
std::string StripTerminalInput(const std::string& line);

// Where `brag prompt` keeps its line history: DefaultStateDir()/prompt_history.
std::filesystem::path PromptHistoryPath();

}  // namespace brag::cli
