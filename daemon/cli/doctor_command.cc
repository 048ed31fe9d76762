// `brag doctor` (DESIGN §11): what keeps brag from noticing the user's work,
// each a line "ok|warn|fail  CHECK: DETAIL" and, when not ok, the command
// that fixes it. Runs with bragd down and with a config that does not load
// (the checks then use the journal and the built-in defaults); changes
// nothing.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "cli/command.h"
#include "cli/daemon_control.h"
#include "cli/report.h"
#include "core/paths.h"
#include "core/text.h"
#include "detect/forge_marker.h"
#include "git/repo.h"
#include "hooks/install.h"
#include "hooks/shims.h"
#include "journal/journal.h"
#include "methods/identities.h"
#include "protocol/client.h"

namespace brag::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// How far back a watched repo's history is read for a commit of the user's,
// and how many commits at most per repo: enough for anyone who works there.
constexpr int64_t kIdentityWindow = 365 * 24 * 3600;
constexpr size_t kIdentityCommits = 5000;
// The systemctl asked whether the unit is enabled answers within this.
constexpr int kProgramMs = 3000;
// inotify watches: warn when fewer than this share of the limit is left.
constexpr int64_t kWatchMarginDivisor = 10;

enum class Level { kOk, kWarn, kFail };

struct Check {
  std::string name;
  Level level = Level::kOk;
  std::string detail;
  std::string fix;  // "" for ok
};

const char* LevelWord(Level level) {
  switch (level) {
    case Level::kOk:
      return "ok";
    case Level::kWarn:
      return "warn";
    case Level::kFail:
      return "fail";
  }
  return "";
}

// What the checks share: bragd's status (or the journal's, with bragd down)
// and the watched repos in it.
struct Situation {
  Result<json> live = MakeError("unreachable", "");  // bragd's own status
  json status;  // bragd's, else the journal's; null when neither answers
  Error status_error;
  json repos = json::array();
  std::vector<std::string> identities;
};

std::string CommaList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string QuotedList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "\"" : ", \"") + i + "\"";
  return out;
}

std::string ConfigFile(const CommandContext& context) {
  if (!context.config.source.empty()) return TildePath(context.config.source);
  if (!context.config_path.empty()) return context.config_path;
  const char* env = std::getenv("BRAG_CONFIG");
  return TildePath(env && *env ? fs::path(env) : DefaultConfigPath());
}

// --- bragd and how it starts -------------------------------------------------

Check BragdCheck(const Situation& s) {
  if (s.live) {
    return {"bragd", Level::kOk,
            "running (pid " + std::to_string(Int(*s.live, "pid")) + ", version " +
                Text(*s.live, "version") + ")",
            ""};
  }
  const Error& e = s.live.error();
  if (e.code == "unreachable")
    return {"bragd", Level::kFail, "not running (nothing answers on its socket)",
            StartCommand()};
  if (e.code == "untrusted")
    return {"bragd", Level::kFail, e.message,
            "make the socket's folder yours and private (chmod 700), or set "
            "[daemon] socket"};
  return {"bragd", Level::kFail, e.message, "brag stop; brag start"};
}

// Where no systemd user manager runs (a container, a login without
// systemd), nothing starts bragd at login but `brag start`: that is worth a
// warning, since the user would miss their merges until they notice.
Check AutostartCheck() {
  const char* name = "autostart";
  if (!UserManagerRuns()) {
    return {name, Level::kWarn,
            "no systemd user manager in this session: bragd runs only once started "
            "with brag start",
            "add `brag start` to your login script (~/.profile)"};
  }
  for (const char* unit : {"bragd.socket", "bragd.service"}) {
    ProgramRun run =
        RunProgram({"systemctl", "--user", "is-enabled", unit}, kProgramMs);
    if (run.code == 0) {
      return {name, Level::kOk,
              std::string(unit) + " is " + (run.out.empty() ? "enabled" : run.out) +
                  " (systemd starts bragd)",
              ""};
    }
  }
  if (std::optional<fs::path> dir = UserUnitDir()) {
    return {name, Level::kWarn,
            "bragd.socket is installed (" + TildePath(*dir) + ") but not enabled",
            "systemctl --user enable --now bragd.socket"};
  }
  return {name, Level::kWarn,
          "no bragd user unit installed: bragd runs only once started with brag start",
          "install brag's package (it ships bragd.socket), or add `brag start` to "
          "~/.profile"};
}

