// The repos family: `repos add`, `repos rm`, `repos list`.
#include <filesystem>
#include <memory>
#include <system_error>

#include "cli/command.h"
#include "cli/report.h"
#include "hooks/hooks_dir.h"

namespace brag::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

void DefineAdd(CLI::App& command, Args& args) {
  command
      .add_option("PATH", args.path,
                  "A work tree, .git folder or bare repo, or a folder inside one")
      ->required();
  command.add_option("--name", args.name, "Its short name (default: the folder's)");
}

std::string AbsolutePath(const std::string& typed) {
  std::error_code ec;
  fs::path absolute = fs::absolute(typed, ec);
  return ec ? typed : absolute.lexically_normal().string();
}

// The repo PATH is in, as `hooks install` finds it: PATH itself or the
// nearest folder above it that is a repo. A path that is in none, or does
// not exist, goes as typed, for repos.add to say why it is no repo.
std::string EnclosingRepo(const std::string& typed) {
  std::error_code ec;
  if (!fs::is_directory(typed, ec)) return AbsolutePath(typed);
  Result<fs::path> repo = hooks::FindRepo(typed);
  return repo ? repo->string() : AbsolutePath(typed);
}

int RunAdd(CommandContext& context, const Args& args) {
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(context.config, Access::kWrite, &context.err);
  if (!backend) return ReportError(context, backend.error());
  json params{{"path", EnclosingRepo(args.path)}};
  if (!args.name.empty()) params["name"] = args.name;
  Result<json> r = (*backend)->Call("repos.add", params);
  if (!r) return ReportError(context, r.error());
  const json& repo = Field(*r, "repo");
  context.out << "watching " << Text(repo, "name") << " (" << Text(repo, "path")
              << ")\n";
  if (!(*backend)->daemon()) {
    context.out << "bragd is not running: it will set the baseline when it starts\n";
  }
  return kExitOk;
}

void DefineRemove(CLI::App& command, Args& args) {
  command.add_option("REPO", args.repo, "The repo's path or name")->required();
}

int RunRemove(CommandContext& context, const Args& args) {
  Result<json> r = Request(context, Access::kWrite, "repos.remove",
                           {{"repo", RepoArgument(args.repo)}});
  if (!r) return ReportError(context, r.error());
  context.out << "stopped watching " << args.repo << " (its journal entries stay)\n";
  return kExitOk;
}

void DefineList(CLI::App& command, Args& args) {
  command.add_flag("--json", args.json, "Print one JSON object per repo (JSON Lines)");
}

int RunList(CommandContext& context, const Args& args) {
  Result<json> r = Request(context, Access::kRead, "repos.list");
  if (!r) return ReportError(context, r.error());
  const json& repos = Field(*r, "repos");
  if (args.json) {
    PrintJsonLines(context.out, repos);
  } else if (repos.empty()) {
    context.out << "No repos watched (add one with `brag repos add PATH`).\n";
  } else {
    context.out << RepoTable(repos, context.style);
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> RepoCommands() {
  return {
      {"repos", "Manage the watched repositories", nullptr, nullptr},
      {"repos add", "Watch a repository (its history is not prompted)", &DefineAdd,
       &RunAdd},
      {"repos rm", "Stop watching a repository (its journal entries stay)",
       &DefineRemove, &RunRemove},
      {"repos list", "List the watched repositories", &DefineList, &RunList},
  };
}

}  // namespace brag::cli
