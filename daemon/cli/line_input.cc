#include "cli/line_input.h"

#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <clocale>
#include <cwchar>

#include "core/paths.h"

namespace brag::cli {

volatile std::sig_atomic_t g_interrupted = 0;

namespace {

void OnInterrupt(int) { g_interrupted = 1; }

bool IsUtf8(const char* locale) {
  if (!locale) return false;
  std::string name(locale);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name.find("utf-8") != std::string::npos || name.find("utf8") != std::string::npos;
}

// Plain lines: LineReader, the prompt written before each read.
class PlainSource : public LineSource {
 public:
  PlainSource(LineReader& reader, std::ostream& out) : reader_(reader), out_(out) {}

  LineInput Read(const std::string& prompt, const ReadWatch& watch) override {
    out_ << prompt << std::flush;
    std::optional<std::string> line = reader_.Read(watch);
    if (line) return {LineInput::End::kLine, StripTerminalInput(*line)};
    if (reader_.cancelled()) return {LineInput::End::kCancelled, ""};
    return {LineInput::End::kEof, ""};
  }
  void Remember(const std::string&) override {}
  bool has_typed() const override { return false; }
  bool is_terminal() const override { return false; }
  int fd() const override { return reader_.fd(); }
  bool Discard() override { return reader_.Discard(); }

 private:
  LineReader& reader_;
  std::ostream& out_;
};

struct EditLineDeleter {
  void operator()(EditLine* e) const { el_end(e); }
};
struct HistoryDeleter {
  void operator()(History* h) const { history_end(h); }
};
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// libedit on a terminal. Reads the terminal itself (EL_GETCFN) so that a
// read can watch bragd's socket and a clock as well.
class EditSource : public LineSource {
 public:
  static std::unique_ptr<EditSource> Open(int fd, std::FILE* out,
                                          const std::filesystem::path& history) {
    // libedit decodes and echoes characters by LC_CTYPE: a UTF-8 one, so
    // that "é" or "→" typed at the prompt are kept, even under LANG=C.
    if (!IsUtf8(std::setlocale(LC_CTYPE, ""))) std::setlocale(LC_CTYPE, "C.UTF-8");
    int copy = ::dup(fd);
    if (copy < 0) return nullptr;
    std::unique_ptr<std::FILE, FileCloser> in(::fdopen(copy, "r"));
    if (!in) {
      ::close(copy);
      return nullptr;
    }
    std::unique_ptr<EditLine, EditLineDeleter> el(
        el_init("brag", in.get(), out, stderr));
    if (!el) return nullptr;
    std::unique_ptr<EditSource> self(new EditSource(fd, history));
    self->in_ = std::move(in);
    self->el_ = std::move(el);
    self->history_.reset(history_init());
    if (!self->history_) return nullptr;
    HistEvent ev;
    ::history(self->history_.get(), &ev, H_SETSIZE, kHistoryLines);
    ::history(self->history_.get(), &ev, H_SETUNIQUE, 1);
    if (!history.empty()) ::history(self->history_.get(), &ev, H_LOAD, history.c_str());
    EditLine* e = self->el_.get();
    el_set(e, EL_CLIENTDATA, self.get());
    el_set(e, EL_EDITOR, "emacs");
    el_set(e, EL_PROMPT, &EditSource::PromptOf);
    el_set(e, EL_HIST, ::history, self->history_.get());
    el_set(e, EL_GETCFN, &EditSource::GetChar);
    return self;
  }

  LineInput Read(const std::string& prompt, const ReadWatch& watch) override {
    prompt_ = prompt;
    watch_ = &watch;
    cancelled_ = false;
    typed_.clear();
    mb_ = std::mbstate_t{};
    std::fflush(nullptr);  // what std::cout holds goes out before the prompt
    int count = 0;
    const char* line = el_gets(el_.get(), &count);
    watch_ = nullptr;
    if (cancelled_) return {LineInput::End::kCancelled, StripTerminalInput(typed_)};
    if (!line || count <= 0) return {LineInput::End::kEof, ""};
    return {LineInput::End::kLine, StripTerminalInput(std::string(line, count))};
  }