// --- config and journal ------------------------------------------------------

Check ConfigCheck(const CommandContext& context) {
  const char* name = "config";
  if (context.config_error) {
    return {name, Level::kFail, context.config_error->message,
            "fix that line, then brag reload (bragd keeps the last good config)"};
  }
  if (!context.config_warnings.empty()) {
    std::string detail;
    for (const std::string& w : context.config_warnings)
      detail += (detail.empty() ? "" : "; ") + w;
    return {name, Level::kWarn, detail,
            "fix or remove those keys in " + ConfigFile(context)};
  }
  if (!context.config.untrusted_for_programs.empty()) {
    return {
        name, Level::kWarn,
        "[digest] polish_command is not run: " + context.config.untrusted_for_programs,
        "chmod go-w " + ConfigFile(context) + " and its folder"};
  }
  if (context.config.source.empty())
    return {name, Level::kOk,
            "none at " + ConfigFile(context) + ": the built-in defaults", ""};
  return {name, Level::kOk, ConfigFile(context) + " loads without warnings", ""};
}

Check JournalCheck(const Config& config) {
  const char* name = "journal";
  fs::path path = JournalPath(config);
  std::string shown = TildePath(path);
  std::string restore =
      "brag stop, then copy a backup of it over " + shown +
      " (or move it aside: bragd starts a new one); see docs/reliability.md";
  std::error_code ec;
  if (!fs::exists(path, ec))
    return {name, Level::kOk, shown + " not created yet (bragd creates it)", ""};
  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(path, Journal::Mode::kReadOnly);
  if (!journal) {
    const Error& e = journal.error();
    if (e.code == "needs_upgrade")
      return {name, Level::kWarn, e.message, "brag start (bragd upgrades it)"};
    if (e.code == "journal_too_new")
      return {name, Level::kFail, e.message, "upgrade brag"};
    return {name, Level::kFail, e.message, restore};
  }
  Result<std::vector<std::string>> problems = (*journal)->IntegrityProblems();
  if (!problems) return {name, Level::kFail, problems.error().message, restore};
  if (!problems->empty()) {
    std::string detail = shown + ": integrity_check found " + problems->front();
    if (problems->size() > 1) detail += " (and more)";
    return {name, Level::kFail, detail, restore};
  }
  return {name, Level::kOk, shown + ": integrity_check ok", ""};
}

// --- repos -------------------------------------------------------------------

struct RepoLook {
  std::string name;
  std::string path;
  std::string problem;  // why it cannot be read; "" when it can
  bool yours = false;   // a commit by an identity in its recent history
  std::string email;    // git's user.email there when it is none of the identities
  int64_t unclaimed_prs = 0;
};

RepoLook LookAt(const json& repo, const std::vector<std::string>& identities,
                int64_t now) {
  RepoLook look{Text(repo, "name"), Text(repo, "path"), "", false, "", 0};
  if (Text(repo, "state") == "error") look.problem = Text(repo, "error");
  const json& unclaimed = Field(repo, "unclaimed");
  if (unclaimed.is_object()) {
    look.email = Text(unclaimed, "email");
    look.unclaimed_prs = Int(unclaimed, "prs");
  }
  Result<git::Repo> opened = git::Repo::Open(look.path);
  if (!opened) {
    if (look.problem.empty()) look.problem = opened.error().message;
    return look;
  }
  if (look.email.empty()) {
    Result<std::optional<std::string>> email = opened->ConfigString("user.email");
    if (email && *email && !email->value().empty() &&
        !detect::IsIdentity(email->value(), identities)) {
      look.email = email->value();
    }
  }
  if (identities.empty()) return look;
  Result<std::map<std::string, std::string>> refs = opened->BranchRefs();
  if (!refs) {
    if (look.problem.empty()) look.problem = refs.error().message;
    return look;
  }
  std::set<std::string> tips;
  for (const auto& [ref, oid] : *refs) tips.insert(oid);
  Result<std::vector<git::CommitData>> commits = opened->RecentCommits(
      {tips.begin(), tips.end()}, {}, now - kIdentityWindow, kIdentityCommits);
  if (!commits) {
    if (look.problem.empty()) look.problem = commits.error().message;
    return look;
  }
  look.yours = std::any_of(commits->begin(), commits->end(), [&](const auto& c) {
    return detect::IsIdentity(c.author_email, identities);
  });
  return look;
}

