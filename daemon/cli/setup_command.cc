// `brag setup`: the first run (DESIGN §11). On a terminal it asks; with
// --yes (a script) it takes every default; either way each step says what it
// did. Steps: who you are, your repos, git hooks, bragd, and the PRs you
// already merged (a bounded backfill). Ctrl-D or Ctrl-C stops it; what was
// done stays done, and running it again picks up from there.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <map>
#include <optional>
#include <set>

#include "cli/backfill.h"
#include "cli/command.h"
#include "cli/config_edit.h"
#include "cli/daemon_control.h"
#include "cli/line_input.h"
#include "cli/report.h"
#include "core/paths.h"
#include "core/timeutil.h"
#include "detect/forge_marker.h"
#include "git/repo.h"
#include "hooks/install.h"
#include "methods/identities.h"
#include "watch/discovery.h"

namespace brag::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void DefineSetup(CLI::App& command, Args& args) {
  command.add_flag("--yes", args.yes,
                   "Take every default without asking (for scripts; no terminal needed)");
  command.add_option("--email", args.emails,
                     "An email you commit as, besides git's user.email (repeatable)");
  command.add_option("--root", args.roots,
                     "A folder your repos are under (repeatable; default: the likely "
                     "ones found, ~/code, ~/src, ...)")
      ->check(CLI::ExistingDirectory);
  command.add_flag("--no-hooks", args.no_hooks, "Install no git hooks");
  command.add_flag("--no-autostart", args.no_autostart,
                   "Do not start bragd nor enable its user unit");
  command.add_option("--backfill", args.backfill,
                     "Offer the PRs you merged in this time back as prompts (90d, 6w; 0: "
                     "none)")
      ->default_str("90d");
}

// The questions: on a terminal they are asked; with --yes each is shown
// with the default taken. Ctrl-D, Ctrl-C or "q" stop the setup.
class Asker {
 public:
  Asker(CommandContext& context, bool yes)
      : context_(context), yes_(yes), reader_(context.input_fd) {
    if (!yes_) input_ = PlainLines(reader_, context.out);
  }

  bool stopped() const { return stopped_; }

  // Yes or no; Enter takes `yes_default`.
  bool Confirm(const std::string& question, bool yes_default = true) {
    std::string choices = yes_default ? " [Y/n] " : " [y/N] ";
    if (stopped_) return false;
    if (yes_) {
      context_.out << "  " << question << choices << (yes_default ? "yes" : "no")
                   << " (--yes)\n";
      return yes_default;
    }
    for (;;) {
      LineInput in = input_->Read("  " + question + choices);
      std::string word = StripTerminalInput(in.text);
      if (in.end != LineInput::End::kLine || word == "q") return Stop();
      if (word.empty()) return yes_default;
      if (word == "y" || word == "Y" || word == "yes") return true;
      if (word == "n" || word == "N" || word == "no") return false;
      context_.out << "  (y for yes, n for no, q to stop)\n";
    }
  }

