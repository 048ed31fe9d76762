// brag's shims in the repos' hooks folders: `hooks install`, `hooks
// uninstall`, `hooks status` (DESIGN §2, §8). Works on the folders
// directly, bragd up or down; only --all asks for the watched repos.
#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "cli/command.h"
#include "cli/report.h"
#include "core/text.h"
#include "hooks/install.h"
#include "hooks/shims.h"

namespace brag::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

void DefineTargets(CLI::App& command, Args& args) {
  CLI::Option* paths = command.add_option(
      "PATH", args.paths,
      "Work trees, .git folders or bare repos (default: the repo around the "
      "current folder)");
  command.add_flag("--all", args.all, "Every watched repo (`brag repos list`)")
      ->excludes(paths);
}

void DefineInstall(CLI::App& command, Args& args) {
  DefineTargets(command, args);
  command.add_flag("--all-hooks", args.all_hooks,
                   "Install reference-transaction too, which is otherwise installed "
                   "only where bragd polls the repo (a network filesystem, or "
                   "[detect] watch = \"poll\")");
}

void DefineStatus(CLI::App& command, Args& args) {
  DefineTargets(command, args);
  command.add_flag("--json", args.json, "Print one JSON object per repo and hook");
}

// The repos a command works on: PATH..., the watched repos, or the repo the
// current folder is in.
Result<std::vector<fs::path>> Targets(const CommandContext& context, const Args& args) {
  std::vector<fs::path> targets;
  if (args.all) {
    Result<json> r = Request(context, Access::kRead, "repos.list");
    if (!r) return r.error();
    for (const json& repo : (*r)["repos"]) {
      targets.push_back(repo.value("path", ""));
    }
    return targets;
  }
  for (const std::string& typed : args.paths) targets.push_back(RepoArgument(typed));
  if (!targets.empty()) return targets;
  std::error_code ec;
  fs::path here = fs::current_path(ec);
  if (ec) return MakeError("io", "cannot read the current folder: " + ec.message());
  Result<fs::path> repo = hooks::FindRepo(here);
  if (!repo) {
    return MakeError(repo.error().code, repo.error().message +
                                            "; give a PATH, or --all for every "
                                            "watched repo");
  }
  targets.push_back(*repo);
  return targets;
}

// "reference-transaction" is the longest name: the third column lines up.
std::string Row(const fs::path& repo, const std::string& hook,
                const std::string& what) {
  std::string padded = hook;
  padded.resize(std::max<size_t>(padded.size(), 21), ' ');
  // The hooks folder may come from the repo's own config (core.hooksPath).
  return InertText(repo.string()) + "  " + padded + "  " + InertText(what) + "\n";
}

std::string Original(const std::string& hook) {
  return hook + std::string(hooks::kOriginalSuffix);
}

hooks::ShimChoice Choice(const CommandContext& context, const Args& args) {
  return hooks::ShimChoice{args.all_hooks, context.config.watch == Config::Watch::kPoll};
}

std::string ChangeText(const hooks::HookChange& change, bool installing) {
  using Kind = hooks::HookChange::Kind;
  switch (change.kind) {
    case Kind::kInstalled:
      return "installed";
    case Kind::kChained:
      return "installed, chaining the original (" + Original(change.name) + ")";
    case Kind::kUpdated:
      return "updated to this version's shim";
    case Kind::kUnchanged:
      return installing ? "already installed" : "not installed";
    case Kind::kRemoved:
      return "removed";
    case Kind::kRestored:
      return "removed, the original restored";
    case Kind::kLeftAlone:
      return "not brag's: left alone" +
             (change.detail.empty() ? "" : " (" + change.detail + ")");
    case Kind::kRefused:
      return "refused";
    case Kind::kSkipped:
      return "not needed: " + change.detail + " (--all-hooks installs it)";
    case Kind::kFailed:
      return "failed";
  }
  return "";
}

bool Troubled(const hooks::HookChange& change) {
  return change.kind == hooks::HookChange::Kind::kRefused ||
         change.kind == hooks::HookChange::Kind::kFailed;
}

// Why a hook was refused or failed, for stderr.
Error ShimInstallError(const hooks::InstallReport& report, const hooks::HookChange& change,
                bool installing) {
  bool refused = change.kind == hooks::HookChange::Kind::kRefused;
  return MakeError(refused ? "hook_conflict" : "io",
                   std::string(installing ? "cannot install " : "cannot uninstall ") +
                       change.name + " in " + report.site.repo.string() + ": " +
                       change.detail);
}