Check ReposCheck(const std::vector<RepoLook>& looks, const Situation& s) {
  const char* name = "repos";
  if (s.status.is_null())
    return {name, Level::kFail,
            "cannot list the watched repos: " + s.status_error.message,
            "see the journal check"};
  if (looks.empty())
    return {name, Level::kWarn, "no repo watched",
            "brag repos add PATH (or brag setup)"};
  std::string bad;
  std::string first;
  for (const RepoLook& r : looks) {
    if (r.problem.empty()) continue;
    bad += (bad.empty() ? "" : "; ") + r.name + ": " + r.problem;
    if (first.empty()) first = r.name;
  }
  std::string count = Plural(static_cast<int64_t>(looks.size()), "repo", "repos");
  if (bad.empty()) return {name, Level::kOk, count + " watched, all readable", ""};
  return {name, Level::kFail, count + " watched; cannot read " + bad,
          "brag repos rm " + first + ", or make it readable (chmod u+rX -R PATH)"};
}

Check IdentityCheck(const CommandContext& context, const std::vector<RepoLook>& looks,
                    const Situation& s) {
  const char* name = "identity";
  if (s.identities.empty()) {
    return {
        name, Level::kFail,
        "no email is yours: no [identity] emails in the config and no git user.email",
        "git config --global user.email YOU@EXAMPLE.COM"};
  }
  std::string emails = CommaList(s.identities);
  int64_t readable = 0, yours = 0;
  for (const RepoLook& r : looks) {
    if (!r.problem.empty()) continue;
    ++readable;
    if (r.yours) ++yours;
  }
  if (readable == 0)
    return {name, Level::kOk, emails + " (no readable repo watched to look in)", ""};
  if (yours == 0) {
    std::vector<std::string> more = s.identities;
    for (const RepoLook& r : looks) {
      if (!r.email.empty() &&
          std::find(more.begin(), more.end(), r.email) == more.end())
        more.push_back(r.email);
    }
    if (more.size() == s.identities.size()) more.push_back("you@work.example");
    return {name, Level::kWarn,
            emails + ": no commit by " + (s.identities.size() == 1 ? "it" : "them") +
                " in the last year of the " +
                Plural(readable, "watched repo", "watched repos"),
            "add the email you commit with to " + ConfigFile(context) +
                ": [identity] emails = [" + QuotedList(more) + "]"};
  }
  return {name, Level::kOk,
          emails + ": yours in " + std::to_string(yours) + " of " +
              Plural(readable, "watched repo", "watched repos"),
          ""};
}

// git's user.email of a watched repo that is none of the identities (set in
// the repo, as for a work email): merges by it are not counted as the user's.
Check RepoEmailsCheck(const CommandContext& context, const std::vector<RepoLook>& looks,
                      const Situation& s) {
  const char* name = "repo emails";
  std::string detail;
  std::vector<std::string> emails = s.identities;
  for (const RepoLook& r : looks) {
    if (r.email.empty()) continue;
    detail += (detail.empty() ? "" : "; ") + r.name + " commits as " + r.email;
    if (r.unclaimed_prs > 0)
      detail += " (" + Plural(r.unclaimed_prs, "PR", "PRs") + " not counted)";
    if (std::find(emails.begin(), emails.end(), r.email) == emails.end())
      emails.push_back(r.email);
  }
  if (detail.empty())
    return {name, Level::kOk, "every watched repo commits as one of your identities",
            ""};
  return {name, Level::kWarn, detail + ", which is not one of your identities",
          "if it is you, add to " + ConfigFile(context) + ": [identity] emails = [" +
              QuotedList(emails) + "]"};
}

