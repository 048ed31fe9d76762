// `brag status`: bragd's state, or what the journal says when it is down.
#include "cli/command.h"
#include "cli/daemon_control.h"
#include "cli/report.h"

namespace brag::cli {
namespace {

void DefineStatus(CLI::App& command, Args& args) {
  command.add_flag("--json", args.json, "Print one JSON object");
}

int RunStatus(CommandContext& context, const Args& args) {
  Result<nlohmann::json> status = Request(context, Access::kRead, "status");
  if (!status) return ReportError(context, status.error());
  // How to start it, only when down: the other members keep their shape.
  if (status->is_object() && !status->value("running", false))
    (*status)["start_hint"] = StartCommand();
  if (args.json) {
    context.out << JsonLine(*status);
  } else {
    context.out << StatusText(*status, context.style);
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> StatusCommands() {
  return {{"status", "Show bragd, its paths, the pending count and every watched repo",
           &DefineStatus, &RunStatus}};
}

}  // namespace brag::cli
