// bragd's life without a service manager: `brag start`, `brag stop`, and
// `brag reload` of its config (DESIGN §8, §11). The work is in
// daemon_control.h, which `brag setup` calls too.
#include <algorithm>

#include "cli/command.h"
#include "cli/daemon_control.h"
#include "cli/report.h"
#include "core/text.h"
#include "protocol/client.h"

namespace brag::cli {
namespace {

using nlohmann::json;

// "bragd exited with code 78 before answering" and the lines it logged:
// the first as the complaint, the others below it as bragd wrote them.
int ReportStartError(const CommandContext& context, const Error& error) {
  if (error.code == "not_found") {
    ReportComplaint(context.err, error.message, "install brag's bragd, or put it on $PATH");
    return kExitFailure;
  }
  if (error.code != "bragd_exited") {
    ReportError(context, error);
    return kExitFailure;
  }
  size_t newline = error.message.find('\n');
  ReportComplaint(context.err, error.message.substr(0, newline),
                  "its log, " + TildePath(BragdLogPath()) + ", ends with:");
  while (newline != std::string::npos) {
    size_t next = error.message.find('\n', newline + 1);
    context.err << "  "
                << InertText(error.message.substr(newline + 1, next - newline - 1))
                << "\n";
    newline = next;
  }
  return kExitFailure;
}

int RunStart(CommandContext& context, const Args&) {
  Result<StartOutcome> started = StartBragd(context.config, context.config_path);
  if (!started) return ReportStartError(context, started.error());
  std::string pid = std::to_string(started->pid);
  if (started->already_running) {
    context.out << "bragd is already running (pid " << pid << ")\n";
  } else {
    context.out << "bragd started (pid " << pid << "); log: " << TildePath(started->log)
                << "\n";
  }
  return kExitOk;
}

int RunStop(CommandContext& context, const Args&) {
  Result<StopOutcome> stopped = StopBragd(context.config);
  if (!stopped) {
    ReportError(context, stopped.error());
    return stopped.error().code == "untrusted" ? kExitUnavailable : kExitFailure;
  }
  if (!stopped->was_running) {
    context.out << "bragd is not running\n";
    return kExitOk;
  }
  context.out << "bragd stopped (pid " << stopped->pid << ")\n";
  if (stopped->socket_activated) {
    context.out << "systemd listens on its socket and starts it again at the next "
                   "connection; to stop that too: systemctl --user stop bragd.socket "
                   "bragd.service\n";
  }
  return kExitOk;
}

void DefineReload(CLI::App& command, Args& args) {
  command.add_flag("--json", args.json, "Print bragd's reply as one JSON object");
}

int RunReload(CommandContext& context, const Args& args) {
  // Straight to the socket: reloading means nothing to the journal.
  Result<protocol::Client> client =
      protocol::Client::Connect(SocketPath(context.config));
  if (!client) {
    if (client.error().code != "unreachable")
      return ReportError(context, client.error());
    ReportComplaint(context.err, "bragd is not running",
                    "nothing to reload; start it: " + StartCommand());
    return kExitUnavailable;
  }
  Result<json> reloaded = client->Call("reload");
  if (!reloaded) return ReportError(context, reloaded.error());
  if (args.json) {
    context.out << JsonLine(*reloaded);
    return kExitOk;
  }
  const json& warnings = Field(*reloaded, "warnings");
  if (warnings.is_array()) {
    for (const json& w : warnings) {
      // brag read the same file when it started, and said so already.
      if (!w.is_string() ||
          std::find(context.config_warnings.begin(), context.config_warnings.end(),
                    w.get<std::string>()) != context.config_warnings.end())
        continue;
      ReportWarning(context.err, w.get<std::string>());
    }
  }
  context.out << "configuration reloaded"
              << (warnings.is_array() && !warnings.empty()
                      ? " (" +
                            Plural(static_cast<int64_t>(warnings.size()), "warning",
                                   "warnings") +
                            ")"
                      : "")
              << "\n";
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> DaemonCommands() {
  return {
      {"start",
       "Start bragd in the background, logging to $XDG_STATE_HOME/brag/bragd.log "
       "(nothing to do if it runs)",
       nullptr, &RunStart},
      {"stop", "Stop bragd and wait until it is gone (nothing to do if it is not running)",
       nullptr, &RunStop},
      {"reload", "Make bragd read its config file again (as SIGHUP does)", &DefineReload,
       &RunReload},
  };
}

}  // namespace brag::cli