// A repo wants brag's hooks when it has some of them (the user installed
// them), and the reference-transaction one wherever bragd polls it.
Check HooksCheck(const CommandContext& context, const std::vector<RepoLook>& looks) {
  const char* name = "hooks";
  hooks::ShimChoice choice{false, context.config.watch == Config::Watch::kPoll};
  std::string detail;
  std::vector<std::string> fix_paths;
  int64_t with_hooks = 0;
  for (const RepoLook& r : looks) {
    if (!r.problem.empty()) continue;
    Result<hooks::StatusReport> report = hooks::Status(r.path, choice);
    if (!report) continue;  // the repos check names it
    bool any =
        std::any_of(report->hooks.begin(), report->hooks.end(), [](const auto& h) {
          return h.kind == hooks::HookState::Kind::kInstalled ||
                 h.kind == hooks::HookState::Kind::kChaining;
        });
    if (any) ++with_hooks;
    std::string trouble;
    for (const hooks::HookState& h : report->hooks) {
      bool missing = h.kind == hooks::HookState::Kind::kNotInstalled && h.needed &&
                     (any || hooks::StandsInForEvents(h.name));
      if (missing) trouble += (trouble.empty() ? "" : ", ") + h.name + " missing";
      if (h.outdated) trouble += (trouble.empty() ? "" : ", ") + h.name + " outdated";
    }
    if (trouble.empty()) continue;
    detail += (detail.empty() ? "" : "; ") + r.name + ": " + trouble;
    fix_paths.push_back(r.path);
  }
  if (detail.empty() && with_hooks == 0)
    return {name, Level::kOk,
            "none installed, none needed (brag hooks install adds them)", ""};
  if (detail.empty()) {
    return {name, Level::kOk,
            Plural(with_hooks, "repo has", "repos have") + " brag's hooks, all current",
            ""};
  }
  std::string fix = "brag hooks install";
  for (const std::string& p : fix_paths) fix += " " + TildePath(p);
  return {name, Level::kWarn, detail, fix};
}

// --- inotify -----------------------------------------------------------------

// inotify watches held by the processes of this user (each inotify fd's
// "inotify wd:" lines in /proc/PID/fdinfo), and by `pid` among them.
struct WatchCount {
  int64_t all = 0;
  int64_t of_pid = 0;
};

int64_t WatchesOf(const fs::path& proc) {
  int64_t n = 0;
  std::error_code ec;
  for (const fs::directory_entry& fd : fs::directory_iterator(proc / "fd", ec)) {
    std::error_code link_ec;
    if (fs::read_symlink(fd.path(), link_ec).string() != "anon_inode:inotify") continue;
    std::ifstream info(proc / "fdinfo" / fd.path().filename());
    for (std::string line; std::getline(info, line);) {
      if (line.starts_with("inotify wd:")) ++n;
    }
  }
  return n;
}

