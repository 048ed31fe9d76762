// bragd: the brag daemon. Runs in the foreground (systemd Type=notify,
// launchd); logs to stderr.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "server/daemon.h"

int main(int argc, char** argv) {
  CLI::App app{
      "bragd: watches your git repositories, notices when your pull requests land\n"
      "and asks for a one-line impact note (see `brag --help`)."};
  brag::DaemonOptions options;
  app.add_option("-c,--config", options.config_path,
                 "Config file (default: $BRAG_CONFIG, else "
                 "$XDG_CONFIG_HOME/brag/config.toml)");
  app.add_flag("-v,--verbose", options.verbose, "Log debug detail");
  app.set_version_flag("--version", std::string("bragd ") + BRAG_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  // Children (notify-send) are never waited for; let the kernel reap them.
  signal(SIGCHLD, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);

  boost::asio::io_context io(1);
  brag::Daemon daemon(io, options);
  if (int code = daemon.Start(); code != brag::Daemon::kExitOk) return code;
  return daemon.Run();
}
