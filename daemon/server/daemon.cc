#include "server/daemon.h"

#include <unistd.h>

#include "core/log.h"
#include "core/paths.h"
#include "core/timeutil.h"
#include "methods/commit_methods.h"
#include "methods/journal_methods.h"
#include "protocol/json_records.h"
#include "server/session.h"

namespace brag {

namespace asio = boost::asio;
using nlohmann::json;

Daemon::Daemon(asio::io_context& io, DaemonOptions options)
    : io_(io),
      options_(std::move(options)),
      listener_(io, [this](const std::string& line,
                           Session& session) { return HandleLine(line, session); }),
      notifier_(config_),
      started_(std::chrono::steady_clock::now()) {
  methods_ = {
      {"hello", &Daemon::Hello},
      {"status", &Daemon::StatusMethod},
      {"subscribe", &Daemon::Subscribe},
      {"nudge", &Daemon::Nudge},
      {"commit.record", &Daemon::HookCommit},
      {"commit.rewrite", &Daemon::HookRewrite},
      {"repos.add", &Daemon::ReposAdd},
      {"repos.remove", &Daemon::ReposRemove},
      {"repos.list", &Daemon::ReposList},
      {"reload", &Daemon::ReloadMethod},
  };
  late_methods_ = {
      {"rescan", &Daemon::Rescan},
  };
}

Daemon::~Daemon() = default;

Status Daemon::LoadConfiguration(std::vector<std::string>* warnings) {
  Result<Config> config = LoadConfig(options_.config_path, warnings);
  if (!config) return config.error();
  config_ = std::move(*config);
  LogLevel level = LogLevel::kInfo;
  if (options_.verbose) level = LogLevel::kDebug;
  else ParseLogLevel(config_.log_level, &level);
  SetLogLevel(level);
  ApplyIdentities();
  return {};
}

void Daemon::ApplyIdentities() {
  identities_ = config_.identity_emails;
  if (identities_.empty()) {
    if (auto email = git::GlobalUserEmail()) identities_.push_back(*email);
  }
  if (identities_.empty()) {
    LogWarn(
        "no identity: set [identity] emails in the config or `git config --global "
        "user.email`; no merge can be recognised as yours");
  }
}

int Daemon::Start() {
  git::EnsureInit();
  std::vector<std::string> warnings;
  if (Status s = LoadConfiguration(&warnings); !s) {
    LogError(s.error().message);
    return kExitConfig;
  }
  for (const std::string& w : warnings) LogWarn(w);

  socket_path_ = SocketPath(config_);
  if (Status s = PrepareSocketDir(socket_path_); !s) {
    LogError(s.error().message);
    return kExitFailure;
  }
  Result<SocketLock> lock = SocketLock::Acquire(socket_path_);
  if (!lock) {
    LogError(lock.error().message);
    return kExitFailure;
  }
  lock_.emplace(std::move(*lock));

  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(JournalPath(config_), Journal::Mode::kReadWrite);
  if (!journal) {
    LogError(journal.error().message);
    return kExitFailure;
  }
  journal_ = std::move(*journal);
  read_worker_.emplace(journal_->path());
  repos_ = std::make_unique<RepoRegistry>(
      io_, config_, *journal_, watcher_,
      [this](const std::vector<int64_t>& found) { scans_->ScanNow(found); });
  scans_ = std::make_unique<ScanScheduler>(io_, config_, identities_, *journal_, watcher_,
                                           *repos_, notifier_);
  digest_ = std::make_unique<DigestTimer>(io_, config_, *journal_);
  scans_->FileSpooledHooks(/*at_start=*/true);  // commits made while bragd was away

  if (Status s = watcher_.Init(); !s) {
    LogWarn(s.error().message + "; polling every repo");
  }

  if (Status s = listener_.Listen(socket_path_); !s) {
    LogError(s.error().message);
    return kExitFailure;
  }

  repos_->RegisterConfigured();
  repos_->LoadFromJournal();
  if (Status s = repos_->WatchRoots(); !s) {
    LogWarn("scan roots: " + s.error().message + "; rediscovering on each poll");
  }

  listener_.WaitSignals([this] {
    Status ignored = Reload();  // logged inside
    (void)ignored;
  });
  scans_->Start();
  // Ready once every repo has its baseline; clients are served meanwhile.
  scans_->ScanEach(repos_->AllIds(), false, false, [this](std::vector<Prompt>) {
    digest_->Start();
    LogInfo("listening on " + socket_path_.string() + " (journal " +
            journal_->path().string() + ", " + std::to_string(repos_->AllIds().size()) +
            " repos)");
    NotifySystemd("READY=1");
  });
  return kExitOk;
}

int Daemon::Run() {
  io_.run();
  return exit_code_;
}

Status Daemon::Reload() {
  NotifySystemd("RELOADING=1");
  std::vector<std::string> warnings;
  // LoadConfiguration replaces config_ only on success.
  if (Status s = LoadConfiguration(&warnings); !s) {
    LogError("reload refused, keeping the running configuration: " + s.error().message);
    NotifySystemd("READY=1");
    return s;
  }
  for (const std::string& w : warnings) LogWarn(w);
  last_reload_warnings_ = warnings;
  if (SocketPath(config_) != socket_path_) {
    LogWarn("the socket path changed; it takes effect at the next start");
  }
  repos_->Rewatch();  // [detect] watch and the roots may have changed
  scans_->RestartPolling();
  digest_->Restart();  // the schedule may have changed
  LogInfo("configuration reloaded");
  NotifySystemd("READY=1");
  return {};
}

// --- protocol --------------------------------------------------------------

std::optional<std::string> Daemon::HandleLine(const std::string& line,
                                              Session& session) {
  json id;
  Result<protocol::Request> req = protocol::ParseRequest(line, &id);
  if (!req) return protocol::ErrorLine(id, req.error().code, req.error().message);
  // Reads, too, come from the journal file opened next time (a write
  // follows it by itself; a refusal is logged once, inside).
  (void)journal_->Follow();
  // What the hooks spooled is filed before any answer, so that `brag log`
  // right after a commit sees its note.
  scans_->FileSpooledHooks();
  LateReply late{req->id, session.weak_from_this()};
  if (auto m = late_methods_.find(req->method); m != late_methods_.end()) {
    (this->*(m->second))(req->params, std::move(late));
    return std::nullopt;
  }
  if (ReadWorker::Handles(req->method)) {
    ReadOffLoop(req->method, req->params, std::move(late));
    return std::nullopt;
  }
  Result<json> result = MakeError("internal", "unhandled");
  if (auto m = methods_.find(req->method); m != methods_.end()) {
    result = (this->*(m->second))(req->params, session);
  } else if (IsJournalMethod(req->method)) {
    result = CallJournalMethod(*journal_, req->method, req->params, UnixNow());
  } else {
    result = MakeError("unknown_method", "no method \"" + req->method +
                                             "\" (see docs/protocol.md)");
  }
  if (!result) {
    return protocol::ErrorLine(req->id, result.error().code, result.error().message);
  }
  return protocol::ReplyLine(req->id, *result);
}

// Builds the reply line: on the read worker too, so the loop only sends it.
static std::string LineFor(const json& id, const Result<json>& result) {
  return result ? protocol::ReplyLine(id, *result)
                : protocol::ErrorLine(id, result.error().code, result.error().message);
}

void Daemon::Answer(const LateReply& reply, const Result<json>& result) {
  if (std::shared_ptr<Session> session = reply.session.lock()) {
    session->DeliverReply(LineFor(reply.id, result));
  }  // else the client went away meanwhile
}

void Daemon::ReadOffLoop(const std::string& method, const json& params,
                         LateReply reply) {
  asio::io_context& io = io_;
  auto on_worker = [&io, reply = std::move(reply)](Result<json> result) {
    auto deliver = [session = reply.session,
                    line = LineFor(reply.id, result)]() mutable {
      if (auto s = session.lock()) s->DeliverReply(std::move(line));
    };
    asio::post(io, std::move(deliver));
  };
  read_worker_->Submit(method, params, UnixNow(), config_, std::move(on_worker));
}

Result<json> Daemon::Hello(const json&, Session&) {
  return json{{"name", "bragd"},
              {"version", BRAG_VERSION},
              {"protocol", protocol::kVersion},
              {"pid", ::getpid()}};
}

Result<json> Daemon::StatusMethod(const json&, Session&) {
  Result<int64_t> pending = journal_->PendingCount(UnixNow());
  if (!pending) return pending.error();
  json repos = repos_->StatusJson();
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - started_);
  return json{{"running", true},
              {"version", BRAG_VERSION},
              {"pid", ::getpid()},
              {"uptime_s", uptime.count()},
              {"socket", socket_path_.string()},
              {"journal", journal_->path().string()},
              {"config", config_.source.empty() ? json(nullptr)
                                                : json(config_.source.string())},
              {"identities", identities_},
              {"pending", *pending},
              {"journal_error", scans_->journal_error().empty()
                                    ? json(nullptr)
                                    : json(scans_->journal_error())},
              {"unrecorded_repos", scans_->unrecorded_count()},
              {"repos", repos}};
}

