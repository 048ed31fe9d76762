#include "server/daemon.h"

#include <unistd.h>

#include "core/log.h"
#include "core/paths.h"
#include "core/timeutil.h"
#include "methods/identities.h"
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
  identities_ = IdentitiesOf(config_);
  if (identities_.empty()) {
    LogWarn(
        "no identity: set [identity] emails in the config or `git config --global "
        "user.email`; no merge can be recognised as yours");
  }
}

int Daemon::Start() {
  git::EnsureInit();
  // Taken first, so that the LISTEN_* variables are gone before anything
  // else runs.
  Result<std::optional<HandedSocket>> handed = TakeHandedSocket();
  if (!handed) {
    LogError(handed.error().message);
    return handed.error().code == "config" ? kExitConfig : kExitFailure;
  }
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
  snoozes_ = std::make_unique<SnoozeTimer>(io_, *journal_, notifier_);
  scans_->FileSpool(/*at_start=*/true);  // commits made while bragd was away

  if (Status s = watcher_.Init(); !s) {
    LogWarn(s.error().message + "; polling every repo");
  }

  if (*handed) {
    // systemd owns this socket (and its file): bragd only accepts on it.
    served_socket_ = (*handed)->path;
    socket_activated_ = true;
    std::error_code ec;
    if (served_socket_.lexically_normal() != socket_path_.lexically_normal() &&
        !std::filesystem::equivalent(served_socket_, socket_path_, ec)) {
      LogWarn("systemd passed the socket " + served_socket_.string() +
              " but the configured socket is " + socket_path_.string() +
              "; clients look for the configured one (make ListenStream= of "
              "bragd.socket and [daemon] socket the same)");
    }
    listener_.Adopt((*handed)->fd);
    LogInfo("socket " + served_socket_.string() + " passed by systemd (socket activation)");
  } else {
    if (Status s = listener_.Listen(socket_path_); !s) {
      LogError(s.error().message);
      return kExitFailure;
    }
    served_socket_ = socket_path_;
  }

  repos_->RegisterConfigured();
  repos_->LoadFromJournal();
  if (Status s = repos_->WatchRoots(); !s) {
    LogWarn("scan roots: " + s.error().message + "; rediscovering on each poll");
  }

  listener_.WaitSignals([this] {
    Status ignored = ReloadConfig();  // logged inside
    (void)ignored;
  });
  scans_->Start();
  // Ready once every repo has its baseline; clients are served meanwhile.
  scans_->ScanEach(repos_->AllIds(), false, false, [this](std::vector<Prompt>) {
    digest_->Start();
    snoozes_->Start();
    LogInfo("listening on " + served_socket_.string() + " (journal " +
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

Status Daemon::ReloadConfig() {
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

// Builds the reply line: on the read worker too, so the loop only sends it.
static std::string LineFor(const json& id, const Result<json>& result) {
  return result ? protocol::ReplyLine(id, *result)
                : protocol::ErrorLine(id, result.error().code, result.error().message);
}

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
  scans_->FileSpool();
  LateReply late{req->id, session.weak_from_this()};
  if (ReadWorker::Handles(req->method)) {
    ReadOffLoop(req->method, req->params, std::move(late));
    return std::nullopt;
  }
  // `subscribe` hands this session to the Notifier.
  struct SessionSubscriber : Subscriber {
    SessionSubscriber(Notifier& n, Session& s) : notifier(n), session(s) {}
    void Subscribe() override { notifier.Subscribe(session); }
    Notifier& notifier;
    Session& session;
  } subscriber(notifier_, session);
  // A method answers before CallMethod returns, or later (rescan).
  struct Answered {
    bool returned = false;
    std::optional<std::string> line;
  };
  auto answered = std::make_shared<Answered>();
  MethodContext context{.journal = journal_.get(),
                        .config = &config_,
                        .now = UnixNow(),
                        .daemon = this,
                        .subscriber = &subscriber};
  CallMethod(req->method, req->params, context,
             [this, answered, late](Result<json> result) {
               if (answered->returned) return Answer(late, result);
               answered->line = LineFor(late.id, result);
             });
  answered->returned = true;
  if (req->method == "snooze") snoozes_->Rearm();  // its end may come first
  return std::move(answered->line);
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

// --- DaemonServices ----------------------------------------------------------

json Daemon::StatusFacts() const {
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - started_);
  const std::string& journal_error = scans_->journal_error();
  return json{{"running", true},
              {"version", BRAG_VERSION},
              {"pid", ::getpid()},
              {"uptime_s", uptime.count()},
              {"socket", served_socket_.string()},
              {"socket_activated", socket_activated_},
              {"journal", journal_->path().string()},
              {"identities", identities_},
              {"journal_error", journal_error.empty() ? json(nullptr) : json(journal_error)},
              {"unrecorded_repos", scans_->unrecorded_count()}};
}

json Daemon::WatchedRepos() const { return repos_->StatusJson(); }

Result<json> Daemon::StartWatching(const std::string& path, const std::string& name) {
  Result<RepoRecord> row = repos_->Add(path, name, "added");
  if (!row) return row.error();
  (void)scans_->Scan(row->id);  // sets the baseline; a failure shows in its state
  return repos_->StatusJson(*repos_->Get(row->id));
}

void Daemon::StopWatching(const std::string& path) { repos_->Forget(path); }

bool Daemon::ScanSoon(const std::string& repo) { return scans_->ScanSoon(repo); }

void Daemon::Rescan(const std::optional<std::string>& name,
                    std::function<void(Result<std::vector<Prompt>>)> done) {
  if (!name) {
    return scans_->RescanAll([done](std::vector<Prompt> made) { done(std::move(made)); });
  }
  WatchedRepo* repo = repos_->Find(*name);
  if (!repo) return done(MakeError("not_found", "no watched repo \"" + *name + "\""));
  done(scans_->Scan(repo->record.id));
}

void Daemon::PromptClosed(const Prompt& prompt) { notifier_.PublishClosed(prompt); }

void Daemon::PromptReopened(const Prompt& prompt) { notifier_.Publish({prompt}); }

Result<std::vector<std::string>> Daemon::Reload() {
  if (Status s = ReloadConfig(); !s) return s.error();
  return last_reload_warnings_;
}

}  // namespace brag
