// Where brag's requests go: to bragd over its socket when it runs, else to
// the journal directly (DESIGN §2). Both answer the protocol's methods with
// the same JSON results (docs/protocol.md), so a command formats its output
// from results alone and prints the same either way.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <nlohmann/json.hpp>
#include <string>

#include "config/config.h"
#include "core/result.h"
#include "journal/journal.h"
#include "protocol/client.h"

namespace brag::cli {

// One target of protocol requests. Used by one thread.
class Backend {
 public:
  virtual ~Backend() = default;

  // Runs `method`; its "result" object, or an Error with the protocol's
  // error code.
  virtual Result<nlohmann::json> Call(
      const std::string& method,
      const nlohmann::json& params = nlohmann::json::object()) = 0;

  // The live connection to bragd (for subscriptions), or nullptr when
  // requests go to the journal because bragd is not running.
  virtual protocol::Client* daemon() { return nullptr; }
};

// Runs a listing (method "pending" or "log") page by page: `call` sends
// one request, and while a reply has a "next", the next page is asked for
// with it as "after". Returns the first reply with the `key` arrays of all
// pages in it. A "limit" in `params` counts across the pages.
Result<nlohmann::json> CallAllPages(
    const std::function<Result<nlohmann::json>(const nlohmann::json& params)>& call,
    nlohmann::json params, const char* key);
Result<nlohmann::json> CallAllPages(Backend& backend, const std::string& method,
                                    nlohmann::json params, const char* key);

// bragd over its socket. Owns the connection. Results of a shape brag does
// not expect are errors (cli/reply.h).
class DaemonBackend : public Backend {
 public:
  explicit DaemonBackend(protocol::Client client) : client_(std::move(client)) {}
  Result<nlohmann::json> Call(const std::string& method,
                              const nlohmann::json& params) override;
  protocol::Client* daemon() override { return &client_; }

 private:
  protocol::Client client_;
};

// The journal file, opened by this process while bragd is down. Serves
// every method through the same registry entries as bragd
// (methods/registry.h); those that need bragd answer "unreachable". Owns
// the journal; a null journal means no journal file exists yet (read-only
// use), and every listing is then empty.
class JournalBackend : public Backend {
 public:
  JournalBackend(Config config, std::unique_ptr<Journal> journal);
  Result<nlohmann::json> Call(const std::string& method,
                              const nlohmann::json& params) override;

 private:
  Config config_;
  std::unique_ptr<Journal> journal_;
};

// What a command will do with the journal if bragd is down: only read it
// (opened read-only; a missing file reads as empty), or write it (opened
// read-write, created if need be).
enum class Access { kRead, kWrite };

// Journal::Open, except that an older journal opened to read is upgraded
// first (read-write) instead of refused.
Result<std::unique_ptr<Journal>> OpenJournal(const std::filesystem::path& path,
                                             Journal::Mode mode);

// Files what git's hooks spooled while bragd was away (spool/spool.h) into
// the journal; nothing to do (and no journal opened) when there is none.
Status FileSpooledHooks(const Config& config);

// bragd if it answers on SocketPath(config), else a JournalBackend on
// JournalPath(config) opened for `access`, after FileSpooledHooks. When the
// socket is not this user's own bragd (code "untrusted", protocol/client.h),
// a read fails with that error, while a write goes to the journal directly,
// so that what the user typed is kept and never handed to the other server;
// the reason is then printed on `warnings` as a "brag: warning:" line.
Result<std::unique_ptr<Backend>> OpenBackend(const Config& config, Access access,
                                             std::ostream* warnings = nullptr);

}  // namespace brag::cli