// Prints one repo's changes, and an error for each hook refused or failed.
// Returns whether all went well.
bool PrintChanges(CommandContext& context, const hooks::InstallReport& report,
                  bool installing) {
  for (const hooks::HookChange& change : report.hooks) {
    context.out << Row(report.site.repo, change.name, ChangeText(change, installing));
    if (Troubled(change))
      ReportError(context, ShimInstallError(report, change, installing));
  }
  return report.ok();
}

int RunChanges(CommandContext& context, const Args& args, bool installing) {
  Result<std::vector<fs::path>> targets = Targets(context, args);
  if (!targets) return ReportError(context, targets.error());
  if (targets->empty()) {
    context.out << "No repos watched (add one with `brag repos add PATH`).\n";
    return kExitOk;
  }
  int code = kExitOk;
  for (const fs::path& target : *targets) {
    Result<hooks::InstallReport> report =
        installing ? hooks::Install(target, Choice(context, args))
                   : hooks::Uninstall(target);
    if (!report) {
      code = ReportError(context, report.error());
      continue;
    }
    if (!PrintChanges(context, *report, installing)) code = kExitFailure;
  }
  return code;
}

int RunInstall(CommandContext& context, const Args& args) {
  return RunChanges(context, args, true);
}

int RunUninstall(CommandContext& context, const Args& args) {
  return RunChanges(context, args, false);
}

std::string StateText(const hooks::StatusReport& report,
                      const hooks::HookState& state) {
  using Kind = hooks::HookState::Kind;
  std::string text;
  switch (state.kind) {
    case Kind::kNotInstalled:
      if (state.has_original) {
        text = "not installed (" + Original(state.name) +
               " left over: install chains it again)";
      } else if (!hooks::StandsInForEvents(state.name)) {
        text = "not installed";
      } else if (!state.needed) {
        text = "not needed (" + report.ref_hook.reason + ")";
      } else {
        text = "not installed, needed: " + report.ref_hook.reason +
               "; `brag hooks install` adds it";
      }
      break;
    case Kind::kInstalled:
      text = "installed";
      break;
    case Kind::kChaining:
      text = "installed, chaining the original (" + Original(state.name) + ")";
      break;
    case Kind::kForeign:
      text = "foreign hook present (not brag's)";
      if (state.has_original) text += "; " + Original(state.name) + " too";
      break;
  }
  if (state.outdated) text += "; outdated: `brag hooks install` updates it";
  return text;
}

json StateJson(const hooks::StatusReport& report, const hooks::HookState& state) {
  json original = nullptr;
  if (state.has_original)
    original = state.path.string() + std::string(hooks::kOriginalSuffix);
  return json{{"repo", report.site.repo.string()},
              {"hooks_dir", report.site.dir.string()},
              {"hook", state.name},
              {"state", std::string(hooks::KindName(state.kind))},
              {"original", original},
              {"outdated", state.outdated},
              {"needed", state.needed},
              {"reason", hooks::StandsInForEvents(state.name) ? json(report.ref_hook.reason)
                                                             : json()}};
}

int RunStatus(CommandContext& context, const Args& args) {
  Result<std::vector<fs::path>> targets = Targets(context, args);
  if (!targets) return ReportError(context, targets.error());
  if (targets->empty() && !args.json) {
    context.out << "No repos watched (add one with `brag repos add PATH`).\n";
  }
  int code = kExitOk;
  for (const fs::path& target : *targets) {
    Result<hooks::StatusReport> report = hooks::Status(target, Choice(context, args));
    if (!report) {
      code = ReportError(context, report.error());
      continue;
    }
    for (const hooks::HookState& state : report->hooks) {
      if (args.json) {
        context.out << JsonLine(StateJson(*report, state));
      } else {
        context.out << Row(report->site.repo, state.name, StateText(*report, state));
      }
    }
  }
  return code;
}

}  // namespace

std::vector<CommandSpec> ShimCommands() {
  return {
      {"hooks", "Manage brag's git hooks in your repos", nullptr, nullptr},
      {"hooks install",
       "Install brag's git hooks (reference-transaction only where bragd needs it); "
       "a hook already there keeps running (renamed NAME.brag-orig)",
       &DefineInstall, &RunInstall},
      {"hooks uninstall",
       "Remove brag's git hooks, putting back the hooks they replaced", &DefineTargets,
       &RunUninstall},
      {"hooks status", "Show which of brag's git hooks are installed, and needed",
       &DefineStatus, &RunStatus},
  };
}

}  // namespace brag::cli
