#include "server/notifier.h"

#include <spawn.h>

#include <cstdlib>

#include "core/bounded_text.h"
#include "core/log.h"
#include "protocol/json_records.h"
#include "protocol/message.h"
#include "server/session.h"

extern char** environ;

namespace brag {

namespace {

// One log line per prompt, of bounded length whatever the repo put in it.
std::string Describe(const Prompt& p) {
  constexpr size_t kMaxLoggedTitleBytes = 200;
  constexpr size_t kMaxLoggedNameBytes = 100;
  std::string what = p.event.pr > 0 ? "PR #" + std::to_string(p.event.pr)
                                    : std::string("merge");
  return "prompt " + std::to_string(p.id) + ": " +
         CapUtf8(p.repo_name, kMaxLoggedNameBytes) + " " + what + " \"" +
         CapUtf8(p.event.title, kMaxLoggedTitleBytes) + "\" (" +
         CapUtf8(p.event.forge, kMaxLoggedNameBytes) + ")";
}

}  // namespace

Notifier::Notifier(const Config& config) : config_(config) {}

void Notifier::Subscribe(Session& session) {
  subscribers_[&session] = session.weak_from_this();
}

void Notifier::Publish(const std::vector<Prompt>& prompts) {
  for (const Prompt& p : prompts) {
    LogInfo(Describe(p));
    Push(protocol::EventLine("prompt", PromptJson(p)));
    std::string summary = "brag: " + p.repo_name + " " +
                          (p.event.pr > 0 ? "#" + std::to_string(p.event.pr)
                                          : std::string("merge")) +
                          " landed";
    NotifyDesktop(config_, summary, p.event.title + "\nWhat was the impact? brag prompt");
  }
}

void Notifier::PublishClosed(const Prompt& prompt) {
  Push(protocol::EventLine(
      "prompt_closed",
      {{"id", prompt.id}, {"state", std::string(ToString(prompt.state))}}));
}

void Notifier::Push(const std::string& line) {
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    // Pushing may cut a subscriber off, which leaves this map alone.
    if (std::shared_ptr<Session> s = it->second.lock()) {
      s->PushEvent(line);
      ++it;
    } else {
      it = subscribers_.erase(it);
    }
  }
}

void NotifyDesktop(const Config& config, const std::string& summary,
                   const std::string& body) {
  // Only where a session bus exists; never block.
  if (!config.notify || !std::getenv("DBUS_SESSION_BUS_ADDRESS")) return;
  const char* argv[] = {"notify-send", "--app-name=brag", summary.c_str(), body.c_str(),
                        nullptr};
  pid_t pid;
  // Reaped by the SIGCHLD-ignoring disposition set in main.
  (void)posix_spawnp(&pid, "notify-send", nullptr, nullptr,
                     const_cast<char* const*>(argv), environ);
}

}  // namespace brag
