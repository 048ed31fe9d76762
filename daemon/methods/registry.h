// Every method of docs/protocol.md, registered once (watchman's cmds/): each
// family's file (prompt_methods.cc, journal_methods.cc, repo_methods.cc,
// commit_methods.cc, digest_method.cc, daemon_methods.cc) lists its entries,
// each reading its params through one ParamReader. bragd and a `brag` whose
// bragd is down run the same entries; the daemon supplies the few things
// only it has through DaemonServices, and without it those methods answer
// "needs bragd" (code "unreachable").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "core/result.h"
#include "journal/journal.h"
#include "methods/params.h"

namespace brag {

// Where an answer goes when it comes after the call returned (rescan).
using MethodReply = std::function<void(Result<nlohmann::json>)>;

// The connection a request came on, as far as methods need it.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // From now on, new prompts are pushed to this connection.
  virtual void Subscribe() = 0;
};

// What only a running bragd has. Called on bragd's io thread.
class DaemonServices {
 public:
  virtual ~DaemonServices() = default;
  // The daemon's own fields of "status" (running, version, pid, uptime_s,
  // socket, journal, identities, journal_error, unrecorded_repos).
  virtual nlohmann::json StatusFacts() const = 0;
  // The watched repos as "repos.list" shows them (with "watching").
  virtual nlohmann::json WatchedRepos() const = 0;
  // Watches the repo at `path` (journal source "added"), sets its baseline
  // and returns it as WatchedRepos shows it.
  virtual Result<nlohmann::json> StartWatching(const std::string& path,
                                           const std::string& name) = 0;
  // Stops watching the repo whose journal row (by path) was just removed.
  virtual void StopWatching(const std::string& path) = 0;
  // Scans the watched repo a hook names right after the current reply;
  // false when it is not watched.
  virtual bool ScanSoon(const std::string& repo) = 0;
  // Scans one watched repo (by path or name), or every repo when none is
  // named (taking up new ones of the config first); `done` gets the
  // prompts made, later, on the io thread.
  virtual void Rescan(const std::optional<std::string>& repo,
                      std::function<void(Result<std::vector<Prompt>>)> done) = 0;
  // Re-reads the config; its warnings, or the reason it was refused.
  virtual Result<std::vector<std::string>> Reload() = 0;
  // Tells the subscribers that `prompt` left the pending state (answered,
  // snoozed, dismissed), so that every place showing it drops it.
  virtual void PromptClosed(const Prompt& prompt) = 0;
  // Tells the subscribers that `prompt` waits for an answer again (its
  // answer was removed), as if it were new.
  virtual void PromptReopened(const Prompt& prompt) = 0;
};

// What a method runs against.
struct MethodContext {
  Journal* journal = nullptr;        // null: no journal file yet (reads are empty)
  const Config* config = nullptr;    // null: the built-in defaults
  int64_t now = 0;                   // unix seconds
  DaemonServices* daemon = nullptr;  // null: bragd is down
  Subscriber* subscriber = nullptr;  // null: not a socket connection
};

// One method's request as its entry sees it.
struct MethodCall {
  const ParamReader& params;
  const MethodContext& context;

  const Config& config() const;
  // The journal, or error "journal" when there is no journal file.
  Result<Journal*> journal() const;
};

struct MethodSpec {
  std::string_view name;
  // Answers at once...
  Result<nlohmann::json> (*run)(const MethodCall& call) = nullptr;
  // ...or later, through `reply` (methods that wait for scans).
  void (*run_later)(const MethodCall& call, MethodReply reply) = nullptr;
  // Without bragd the answer is "needs bragd".
  bool needs_daemon = false;
  // Only reads the journal: bragd answers it off its io thread, on a
  // read-only connection (methods/read_worker.h).
  bool read_only = false;
};

// Every method, in the order of docs/protocol.md.
const std::vector<MethodSpec>& AllMethods();
// The entry of `name`, or null.
const MethodSpec* FindMethod(std::string_view name);

// Runs `method` with `params` against `context`; the result, or an Error
// whose code is one of docs/protocol.md, goes to `reply`: before this
// returns, except for a run_later method.
void CallMethod(const std::string& method, const nlohmann::json& params,
                const MethodContext& context, MethodReply reply);
// The same for a caller without an event loop (bragd down, the read
// worker): a method that answers later is refused as needing bragd.
Result<nlohmann::json> CallMethod(const std::string& method, const nlohmann::json& params,
                                  const MethodContext& context);

// Journal errors keep the codes the protocol knows; anything else (SQLite
// trouble, a journal too new) is "journal" as far as a client is concerned.
Error FromJournal(const Error& e);

// The families' entries (one file each).
void AddPromptMethods(std::vector<MethodSpec>& methods);
void AddJournalMethods(std::vector<MethodSpec>& methods);
void AddDigestMethods(std::vector<MethodSpec>& methods);
void AddRepoMethods(std::vector<MethodSpec>& methods);
void AddCommitMethods(std::vector<MethodSpec>& methods);
void AddDaemonMethods(std::vector<MethodSpec>& methods);

}  // namespace brag