  // A line of text; "" for Enter (and with --yes).
  std::string Ask(const std::string& question) {
    if (yes_ || stopped_) return "";
    LineInput in = input_->Read("  " + question + "> ");
    std::string text = StripTerminalInput(in.text);
    if (in.end != LineInput::End::kLine || text == "q") {
      Stop();
      return "";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    while (!text.empty() && text.front() == ' ') text.erase(0, 1);
    return text;
  }

 private:
  bool Stop() {
    stopped_ = true;
    return false;
  }

  CommandContext& context_;
  bool yes_;
  LineReader reader_;
  std::unique_ptr<LineSource> input_;
  bool stopped_ = false;
};

struct Setup {
  CommandContext& context;
  const Args& args;
  Asker ask;
  fs::path config_file;
  std::string config_text;  // as it will be written
  std::vector<std::string> changed_keys;
  std::vector<std::string> offered_roots;  // --root, else the likely folders
  std::vector<fs::path> candidates;  // under the config's and the offered roots
  std::vector<fs::path> repos;  // found under the roots chosen, and [[repo]]s
};

void Heading(Setup& s, const std::string& title) {
  s.context.out << "\n" << s.context.style.Paint(title, Tone::kBold) << "\n";
}

std::string Names(const std::vector<fs::path>& repos, size_t at_most = 3) {
  std::string names;
  for (size_t i = 0; i < repos.size() && i < at_most; ++i) {
    names += (i ? ", " : "") + repos[i].filename().string();
  }
  if (repos.size() > at_most) names += ", +" + std::to_string(repos.size() - at_most) + " more";
  return names;
}

void SetKey(Setup& s, const std::string& table, const std::string& key,
            const std::vector<std::string>& values) {
  s.config_text = SetTomlKey(s.config_text, table, key, TomlStringArray(values));
  s.changed_keys.push_back("[" + table + "] " + key);
}

// --- who you are ------------------------------------------------------------

// The repo-local user.email of each repo that differs from `identities`:
// email -> repos that set it.
std::map<std::string, std::vector<fs::path>> UnclaimedEmails(
    const std::vector<fs::path>& repos, const std::vector<std::string>& identities) {
  std::map<std::string, std::vector<fs::path>> found;
  git::EnsureInit();
  for (const fs::path& path : repos) {
    Result<git::Repo> repo = git::Repo::Open(path);
    if (!repo) continue;
    Result<std::optional<std::string>> email = repo->ConfigString("user.email");
    if (!email || !*email || (*email)->empty()) continue;
    if (detect::IsIdentity(**email, identities)) continue;
    found[**email].push_back(path);
  }
  return found;
}

Status IdentityStep(Setup& s, std::vector<std::string>* identities) {
  Heading(s, "Who you are");
  const Config& config = s.context.config;
  *identities = IdentitiesOf(config);
  std::string from = config.identity_emails.empty()
                         ? "git config --global user.email"
                         : "[identity] emails in " + TildePath(config.source);
  for (const std::string& e : *identities) s.context.out << "  " << e << " (" << from << ")\n";
  std::vector<std::string> chosen = *identities;
  for (const std::string& e : s.args.emails) {
    if (!detect::IsIdentity(e, chosen)) {
      chosen.push_back(e);
      s.context.out << "  " << e << " (--email)\n";
    }
  }
  for (const auto& [email, repos] : UnclaimedEmails(s.candidates, chosen)) {
    s.context.out << "  " << email << " is user.email in " << Names(repos) << "\n";
    if (s.ask.Confirm("Count " + email + " as you too?")) chosen.push_back(email);
  }
  if (chosen.empty() && s.args.yes) {
    return MakeError("usage", "no identity: pass --email EMAIL, or set `git config --global "
                              "user.email`");
  }
  for (;;) {
    std::string more =
        s.ask.Ask(chosen.empty() ? "The email you commit as"
                                 : "Another email you commit as (Enter: none, -EMAIL drops one)");
    if (more.empty()) break;
    if (more.front() == '-') {
      std::string drop = more.substr(1);
      auto gone = std::remove_if(chosen.begin(), chosen.end(), [&](const std::string& e) {
        return detect::IsIdentity(e, {drop});
      });
      s.context.out << "  " << (gone == chosen.end() ? drop + " is none of them" : "dropped " + drop)
                    << "\n";
      chosen.erase(gone, chosen.end());
      continue;
    }
    if (more.find('@') == std::string::npos) {
      s.context.out << "  \"" << more << "\" is no email\n";
      continue;
    }
    if (!detect::IsIdentity(more, chosen)) chosen.push_back(more);
  }
  if (s.ask.stopped()) return {};
  if (chosen.empty()) {
    return MakeError("usage", "no identity: brag needs the email you commit as");
  }
  if (chosen != *identities) SetKey(s, "identity", "emails", chosen);
  *identities = chosen;
  return {};
}

// --- your repos -------------------------------------------------------------

std::vector<std::string> LikelyRoots() {
  std::vector<std::string> roots;
  for (const char* r : {"~/code", "~/src", "~/source", "~/repos", "~/git", "~/projects",
                        "~/work", "~/dev", "~/workspace", "~/go/src", "~/github"}) {
    std::error_code ec;
    if (fs::is_directory(ExpandHome(r), ec)) roots.push_back(r);
  }
  return roots;
}

// A root as the config keeps it: "~/code" for a folder in the home folder.
std::string RootWord(const std::string& typed) {
  std::error_code ec;
  fs::path absolute = fs::absolute(ExpandHome(typed), ec).lexically_normal();
  std::string p = absolute.string();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return TildePath(p);
}

std::vector<fs::path> ReposUnder(const Config& config, const std::string& root) {
  std::vector<fs::path> found;
  for (const fs::path& repo : DiscoverRepos({ExpandHome(root).string()}, config.scan_depth)) {
    if (!IsExcluded(config, repo)) found.push_back(repo);
  }
  std::sort(found.begin(), found.end());
  return found;
}

void ReposStep(Setup& s) {
  Heading(s, "Your repos");
  const Config& config = s.context.config;
  std::vector<std::string> roots;
  for (const std::string& r : config.scan_roots) roots.push_back(RootWord(r));
  std::set<fs::path> repos;
  for (const std::string& r : roots) {
    std::vector<fs::path> found = ReposUnder(config, r);
    s.context.out << "  " << r << ": " << found.size() << " repos, watched already\n";
    repos.insert(found.begin(), found.end());
  }
  std::vector<std::string> chosen = roots;
  auto offer = [&](const std::string& root) {
    if (std::find(chosen.begin(), chosen.end(), root) != chosen.end()) return;
    std::vector<fs::path> found = ReposUnder(config, root);
    if (found.empty() && s.args.roots.empty()) return;  // a likely folder with none
    s.context.out << "  " << root << ": " << found.size() << " repos"
                  << (found.empty() ? "" : " (" + Names(found) + ")") << "\n";
    if (!s.ask.Confirm("Watch the repos under " + root + ", and new clones there?")) return;
    chosen.push_back(root);
    repos.insert(found.begin(), found.end());
  };
  for (const std::string& root : s.offered_roots) offer(root);
  if (chosen.empty()) {
    s.context.out << "  no repos found under the usual folders (~/code, ~/src, ~/projects, "
                     "...)\n";
    for (;;) {
      std::string typed = s.ask.Ask("Where are your repos? (a folder; Enter: skip)");
      if (typed.empty()) break;
      std::error_code ec;
      if (!fs::is_directory(ExpandHome(typed), ec)) {
        s.context.out << "  " << typed << " is no folder\n";
        continue;
      }
      offer(RootWord(typed));
    }
  }
  if (chosen != roots) SetKey(s, "scan", "roots", chosen);
  for (const RepoConfig& rc : config.repos) repos.insert(ExpandHome(rc.path));
  s.repos.assign(repos.begin(), repos.end());
  if (chosen.empty() && s.repos.empty()) {
    s.context.out << "  none watched: add one later with `brag repos add PATH`, or run "
                     "`brag setup --root DIR`\n";
  }
}

// --- the config file --------------------------------------------------------

Status WriteConfig(Setup& s) {
  if (s.changed_keys.empty()) return {};
  std::vector<std::string> warnings;
  Result<Config> parsed = ParseConfigText(s.config_text, s.config_file.string(), &warnings);
  if (!parsed) {
    return MakeError("config", "could not edit " + s.config_file.string() +
                                   " safely (" + parsed.error().message + "); nothing written");
  }
  if (Status w = WriteFileAtomically(s.config_file, s.config_text); !w) return w;
  std::string keys;
  for (const std::string& k : s.changed_keys) keys += (keys.empty() ? "" : ", ") + k;
  s.context.out << "\nwrote " << TildePath(s.config_file) << ": " << keys << "\n";
  Result<Config> loaded = LoadConfigFile(s.config_file, &warnings);
  if (!loaded) return loaded.error();
  s.context.config = *loaded;
  return {};
}

// --- git hooks --------------------------------------------------------------

void HooksStep(Setup& s) {
  if (s.args.no_hooks || s.repos.empty()) return;
  Heading(s, "Git hooks");
  if (!s.ask.Confirm("Install brag's git hooks in " + Plural(static_cast<int64_t>(s.repos.size()), "repo", "repos") +
                     "? A commit's Impact: trailer becomes a note, and a git pull asks "
                     "about what landed")) {
    s.context.out << "  none installed (later: `brag hooks install --all`)\n";
    return;
  }
  hooks::ShimChoice choice;
  choice.watch_poll = s.context.config.watch == Config::Watch::kPoll;
  size_t installed = 0;
  for (const fs::path& repo : s.repos) {
    Result<hooks::InstallReport> r = hooks::Install(repo, choice);
    if (r && r->ok()) {
      ++installed;
    } else {
      s.context.out << "  " << TildePath(repo) << ": "
                    << (r ? "some hooks could not be installed (see `brag hooks status`)"
                          : r.error().message)
                    << "\n";
    }
  }
  s.context.out << "  hooks installed in " << Plural(static_cast<int64_t>(installed), "repo", "repos") << "\n";
}

// --- bragd ------------------------------------------------------------------

// How long `systemctl --user enable --now` may take.
constexpr int kSystemctlMs = 15000;

// bragd.socket is installed and a systemd user manager runs to start it.
bool SystemdUnitUsable() { return UserUnitDir() && UserManagerRuns(); }

// bragd running already: reload it so it reads the new config.
bool ReloadRunning(Setup& s) {
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(s.context.config, Access::kRead, nullptr);
  if (!backend || !(*backend)->daemon()) return false;
  Result<json> reloaded = (*backend)->Call("reload");
  s.context.out << "  bragd is running; "
                << (reloaded ? "it reloaded the config"
                             : "reload failed: " + reloaded.error().message + "")
                << "\n";
  return true;
}

// Where no user manager runs: bragd in the background now, and what would
// start it at the next login.
void StartInBackground(Setup& s) {
  Result<StartOutcome> started = StartBragd(s.context.config, s.context.config_path);
  if (!started) {
    std::string message = started.error().message;
    s.context.out << "  bragd did not start: " << message.substr(0, message.find('\n'))
                  << " (its log: " << TildePath(BragdLogPath()) << "; `brag doctor` says more)\n";
    return;
  }
  s.context.out << "  bragd started (pid " << started->pid << "); log: "
                << TildePath(started->log) << "\n";
  s.context.out << "  no systemd user manager here: to have bragd at every login, put "
                   "`brag start` in your ~/.profile\n";
}

Status DaemonStep(Setup& s) {
  Heading(s, "bragd");
  if (ReloadRunning(s)) return {};
  if (s.args.no_autostart) {
    s.context.out << "  not started (--no-autostart): `brag start` starts it\n";
    return {};
  }
  if (SystemdUnitUsable()) {
    if (!s.ask.Confirm("Start bragd now and at every login (systemctl --user enable --now "
                       "bragd.socket)?")) {
      return {};
    }
    int rc = RunProgram({"systemctl", "--user", "enable", "--now", "bragd.socket"},
                        kSystemctlMs)
                 .code;
    s.context.out << (rc == 0 ? "  enabled: bragd starts when brag first calls it\n"
                              : "  systemctl --user enable --now bragd.socket failed; "
                                "try it yourself, or `brag start`\n");
    return {};
  }
  if (!s.ask.Confirm("Start bragd now (brag start)?")) {
    s.context.out << "  not started: `brag start` starts it\n";
    return {};
  }
  StartInBackground(s);
  return {};
}

// --- PRs already merged -----------------------------------------------------

// "90d" as people say it, "90 days"; anything else as typed.
std::string SpanWords(const std::string& span) {
  static const std::map<char, std::pair<const char*, const char*>> kUnits{
      {'d', {"day", "days"}}, {'w', {"week", "weeks"}}, {'h', {"hour", "hours"}}};
  if (span.size() < 2) return span;
  auto unit = kUnits.find(span.back());
  std::string number = span.substr(0, span.size() - 1);
  if (unit == kUnits.end() ||
      number.find_first_not_of("0123456789") != std::string::npos) {
    return span;
  }
  return Plural(std::stoll(number), unit->second.first, unit->second.second);
}

Status BackfillStep(Setup& s, const std::vector<std::string>& identities) {
  Result<std::chrono::milliseconds> window = ParseDuration(s.args.backfill);
  if (s.args.backfill == "0") window = std::chrono::milliseconds(0);
  if (!window) return window.error();
  if (window->count() == 0 || s.repos.empty() || identities.empty()) return {};
  Heading(s, "PRs you already merged");
  int64_t since = s.context.now - window->count() / 1000;
  bool tty = ::isatty(STDERR_FILENO);
  Backfill found = FindBackfill(s.context.config, s.repos, identities, since,
                                [&](size_t done, size_t total) {
                                  if (tty) s.context.err << "\r  reading " << done << "/"
                                                         << total << " repos..." << std::flush;
                                });
  if (tty) s.context.err << "\r\033[K" << std::flush;
  for (const std::string& u : found.unreadable) s.context.out << "  cannot read " << u << "\n";
  std::string span = "the last " + SpanWords(s.args.backfill);
  if (found.prs() == 0) {
    s.context.out << "  " << span << ": no PRs of yours\n";
    return {};
  }
  s.context.out << "  " << span << ": " << Plural(static_cast<int64_t>(found.prs()), "PR", "PRs") << " of yours in "
                << Plural(static_cast<int64_t>(found.repos.size()), "repo", "repos") << "\n";
  if (!s.ask.Confirm("Record them as prompts, newest first?")) return {};
  Result<BackfillRecorded> recorded = RecordBackfill(s.context.config, found, s.context.now);
  if (!recorded) return recorded.error();
  s.context.out << "  recorded " << Plural(static_cast<int64_t>(recorded->recorded), "prompt", "prompts");
  if (recorded->already_known) s.context.out << " (" << recorded->already_known << " known already)";
  s.context.out << ": answer them with `brag prompt`\n";
  return {};
}

int RunSetup(CommandContext& context, const Args& args) {
  if (!args.yes && !::isatty(context.input_fd)) {
    ReportComplaint(context.err, "brag setup asks questions and stdin is no terminal",
                    "run it on a terminal, or pass --yes to take every default");
    return kExitUsage;
  }
  if (args.backfill != "0" && !ParseDuration(args.backfill)) {
    ReportComplaint(context.err, "--backfill " + args.backfill + " is no duration",
                    "90d, 6w, 2160h; 0 for none");
    return kExitUsage;
  }
  Setup s{context, args, Asker(context, args.yes), {}, {}, {}, {}, {}, {}};
  s.config_file = context.config.source.empty() ? DefaultConfigPath() : context.config.source;
  if (context.config.source.empty()) {
    s.config_text = NewConfigText();
  } else {
    std::ifstream in(context.config.source, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      ReportComplaint(context.err, "cannot read " + context.config.source.string(),
                      "setup edits it in place");
      return kExitFailure;
    }
    s.config_text = text.str();
  }
  context.out << "brag setup: who you are, your repos, git hooks, bragd, and the PRs you "
                 "merged lately.\n";
  if (!args.yes) context.out << "Enter takes the answer in capitals; q or Ctrl-D stops.\n";
  if (!args.roots.empty()) {
    for (const std::string& r : args.roots) s.offered_roots.push_back(RootWord(r));
  } else {
    s.offered_roots = LikelyRoots();
  }
  std::set<fs::path> candidates;
  for (const std::string& r : context.config.scan_roots) {
    for (const fs::path& p : ReposUnder(context.config, r)) candidates.insert(p);
  }
  for (const std::string& r : s.offered_roots) {
    for (const fs::path& p : ReposUnder(context.config, r)) candidates.insert(p);
  }
  s.candidates.assign(candidates.begin(), candidates.end());

  std::vector<std::string> identities;
  auto stopped = [&] {
    if (!s.ask.stopped()) return false;
    context.out << "\nsetup stopped: what it did stays done; `brag setup` again goes on\n";
    return true;
  };
  if (Status st = IdentityStep(s, &identities); !st) return ReportError(context, st.error());
  if (stopped()) return kExitFailure;
  ReposStep(s);
  if (stopped()) return kExitFailure;
  if (Status st = WriteConfig(s); !st) return ReportError(context, st.error());
  HooksStep(s);
  if (stopped()) return kExitFailure;
  if (Status st = DaemonStep(s); !st) return ReportError(context, st.error());
  if (stopped()) return kExitFailure;
  if (Status st = BackfillStep(s, identities); !st) return ReportError(context, st.error());
  if (stopped()) return kExitFailure;
  context.out << "\nDone. `brag doctor` checks the set-up; `brag pending` lists what "
                 "waits for a note.\n";
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> SetupCommands() {
  return {{"setup", "Set brag up: who you are, your repos, hooks, bragd, a backfill",
           &DefineSetup, &RunSetup}};
}

}  // namespace brag::cli