Result<json> Daemon::Subscribe(const json&, Session& session) {
  notifier_.Subscribe(session);
  return json{{"subscribed", true}};
}

Result<json> Daemon::Nudge(const json& params, Session&) {
  auto r = params.find("repo");
  if (r == params.end() || !r->is_string()) {
    return MakeError("bad_request", "\"repo\" must be a string");
  }
  // Scanned after this reply: the hook that sent it must not wait for it.
  return json{{"queued", scans_->ScanSoon(r->get<std::string>())}};
}

// The "repo" of a hook's request, "" when there is none.
static std::string RepoParam(const json& params) {
  if (!params.is_object()) return "";
  auto r = params.find("repo");
  return r != params.end() && r->is_string() ? r->get<std::string>() : "";
}

Result<json> Daemon::HookCommit(const json& params, Session&) {
  Result<json> done = RecordCommitMethod(*journal_, params, UnixNow());
  if (done) scans_->ScanSoon(RepoParam(params));
  return done;
}

Result<json> Daemon::HookRewrite(const json& params, Session&) {
  Result<json> done = RewriteCommitsMethod(*journal_, params, UnixNow());
  if (done) scans_->ScanSoon(RepoParam(params));
  return done;
}

static json PromptsMade(const std::vector<Prompt>& made) {
  json prompts = json::array();
  for (const Prompt& p : made) prompts.push_back(PromptJson(p));
  return json{{"prompts", prompts}};
}