WatchCount CountWatches(int64_t bragd_pid) {
  WatchCount count;
  uid_t me = ::getuid();
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    std::string pid = entry.path().filename().string();
    if (pid.empty() || !std::all_of(pid.begin(), pid.end(),
                                    [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    struct stat st;
    if (::stat(entry.path().c_str(), &st) != 0 || st.st_uid != me) continue;
    int64_t n = WatchesOf(entry.path());
    count.all += n;
    if (std::to_string(bragd_pid) == pid) count.of_pid = n;
  }
  return count;
}

Check InotifyCheck(const CommandContext& context, const Situation& s) {
  const char* name = "inotify";
  if (context.config.watch == Config::Watch::kPoll)
    return {name, Level::kOk, "not used: [detect] watch = \"poll\"", ""};
  std::ifstream limit_file("/proc/sys/fs/inotify/max_user_watches");
  int64_t limit = 0;
  if (!(limit_file >> limit) || limit <= 0)
    return {name, Level::kWarn, "cannot read /proc/sys/fs/inotify/max_user_watches",
            ""};
  WatchCount used = CountWatches(s.live ? Int(*s.live, "pid") : 0);
  std::string detail = std::to_string(used.all) + " of " + std::to_string(limit) +
                       " watches in use by your processes";
  if (s.live) detail += " (bragd: " + std::to_string(used.of_pid) + ")";
  if (limit - used.all >= limit / kWatchMarginDivisor)
    return {name, Level::kOk, detail, ""};
  return {name, Level::kWarn, detail + "; bragd polls the repos it cannot watch",
          "sudo sysctl fs.inotify.max_user_watches=524288, and to keep it: echo "
          "fs.inotify.max_user_watches=524288 | sudo tee "
          "/etc/sysctl.d/60-brag-inotify.conf"};
}

// --- the command -------------------------------------------------------------

Situation Look(const CommandContext& context) {
  Situation s;
  s.live = AskStatus(context.config);
  if (s.live) {
    s.status = *s.live;
  } else {
    // The journal read-only, without filing the hooks' spool: doctor writes
    // nothing.
    Result<std::unique_ptr<Journal>> journal =
        Journal::Open(JournalPath(context.config), Journal::Mode::kReadOnly);
    if (journal || journal.error().code == "not_found") {
      JournalBackend backend(context.config, journal ? std::move(*journal) : nullptr);
      Result<json> status = backend.Call("status", json::object());
      if (status)
        s.status = *status;
      else
        s.status_error = status.error();
    } else {
      s.status_error = journal.error();
    }
  }
  const json& repos = Field(s.status, "repos");
  if (repos.is_array()) s.repos = repos;
  const json& ids = Field(s.status, "identities");
  if (ids.is_array()) {
    for (const json& id : ids) {
      if (id.is_string()) s.identities.push_back(id.get<std::string>());
    }
  } else {
    s.identities = IdentitiesOf(context.config);
  }
  return s;
}

void PrintCheck(const CommandContext& context, const Check& c) {
  Tone tone = c.level == Level::kOk     ? Tone::kGreen
              : c.level == Level::kWarn ? Tone::kYellow
                                        : Tone::kRed;
  std::string word = LevelWord(c.level);
  word.resize(4, ' ');
  context.out << context.style.Paint(word, tone) << "  " << c.name << ": "
              << InertText(c.detail) << "\n";
  if (!c.fix.empty()) context.out << "      \u2192 " << InertText(c.fix) << "\n";
}

void DefineDoctor(CLI::App& command, Args& args) {
  command.add_flag(
      "--json", args.json,
      "Print one JSON object: {\"checks\": [{name, status, detail, fix}]}");
}

int RunDoctor(CommandContext& context, const Args& args) {
  Situation s = Look(context);
  std::vector<RepoLook> looks;
  for (const json& repo : s.repos)
    looks.push_back(LookAt(repo, s.identities, context.now));
  std::vector<Check> checks{BragdCheck(s),
                            AutostartCheck(),
                            ConfigCheck(context),
                            JournalCheck(context.config),
                            ReposCheck(looks, s),
                            IdentityCheck(context, looks, s),
                            RepoEmailsCheck(context, looks, s),
                            HooksCheck(context, looks),
                            InotifyCheck(context, s)};
  bool failed = std::any_of(checks.begin(), checks.end(),
                            [](const Check& c) { return c.level == Level::kFail; });
  if (args.json) {
    json list = json::array();
    for (const Check& c : checks) {
      list.push_back({{"name", c.name},
                      {"status", LevelWord(c.level)},
                      {"detail", c.detail},
                      {"fix", c.fix.empty() ? json(nullptr) : json(c.fix)}});
    }
    context.out << JsonLine(json{{"checks", list}});
  } else {
    for (const Check& c : checks) PrintCheck(context, c);
  }
  return failed ? kExitFailure : kExitOk;
}

}  // namespace

std::vector<CommandSpec> DoctorCommands() {
  return {{"doctor",
           "Check bragd, autostart, config, journal, repos, identity, hooks and inotify, "
           "each with its fix (exit 1 if one fails)",
           &DefineDoctor, &RunDoctor}};
}

}  // namespace brag::cli
