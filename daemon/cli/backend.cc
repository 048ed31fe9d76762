#include "cli/backend.h"

#include <filesystem>
#include <system_error>

#include "core/timeutil.h"
#include "git/repo.h"
#include "methods/journal_methods.h"
#include "methods/spool_drain.h"
#include "protocol/json_records.h"

namespace brag::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

Result<std::string> StringParam(const json& params, const std::string& method,
                                const char* name) {
  auto it = params.find(name);
  if (it == params.end() || !it->is_string()) {
    return MakeError("bad_request",
                     method + " needs a string \"" + std::string(name) + "\"");
  }
  return it->get<std::string>();
}

// Whose work counts, as bragd would say: the configured emails, else git's.
json Identities(const Config& config) {
  if (!config.identity_emails.empty()) return config.identity_emails;
  json out = json::array();
  if (std::optional<std::string> email = git::GlobalUserEmail()) out.push_back(*email);
  return out;
}

// The folder a repo path names, checked the way bragd checks it, so that a
// repo added while bragd is down is one it can watch when it starts.
Result<fs::path> RepoDisplayPath(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return MakeError("not_found", path + ": no such file or directory");
  }
  git::EnsureInit();
  Result<git::Repo> repo = git::Repo::Open(path);
  if (!repo) {
    if (repo.error().code == "not_found") {
      return MakeError("not_found", path + " is not a git repository");
    }
    return repo.error();
  }
  return repo->DisplayPath();
}

// The journal row key for a repo named by the user: a watched repo's path
// or name as stored, else the canonical form of an existing path.
Result<std::string> RepoKey(Journal& journal, const std::string& repo) {
  Result<std::optional<RepoRecord>> found = journal.FindRepo(repo);
  if (!found) return found.error();
  if (*found) return (*found)->path;
  std::error_code ec;
  fs::path canonical = fs::canonical(repo, ec);
  return ec ? repo : canonical.string();
}

}  // namespace

Result<json> DaemonBackend::Call(const std::string& method, const json& params) {
  return client_.Call(method, params);
}

JournalBackend::JournalBackend(Config config, std::unique_ptr<Journal> journal)
    : config_(std::move(config)), journal_(std::move(journal)) {}

Result<json> JournalBackend::Call(const std::string& method, const json& params) {
  if (method == "status") return Status();
  if (!journal_) return WithoutJournal(method);
  if (method == "repos.add") return AddRepo(params);
  if (method == "repos.remove") return RemoveRepo(params);
  if (IsJournalMethod(method)) {
    return CallJournalMethod(*journal_, method, params, UnixNow(), &config_);
  }
  return MakeError("unreachable",
                   "bragd is not running (\"" + method + "\" needs it; start bragd)");
}

Result<json> JournalBackend::WithoutJournal(const std::string& method) const {
  if (method == "pending") return json{{"prompts", json::array()}};
  if (method == "log") return json{{"entries", json::array()}};
  if (method == "repos.list") return json{{"repos", json::array()}};
  return MakeError("journal", "no journal at " + JournalPath(config_).string());
}

Result<json> JournalBackend::Status() {
  json status{{"running", false},
              {"socket", SocketPath(config_).string()},
              {"journal", JournalPath(config_).string()},
              {"config",
               config_.source.empty() ? json(nullptr) : json(config_.source.string())},
              {"identities", Identities(config_)},
              {"pending", 0},
              {"repos", json::array()}};
  if (!journal_) return status;
  Result<int64_t> pending = journal_->PendingCount(UnixNow());
  if (!pending) return pending.error();
  status["pending"] = *pending;
  Result<std::vector<RepoRecord>> repos = journal_->ListRepos();
  if (!repos) return repos.error();
  for (const RepoRecord& r : *repos) status["repos"].push_back(RepoJson(r));
  return status;
}

Result<json> JournalBackend::AddRepo(const json& params) {
  Result<std::string> path = StringParam(params, "repos.add", "path");
  if (!path) return path.error();
  std::string name = params.value("name", json()).is_string()
                         ? params["name"].get<std::string>()
                         : std::string();
  Result<fs::path> display = RepoDisplayPath(*path);
  if (!display) return display.error();
  // bragd sets the baseline when it next starts: history is not prompted.
  Result<RepoRecord> row =
      journal_->AddRepo(display->string(), name, "added", UnixNow());
  if (!row) return row.error();
  return json{{"repo", RepoJson(*row)}};
}

Result<json> JournalBackend::RemoveRepo(const json& params) {
  Result<std::string> repo = StringParam(params, "repos.remove", "repo");
  if (!repo) return repo.error();
  Result<std::string> key = RepoKey(*journal_, *repo);
  if (!key) return key.error();
  Result<bool> removed = journal_->RemoveRepo(*key);
  if (!removed) return removed.error();
  if (!*removed) return MakeError("not_found", "no watched repo \"" + *repo + "\"");
  return json{{"removed", true}};
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

Status FileSpooledHooks(const Config& config) {
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
      *warnings << "brag: warning: " << client.error().message
                << " (untrusted); writing the journal directly\n";
    }
  } else if (client.error().code != "unreachable") {
    return client.error();
  }
  if (Status s = FileSpooledHooks(config); !s) return s.error();
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