void Daemon::Rescan(const json& params, LateReply reply) {
  if (auto r = params.find("repo"); r != params.end() && !r->is_null()) {
    if (!r->is_string()) {
      return Answer(reply, MakeError("bad_request", "\"repo\" must be a string"));
    }
    WatchedRepo* repo = repos_->Find(r->get<std::string>());
    if (!repo) {
      return Answer(reply, MakeError("not_found", "no watched repo \"" +
                                                      r->get<std::string>() + "\""));
    }
    Result<std::vector<Prompt>> scanned = scans_->Scan(repo->record.id);
    if (!scanned) return Answer(reply, scanned.error());
    notifier_.Publish(*scanned);
    return Answer(reply, PromptsMade(*scanned));
  }
  scans_->RescanAll([this, reply](std::vector<Prompt> made) {
    Answer(reply, PromptsMade(made));
  });
}

Result<json> Daemon::ReposAdd(const json& params, Session&) {
  auto path = params.find("path");
  if (path == params.end() || !path->is_string()) {
    return MakeError("bad_request", "repos.add needs a string \"path\"");
  }
  std::string name = params.value("name", json("")).is_string()
                         ? params.value("name", std::string())
                         : std::string();
  Result<RepoRecord> row = repos_->Add(path->get<std::string>(), name, "added");
  if (!row) return row.error();
  Result<std::vector<Prompt>> scanned = scans_->Scan(row->id);  // sets the baseline
  if (scanned) notifier_.Publish(*scanned);
  return json{{"repo", repos_->StatusJson(*repos_->Get(row->id))}};
}

Result<json> Daemon::ReposRemove(const json& params, Session&) {
  auto r = params.find("repo");
  if (r == params.end() || !r->is_string()) {
    return MakeError("bad_request", "repos.remove needs a string \"repo\"");
  }
  if (Status s = repos_->Remove(r->get<std::string>()); !s) return s.error();
  return json{{"removed", true}};
}

Result<json> Daemon::ReposList(const json&, Session&) {
  return json{{"repos", repos_->StatusJson()}};
}

Result<json> Daemon::ReloadMethod(const json&, Session&) {
  if (Status s = Reload(); !s) return MakeError("config", s.error().message);
  return json{{"reloaded", true}, {"warnings", last_reload_warnings_}};
}

}  // namespace brag
