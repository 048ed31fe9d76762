// The methods of bragd itself: hello, status, subscribe, rescan, nudge,
// reload. Only `status` has an answer without bragd ("running": false);
// the others need it.
#include <unistd.h>

#include "methods/identities.h"
#include "methods/registry.h"
#include "protocol/json_records.h"
#include "protocol/message.h"

namespace brag {
namespace {

using nlohmann::json;

Result<json> Hello(const MethodCall&) {
  return json{{"name", "bragd"},
              {"version", BRAG_VERSION},
              {"protocol", protocol::kVersion},
              {"pid", ::getpid()}};
}

Result<json> StatusMethod(const MethodCall& c) {
  const Config& config = c.config();
  json status{{"running", false},
              {"socket_activated", false},
              {"socket", SocketPath(config).string()},
              {"journal", JournalPath(config).string()},
              {"config", config.source.empty() ? json(nullptr) : json(config.source.string())},
              {"pending", 0},
              {"repos", json::array()}};
  if (c.context.journal) {
    Result<int64_t> pending = c.context.journal->prompts().PendingCount(c.context.now);
    if (!pending) return FromJournal(pending.error());
    status["pending"] = *pending;
  }
  if (c.context.daemon) {
    status.update(c.context.daemon->StatusFacts());
  } else {
    status["identities"] = IdentitiesOf(config);
  }
  Result<json> repos = FindMethod("repos.list")->run(c);
  if (!repos) return repos.error();
  status["repos"] = std::move((*repos)["repos"]);
  return status;
}

Result<json> Subscribe(const MethodCall& c) {
  if (!c.context.subscriber) {
    return MakeError("bad_request", "subscribe: only a socket connection can subscribe");
  }
  c.context.subscriber->Subscribe();
  return json{{"subscribed", true}};
}

void Rescan(const MethodCall& c, MethodReply reply) {
  Result<std::optional<std::string>> repo =
      c.params.OptionalString("repo", "a repo path or name (a string)");
  if (!repo) return reply(repo.error());
  c.context.daemon->Rescan(*repo, [reply](Result<std::vector<Prompt>> made) {
    if (!made) return reply(made.error());
    json prompts = json::array();
    for (const Prompt& p : *made) prompts.push_back(PromptJson(p));
    reply(json{{"prompts", prompts}});
  });
}

Result<json> Nudge(const MethodCall& c) {
  Result<std::string> repo = c.params.String("repo", "a repo path (a string)");
  if (!repo) return repo.error();
  // Scanned after this reply: the hook that sent it must not wait for it.
  return json{{"queued", c.context.daemon->ScanSoon(*repo)}};
}

Result<json> Reload(const MethodCall& c) {
  Result<std::vector<std::string>> warnings = c.context.daemon->Reload();
  if (!warnings) return MakeError("config", warnings.error().message);
  return json{{"reloaded", true}, {"warnings", *warnings}};
}

}  // namespace

void AddDaemonMethods(std::vector<MethodSpec>& methods) {
  methods.push_back({.name = "hello", .run = &Hello, .needs_daemon = true});
  methods.push_back({.name = "status", .run = &StatusMethod});
  methods.push_back({.name = "subscribe", .run = &Subscribe, .needs_daemon = true});
  methods.push_back({.name = "rescan", .run_later = &Rescan, .needs_daemon = true});
  methods.push_back({.name = "nudge", .run = &Nudge, .needs_daemon = true});
  methods.push_back({.name = "reload", .run = &Reload, .needs_daemon = true});
}

}  // namespace brag
