// Tells the user about new prompts: each is logged, pushed as a "prompt"
// event to every session that subscribed (docs/protocol.md), and shown on
// the desktop with notify-send when [general] notify allows. A prompt that
// leaves the pending state is pushed as "prompt_closed". Owns the list
// of subscribed sessions, not the sessions. io thread only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/records.h"

namespace brag {

class Session;

class Notifier {
 public:
  // `config` must outlive the notifier; a reload that changes it in place
  // is seen at the next prompt.
  explicit Notifier(const Config& config);

  // From now on `session` gets every published prompt, until it closes.
  void Subscribe(Session& session);
  void Publish(const std::vector<Prompt>& prompts);
  // Pushes a "prompt_closed" event: `prompt` is no longer pending.
  void PublishClosed(const Prompt& prompt);

 private:
  // Pushes `line` to every subscriber still connected.
  void Push(const std::string& line);

  const Config& config_;
  // Keyed by address so that subscribing twice pushes once; an entry whose
  // session has gone is skipped and dropped.
  std::map<Session*, std::weak_ptr<Session>> subscribers_;
};

// Runs `notify-send` without waiting for it, when `config.notify` is on and
// there is a desktop session bus; otherwise does nothing.
void NotifyDesktop(const Config& config, const std::string& summary,
                   const std::string& body);

}  // namespace brag
