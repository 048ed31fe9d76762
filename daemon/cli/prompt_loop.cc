#include "cli/prompt_loop.h"

#include <errno.h>
#include <poll.h>

#include <algorithm>
#include <string_view>

#include "cli/reply.h"
#include "cli/report.h"

namespace brag::cli {

namespace {

using nlohmann::json;

std::string Trim(const std::string& s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string::npos) return std::string();
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// A string field as sent (Text() makes control characters visible, for
// showing; this is for passing on).
std::string Raw(const json& obj, const char* key) {
  const json& value = Field(obj, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::string Tag(int64_t id) { return "#" + std::to_string(id); }

// "payments abc1234" for a question about a prompt's repo and commit.
std::string Where(const json& prompt) {
  return Text(prompt, "repo_name") + " " + Text(prompt, "commit").substr(0, 7);
}

}  // namespace

// --- replies -----------------------------------------------------------------

Reply ParseReply(const std::string& line, bool can_accept, bool skip_all) {
  std::string text = Trim(line);
  if (text.empty()) return Reply{};
  if (text == "q") return Reply{Reply::Action::kQuit, ""};
  if (text == "s")
    return Reply{skip_all ? Reply::Action::kSkipAll : Reply::Action::kSnooze, ""};
  if (text == "d") return Reply{Reply::Action::kDismiss, ""};
  if (text == "a" && can_accept) return Reply{Reply::Action::kAccept, ""};
  return Reply{Reply::Action::kAnswer, text};
}

bool IsOneCharacter(const std::string& text) {
  size_t chars = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++chars;  // not a continuation
  }
  return chars == 1;
}

json LoggedPrompt(Backend& backend, int64_t id, const std::string& repo) {
  json params = json::object();
  if (!repo.empty()) params["repo"] = repo;
  Result<json> log = CallAllPages(backend, "log", params, "entries");
  if (!log) return json::object();
  for (const json& entry : Field(*log, "entries")) {
    const json& prompt = Field(entry, "prompt");
    if (prompt.is_number_integer() && prompt.get<int64_t>() == id) return entry;
  }
  return json::object();
}

Result<json> FileAsNote(Backend& backend, const std::string& text, const json& prompt) {
  json params{{"text", text}};
  if (std::string repo = Raw(prompt, "repo"); !repo.empty()) params["repo"] = repo;
  if (std::string commit = Raw(prompt, "commit"); !commit.empty()) params["commit"] = commit;
  return backend.Call("note", params);
}

std::string NoteCommand(const std::string& text, const json& prompt) {
  std::string command = "brag note";
  if (std::string repo = Raw(prompt, "repo"); !repo.empty()) {
    command += " --repo " + ShellQuote(repo);
  }
  if (std::string commit = Text(prompt, "commit"); !commit.empty()) {
    command += " --commit " + commit;
  }
  return command + " -- " + ShellQuote(text);
}

// --- PromptLoop --------------------------------------------------------------

Result<bool> PromptLoop::WorkThroughPending() {
  Result<json> pending = CallAllPages(backend_, "pending", json::object(), "prompts");
  if (!pending) return pending.error();
  const json& prompts = Field(*pending, "prompts");
  if (prompts.empty()) out_ << "No prompts waiting.\n" << std::flush;
  for (const json& prompt : prompts) {
    if (Ask(prompt) == Asked::kQuit) return false;
  }
  return true;
}

Asked PromptLoop::Ask(const json& prompt, const std::string& position) {
  int64_t id = Int(prompt, "id");
  ReadEvents();
  if (closed_.contains(id)) return Asked::kNext;  // gone while others were asked
  asked_.insert(id);
  out_ << PromptCard(prompt, style_) << std::flush;
  if (limits_.timeout.count() > 0) {
    deadline_ = std::chrono::steady_clock::now() + limits_.timeout;
    timed_out_ = false;
    position_ = position;
    out_ << Countdown() << "\n" << std::flush;
  }
  const json& notes = Field(prompt, "commit_notes");
  bool can_accept = notes.is_array() && !notes.empty();
  for (;;) {
    LineInput in = ReadFor(id, PromptQuestion(prompt, limits_.skip_all));
    if (in.end != LineInput::End::kLine) {
      std::string typed = Trim(in.text);
      if (in.end == LineInput::End::kCancelled && !timed_out_ && !typed.empty()) {
        out_ << "\n";
        return KeepText(prompt, typed);
      }
      Asked ended = Ended(id, in);
      if (timed_out_ && !typed.empty()) {
        // What was typed when time ran out is not lost either.
        out_ << "To file what you typed: brag answer " << id << " -- "
             << ShellQuote(typed) << "\n"
             << std::flush;
      }
      return ended;
    }
    Reply reply = ParseReply(in.text, can_accept, limits_.skip_all);
    if (reply.action == Reply::Action::kAnswer && IsOneCharacter(reply.text)) {
      Asked ended = Asked::kNext;
      std::optional<bool> sure =
          Confirm(id, "File \"" + reply.text + "\" as the note for " + Tag(id) + "?",
                  false, &ended);
      if (!sure) return ended;
      if (!*sure) {
        out_ << style_.Paint("not filed; type the note again", Tone::kDim) << "\n";
        continue;
      }
    }
    if (reply.action == Reply::Action::kAnswer) input_.Remember(reply.text);
    return Act(prompt, reply);
  }
}

std::string PromptLoop::Countdown() const {
  auto left = std::chrono::duration_cast<std::chrono::seconds>(
      deadline_ - std::chrono::steady_clock::now() + std::chrono::milliseconds(999));
  std::string text =
      "(skipping in " + std::to_string(std::max<int64_t>(0, left.count())) + "s)";
  if (!position_.empty()) text = position_ + " " + text;
  return style_.Paint(text, Tone::kDim);
}

LineInput PromptLoop::ReadFor(int64_t id, const std::string& question) {
  ReadWatch watch;
  if (protocol::Client* client = backend_.daemon(); client && !daemon_gone_) {
    watch.fd = client->fd();
    watch.on_readable = [this, id] {
      ReadEvents();
      return closed_.contains(id);
    };
  }
  if (limits_.timeout.count() > 0) {
    watch.tick = std::chrono::seconds(1);
    watch.on_tick = [this] {
      if (std::chrono::steady_clock::now() >= deadline_) {
        timed_out_ = true;
        return true;
      }
      // The line above the question: save the cursor (ESC 7), up one,
      // rewrite, restore it (ESC 8). Not once typing started: a long line
      // may have wrapped.
      if (input_.has_typed()) return false;
      out_ << "\0337\033[1A\r" << Countdown() << "\033[K\0338" << std::flush;
      return false;
    };
    if (std::chrono::steady_clock::now() >= deadline_) {
      timed_out_ = true;
      return {LineInput::End::kCancelled, ""};
    }
  }
  return input_.Read(question, watch);
}

Asked PromptLoop::Ended(int64_t id, const LineInput& in) {
  out_ << "\n";
  if (in.end == LineInput::End::kEof || g_interrupted) {
    out_ << "Quit: nothing filed for " << Tag(id) << " (still pending).\n"
         << std::flush;
    return Asked::kQuit;
  }
  if (timed_out_) {
    out_ << "brag: left pending (see brag pending)\n" << std::flush;
    return Asked::kTimedOut;
  }
  out_ << style_.Paint(ClosedElsewhere(id), Tone::kDim) << "\n" << std::flush;
  return Asked::kNext;
}

std::string PromptLoop::ClosedElsewhere(int64_t id) const {
  auto it = closed_.find(id);
  std::string state =
      it == closed_.end() || it->second.empty() ? "answered" : it->second;
  return Tag(id) + " was " + state + " elsewhere";
}

std::optional<bool> PromptLoop::Confirm(int64_t id, const std::string& question,
                                        bool yes, Asked* ended) {
  LineInput in = ReadFor(id, question + (yes ? " [Y/n] " : " [y/N] "));
  if (in.end != LineInput::End::kLine) {
    *ended = Ended(id, in);
    return std::nullopt;
  }
  std::string word = Trim(in.text);
  if (word.empty()) return yes;
  return word == "y" || word == "Y" || word == "yes";
}

Asked PromptLoop::Act(const json& prompt, const Reply& reply) {
  int64_t id = Int(prompt, "id");
  Result<json> done = json::object();
  std::string said;
  switch (reply.action) {
    case Reply::Action::kQuit:
      out_ << "Quit: nothing filed for " << Tag(id) << " (still pending).\n"
           << std::flush;
      return Asked::kQuit;
    case Reply::Action::kSkipAll:
      out_ << style_.Paint("skipped the rest (still pending; see brag pending)",
                           Tone::kDim)
           << "\n"
           << std::flush;
      return Asked::kSkipAll;
    case Reply::Action::kSkip:
      out_ << style_.Paint("skipped (still pending)", Tone::kDim) << "\n";
      return Asked::kNext;
    case Reply::Action::kAnswer:
      done = backend_.Call("answer", {{"prompt", id}, {"note", reply.text}});
      if (!done && done.error().code == "conflict") return KeepText(prompt, reply.text);
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
    if (done.error().code == "conflict") {
      // Closed elsewhere meanwhile: nothing of the user's is lost.
      out_ << Tag(id) << " was answered elsewhere; nothing changed.\n" << std::flush;
      return Asked::kNext;
    }
    had_errors_ = true;
    ReportError(err_, done.error());
    return Asked::kNext;
  }
  out_ << style_.Paint(said, Tone::kGreen) << "\n" << std::flush;
  return Asked::kNext;
}

Asked PromptLoop::KeepText(const json& prompt, const std::string& text) {
  int64_t id = Int(prompt, "id");
  closed_.try_emplace(id, "answered");  // a conflict says as much
  std::string theirs;
  if (closed_[id] == "answered") {
    theirs = Text(LoggedPrompt(backend_, id, Raw(prompt, "repo")), "note");
  }
  out_ << ClosedElsewhere(id)
       << (theirs.empty() ? std::string() : ", with \"" + theirs + "\"")
       << "; yours was not filed.\n"
       << std::flush;
  bool file = false;
  if (input_.is_terminal()) {
    Asked ended = Asked::kNext;
    std::optional<bool> yes = Confirm(
        id, "File \"" + text + "\" as a separate note on " + Where(prompt) + "?", true,
        &ended);
    if (!yes) {
      out_ << "To file it later: " << NoteCommand(text, prompt) << "\n" << std::flush;
      return ended;
    }
    file = *yes;
  }
  if (!file) {
    out_ << "To file it as a note of its own: " << NoteCommand(text, prompt) << "\n"
         << std::flush;
    return Asked::kNext;
  }
  Result<json> note = FileAsNote(backend_, text, prompt);
  if (!note) {
    had_errors_ = true;
    ReportError(err_, note.error());
    out_ << "To file it later: " << NoteCommand(text, prompt) << "\n" << std::flush;
    return Asked::kNext;
  }
  out_ << style_.Paint("noted (a note of its own)", Tone::kGreen) << "\n" << std::flush;
  return Asked::kNext;
}

void PromptLoop::ReadEvents() {
  protocol::Client* client = backend_.daemon();
  if (!client || daemon_gone_) return;
  for (;;) {
    Result<json> event = client->NextEvent(0);
    if (!event) {
      if (event.error().code != "timeout") daemon_gone_ = true;
      return;
    }
    const json& name = Field(*event, "event");
    const json& data = Field(*event, "data");
    if (name == "prompt_closed") {
      closed_[Int(data, "id")] = Text(data, "state");
    } else if (name == "prompt") {
      if (CheckPushedPrompt(data)) backlog_.push_back(data);
    }
  }
}

Result<bool> PromptLoop::DrainEvents() {
  ReadEvents();
  while (!backlog_.empty()) {
    json prompt = std::move(backlog_.front());
    backlog_.pop_front();
    int64_t id = Int(prompt, "id");
    if (asked_.contains(id) || closed_.contains(id)) continue;
    if (Ask(prompt) == Asked::kQuit) return false;
  }
  if (daemon_gone_) return MakeError("unreachable", "bragd went away");
  return true;
}

Status PromptLoop::WaitForNew() {
  protocol::Client* client = backend_.daemon();
  if (!client) return MakeError("unreachable", "bragd is not running");
  out_ << style_.Paint("Waiting for new prompts (Ctrl-D or Ctrl-C to stop)...",
                       Tone::kDim)
       << "\n"
       << std::flush;
  while (!g_interrupted) {
    Result<bool> more = DrainEvents();
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
