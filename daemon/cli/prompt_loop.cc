#include "cli/prompt_loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <string_view>

#include "cli/reply.h"
#include "cli/report.h"

namespace brag::cli {

volatile std::sig_atomic_t g_interrupted = 0;

namespace {

using nlohmann::json;

void OnInterrupt(int) { g_interrupted = 1; }

std::string Trim(const std::string& s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string::npos) return std::string();
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

}  // namespace

void InstallInterruptHandler() {
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read or poll returns EINTR
  sigaction(SIGINT, &sa, nullptr);
}

// --- LineReader --------------------------------------------------------------

bool LineReader::Fill() {
  if (eof_ || g_interrupted) return false;
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

std::optional<std::string> LineReader::Read() {
  for (;;) {
    if (size_t nl = buf_.find('\n'); nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (!Fill()) break;
  }
  if (g_interrupted || buf_.empty()) return std::nullopt;
  std::string last = std::move(buf_);
  buf_.clear();
  return last;
}

bool LineReader::Discard() {
  bool more = Fill();
  buf_.clear();
  return more;
}

// --- replies -----------------------------------------------------------------

Reply ParseReply(const std::string& line, bool can_accept) {
  std::string text = Trim(line);
  if (text.empty()) return Reply{};
  if (text == "s") return Reply{Reply::Action::kSnooze, ""};
  if (text == "d") return Reply{Reply::Action::kDismiss, ""};
  if (text == "a" && can_accept) return Reply{Reply::Action::kAccept, ""};
  return Reply{Reply::Action::kAnswer, text};
}

// --- PromptLoop --------------------------------------------------------------

Result<bool> PromptLoop::WorkThroughPending() {
  Result<json> pending = CallAllPages(backend_, "pending", json::object(), "prompts");
  if (!pending) return pending.error();
  const json& prompts = Field(*pending, "prompts");
  if (prompts.empty()) out_ << "No prompts waiting.\n" << std::flush;
  for (const json& prompt : prompts) {
    if (!Ask(prompt)) return false;
  }
  return true;
}

bool PromptLoop::Ask(const json& prompt) {
  Show(prompt);
  return ReadAndAct(prompt);
}

void PromptLoop::Show(const json& prompt) {
  asked_.insert(Int(prompt, "id"));
  out_ << PromptCard(prompt, style_) << PromptQuestion(prompt) << std::flush;
}

bool PromptLoop::ReadAndAct(const json& prompt) {
  int64_t id = Int(prompt, "id");
  std::optional<std::string> line = input_.Read();
  if (!line) {
    out_ << "\n" << std::flush;
    return false;
  }
  const json& notes = Field(prompt, "commit_notes");
  Act(id, ParseReply(*line, notes.is_array() && !notes.empty()));
  return true;
}

void PromptLoop::Act(int64_t id, const Reply& reply) {
  Result<json> done = json::object();
  std::string said;
  switch (reply.action) {
    case Reply::Action::kSkip:
      out_ << style_.Paint("skipped (still pending)", Tone::kDim) << "\n";
      return;
    case Reply::Action::kAnswer:
      done = backend_.Call("answer", {{"prompt", id}, {"note", reply.text}});
      said = "noted";
      break;
    case Reply::Action::kAccept:
      done = backend_.Call("answer", {{"prompt", id}, {"accept", true}});
      said = "noted (from your commits)";
      break;
    case Reply::Action::kSnooze:
      done = backend_.Call("snooze", {{"prompt", id}, {"until", "1d"}});
      if (done)
        said = "snoozed until " +
               LocalDateTime(Field(Field(*done, "prompt"), "snoozed_until"));
      break;
    case Reply::Action::kDismiss:
      done = backend_.Call("dismiss", {{"prompt", id}});
      said = "dismissed";
      break;
  }
  if (!done) {
    had_errors_ = true;
    ReportError(err_, done.error());
    return;
  }
  out_ << style_.Paint(said, Tone::kGreen) << "\n" << std::flush;
}

Result<bool> PromptLoop::DrainEvents(protocol::Client& client) {
  for (;;) {
    Result<json> event = client.NextEvent(0);
    if (!event) {
      if (event.error().code == "timeout") return true;
      return event.error();
    }
    if (Field(*event, "event") != "prompt") continue;
    const json& prompt = Field(*event, "data");
    if (Status s = CheckPushedPrompt(prompt); !s) return s.error();
    if (asked_.contains(Int(prompt, "id"))) continue;
    if (!Ask(prompt)) return false;
  }
}

Status PromptLoop::WaitForNew() {
  protocol::Client* client = backend_.daemon();
  if (!client) return MakeError("unreachable", "bragd is not running");
  out_ << style_.Paint("Waiting for new prompts (Ctrl-D or Ctrl-C to stop)...",
                       Tone::kDim)
       << "\n"
       << std::flush;
  while (!g_interrupted) {
    Result<bool> more = DrainEvents(*client);
    if (!more) return more.error();
    if (!*more) return {};
    pollfd fds[2] = {{client->fd(), POLLIN, 0}, {input_.fd(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return MakeError("internal", "poll failed");
    }
    if (fds[1].revents != 0 && !input_.Discard()) return {};
  }
  return {};
}

}  // namespace brag::cli