  void Remember(const std::string& line) override {
    HistEvent ev;
    ::history(history_.get(), &ev, H_ENTER, line.c_str());
    if (history_path_.empty()) return;
    // Created 0600 before libedit writes it: notes may be private.
    std::error_code ec;
    std::filesystem::create_directories(history_path_.parent_path(), ec);
    int f = ::open(history_path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (f < 0) return;
    ::fchmod(f, 0600);
    ::close(f);
    ::history(history_.get(), &ev, H_SAVE, history_path_.c_str());
  }

  bool has_typed() const override {
    const LineInfo* line = el_line(el_.get());
    return line && line->lastchar != line->buffer;
  }
  bool is_terminal() const override { return true; }
  int fd() const override { return fd_; }

  bool Discard() override {
    char chunk[4096];
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    return n > 0 || (n < 0 && errno == EINTR && !g_interrupted);
  }

 private:
  EditSource(int fd, std::filesystem::path history)
      : fd_(fd), history_path_(std::move(history)) {}

  static EditSource* Of(EditLine* e) {
    void* data = nullptr;
    el_get(e, EL_CLIENTDATA, &data);
    return static_cast<EditSource*>(data);
  }

  static char* PromptOf(EditLine* e) { return Of(e)->prompt_.data(); }

  // One character for libedit, decoded from the terminal's bytes; -1 when
  // the watch calls the read off or on SIGINT, 0 at EOF.
  static int GetChar(EditLine* e, wchar_t* wc) {
    EditSource* self = Of(e);
    static const ReadWatch kNone;
    for (;;) {
      if (!WaitReadable(self->fd_, self->watch_ ? *self->watch_ : kNone)) {
        if (!g_interrupted) {
          self->cancelled_ = true;
          const LineInfo* line = el_line(e);
          self->typed_.assign(line->buffer, line->lastchar);
        }
        return -1;
      }
      char byte;
      ssize_t n = ::read(self->fd_, &byte, 1);
      if (n == 0) return 0;
      if (n < 0) {
        if (errno == EINTR && !g_interrupted) continue;
        return -1;
      }
      size_t used = std::mbrtowc(wc, &byte, 1, &self->mb_);
      if (used == static_cast<size_t>(-2)) continue;  // more bytes to come
      if (used == static_cast<size_t>(-1)) {          // not in this locale
        self->mb_ = std::mbstate_t{};
        continue;
      }
      return 1;
    }
  }

  int fd_;
  std::filesystem::path history_path_;
  // Destroyed in reverse: the editor first, then its history and its input.
  std::unique_ptr<std::FILE, FileCloser> in_;
  std::unique_ptr<History, HistoryDeleter> history_;
  std::unique_ptr<EditLine, EditLineDeleter> el_;
  std::string prompt_;
  const ReadWatch* watch_ = nullptr;
  bool cancelled_ = false;
  std::string typed_;
  std::mbstate_t mb_{};
};

}  // namespace

void InstallInterruptHandler() {
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read or poll returns EINTR
  sigaction(SIGINT, &sa, nullptr);
}

bool WaitReadable(int fd, const ReadWatch& watch) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point next_tick = Clock::now() + watch.tick;
  bool watching = watch.fd >= 0;
  for (;;) {
    if (g_interrupted) return false;
    pollfd fds[2] = {{fd, POLLIN, 0}, {watch.fd, POLLIN, 0}};
    int timeout = -1;
    if (watch.tick.count() > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_tick -
                                                                        Clock::now());
      timeout = left.count() < 0 ? 0 : static_cast<int>(left.count());
    }
    int n = ::poll(fds, watching ? 2 : 1, timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      return true;  // the read that follows reports it
    }
    if (n == 0) {
      next_tick += watch.tick;
      if (watch.on_tick && watch.on_tick()) return false;
      continue;
    }
    if (watching && fds[1].revents != 0) {
      if (watch.on_readable && watch.on_readable()) return false;
      // A socket that hung up stays "readable": stop looking at it.
      if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL)) watching = false;
    }
    if (fds[0].revents != 0) return true;
  }
}

// --- LineReader --------------------------------------------------------------

bool LineReader::Fill(const ReadWatch& watch) {
  if (eof_ || g_interrupted) return false;
  if (watch.fd >= 0 || watch.tick.count() > 0) {
    if (!WaitReadable(fd_, watch)) {
      cancelled_ = !g_interrupted;
      return false;
    }
  }
  char chunk[4096];
  ssize_t n = ::read(fd_, chunk, sizeof chunk);
  if (n < 0 && errno == EINTR && !g_interrupted) return true;
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buf_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<std::string> LineReader::Read(const ReadWatch& watch) {
  cancelled_ = false;
  for (;;) {
    if (size_t nl = buf_.find('\n'); nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (!Fill(watch)) break;
  }
  // Called off: what was typed of the line stays for the next read.
  if (g_interrupted || cancelled_ || buf_.empty()) return std::nullopt;
  std::string last = std::move(buf_);
  buf_.clear();
  return last;
}

bool LineReader::Discard() {
  bool more = Fill(ReadWatch{});
  buf_.clear();
  return more;
}

// --- sources -----------------------------------------------------------------

std::unique_ptr<LineSource> PlainLines(LineReader& reader, std::ostream& out) {
  return std::make_unique<PlainSource>(reader, out);
}

std::unique_ptr<LineSource> EditedLines(int fd, std::FILE* out,
                                        const std::filesystem::path& history) {
  if (!::isatty(fd) || !out || !::isatty(::fileno(out))) return nullptr;
  return EditSource::Open(fd, out, history);
}

std::string StripTerminalInput(const std::string& line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == 0x1b) {
      if (i + 1 >= line.size()) break;
      char kind = line[++i];
      if (kind == '[') {  // CSI: parameters and intermediates, then a final byte
        while (i + 1 < line.size() && !(line[i + 1] >= 0x40 && line[i + 1] <= 0x7e)) {
          ++i;
        }
        ++i;
      } else if (kind == 'O') {  // SS3: one more byte (F1-F4, keypad arrows)
        ++i;
      }
      continue;
    }
    if (c == '\t') {
      out += ' ';
    } else if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::filesystem::path PromptHistoryPath() {
  return DefaultStateDir() / "prompt_history";
}

}  // namespace brag::cli
