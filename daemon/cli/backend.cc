#include "cli/backend.h"

#include <filesystem>

#include "cli/reply.h"
#include "core/timeutil.h"
#include "methods/registry.h"
#include "methods/spool_drain.h"

namespace brag::cli {

using nlohmann::json;
namespace fs = std::filesystem;

Result<json> CallAllPages(const std::function<Result<json>(const json& params)>& call,
                          json params, const char* key) {
  Result<json> first = call(params);
  if (!first || !first->is_object() || !(*first)[key].is_array()) return first;
  int64_t limit = params.value("limit", json(0)).is_number_integer()
                      ? params.value("limit", int64_t{0})
                      : 0;
  json& items = (*first)[key];
  json next = first->value("next", json());
  first->erase("next");
  while (next.is_string() && (limit == 0 || static_cast<int64_t>(items.size()) < limit)) {
    params["after"] = next;
    if (limit > 0) params["limit"] = limit - static_cast<int64_t>(items.size());
    Result<json> page = call(params);
    if (!page) return page.error();
    if (!page->is_object() || !(*page)[key].is_array() || (*page)[key].empty()) break;
    for (json& item : (*page)[key]) items.push_back(std::move(item));
    next = page->value("next", json());
  }
  return first;
}

Result<json> CallAllPages(Backend& backend, const std::string& method, json params,
                          const char* key) {
  return CallAllPages([&](const json& p) { return backend.Call(method, p); },
                      std::move(params), key);
}

Result<json> DaemonBackend::Call(const std::string& method, const json& params) {
  Result<json> result = client_.Call(method, params);
  if (!result) return result;
  if (Status s = CheckReply(method, *result); !s) return s.error();
  return result;
}

JournalBackend::JournalBackend(Config config, std::unique_ptr<Journal> journal)
    : config_(std::move(config)), journal_(std::move(journal)) {}

Result<json> JournalBackend::Call(const std::string& method, const json& params) {
  MethodContext context{.journal = journal_.get(), .config = &config_, .now = UnixNow()};
  return CallMethod(method, params, context);
}

Result<std::unique_ptr<Journal>> OpenJournal(const fs::path& path, Journal::Mode mode) {
  Result<std::unique_ptr<Journal>> journal = Journal::Open(path, mode);
  if (!journal && journal.error().code == "needs_upgrade") {
    // A journal from an older brag, read with bragd down: upgraded here, as
    // bragd would (its migrations keep every row).
    journal = Journal::Open(path, Journal::Mode::kReadWrite);
  }
  return journal;
}

Status FileSpool(const Config& config) {
  fs::path journal_path = JournalPath(config);
  if (!spool::HasRecords(spool::SpoolPath(journal_path))) return {};
  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(journal_path, Journal::Mode::kReadWrite);
  if (!journal) return journal.error();
  Result<spool::DrainReport> drained = DrainHookSpool(**journal, journal_path, UnixNow());
  if (!drained) return drained.error();
  return {};
}

Result<std::unique_ptr<Backend>> OpenBackend(const Config& config, Access access,
                                             std::ostream* warnings) {
  Result<protocol::Client> client = protocol::Client::Connect(SocketPath(config));
  if (client) return std::unique_ptr<Backend>(new DaemonBackend(std::move(*client)));
  if (client.error().code == "untrusted" && access == Access::kWrite) {
    if (warnings) {
      *warnings
          << "brag: warning: " << client.error().message
          << " (the socket is not your own bragd's); writing the journal directly\n";
    }
  } else if (client.error().code != "unreachable") {
    return client.error();
  }
  if (Status s = FileSpool(config); !s) return s.error();
  Journal::Mode mode =
      access == Access::kRead ? Journal::Mode::kReadOnly : Journal::Mode::kReadWrite;
  Result<std::unique_ptr<Journal>> journal = OpenJournal(JournalPath(config), mode);
  if (!journal && !(access == Access::kRead && journal.error().code == "not_found")) {
    return journal.error();
  }
  std::unique_ptr<Journal> opened = journal ? std::move(*journal) : nullptr;
  return std::unique_ptr<Backend>(new JournalBackend(config, std::move(opened)));
}

}  // namespace brag::cli
