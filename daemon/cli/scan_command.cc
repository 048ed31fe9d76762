// `brag scan PATH`: the user's PRs already in a repo's history (DESIGN §5, §8),
// listed, or with --record backfilled as prompts. Reads the repo itself, read
// only, and writes the journal directly: SQLite serialises it with bragd.
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>

#include "cli/backfill.h"
#include "cli/command.h"
#include "cli/report.h"
#include "core/paths.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "git/repo.h"
#include "journal/journal.h"
#include "methods/identities.h"
#include "protocol/json_records.h"
#include "scan/history_scan.h"

namespace brag::cli {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

void DefineScan(CLI::App& command, Args& args) {
  command.add_option("PATH", args.path, "A work tree, .git folder or bare repo")
      ->required();
  command.add_option("--branch", args.branch,
                     "Walk this branch's first-parent chain (default: the mainline)");
  command
      .add_option("--since", args.since,
                  "Merged from this date (2026-11-02, 6 months ago)")
      ->check(DateValidator());
  command.add_option("--until", args.before, "Merged before this date")
      ->check(DateValidator());
  CLI::Option* author = command.add_option(
      "--author", args.authors, "Whose PRs (repeatable; default: your identities)");
  command.add_flag("--all-authors", args.all_authors, "Everyone's PRs")
      ->excludes(author);
  command.add_flag("--json", args.json, "Print one JSON object per PR (JSON Lines)");
  command.add_flag("--record", args.record,
                   "Add the PRs as prompts (those already known are skipped)");
}

// Whose PRs: none given means everyone's; an error when the user has no
// identity to go by.
Result<std::vector<std::string>> IdentitiesFor(const Config& config, const Args& args) {
  if (args.all_authors) return std::vector<std::string>();
  if (!args.authors.empty()) return args.authors;
  std::vector<std::string> mine = IdentitiesOf(config);
  if (!mine.empty()) return mine;
  return MakeError("no_identity",
                   "whose PRs? set [identity] emails in the config or `git config "
                   "--global user.email`, or pass --author EMAIL or --all-authors");
}

Result<HistoryQuery> QueryFor(const CommandContext& context, const Args& args,
                              const std::string& repo_path) {
  HistoryQuery query = QueryForRepo(context.config, repo_path);
  query.branch = args.branch;
  if (!args.since.empty()) {
    Result<int64_t> since = ParseDate(args.since, context.now);
    if (!since) return since.error();
    query.since = *since;
  }
  if (!args.before.empty()) {
    Result<int64_t> until = ParseDate(args.before, context.now);
    if (!until) return until.error();
    query.until = *until;
  }
  Result<std::vector<std::string>> identities = IdentitiesFor(context.config, args);
  if (!identities) return identities.error();
  query.identities = std::move(*identities);
  return query;
}

// "scanned 12000 commits, 340 PRs" on a terminal's stderr, rewritten in place
// at most ten times a second, and wiped when the scan is done.
class ProgressLine {
 public:
  explicit ProgressLine(std::ostream& err) : err_(err), shown_(isatty(STDERR_FILENO)) {}
  ~ProgressLine() {
    if (drawn_) err_ << "\r\033[K" << std::flush;
  }

  ScanProgressFn Callback() {
    if (!shown_) return {};
    return [this](const ScanProgress& p) { Show(p); };
  }

 private:
  void Show(const ScanProgress& p) {
    Clock::time_point now = Clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    err_ << "\rscanned " << p.commits << " commits, " << p.prs << " PRs..."
         << std::flush;
  }

  std::ostream& err_;
  bool shown_;
  bool drawn_ = false;
  Clock::time_point last_;
};

json ScanJson(const Event& event, const std::string& repo) {
  json item{{"kind", ToString(event.kind)},
              {"forge", event.forge},
              {"pr", event.pr > 0 ? json(event.pr) : json(nullptr)},
              {"title", event.title},
              {"branch", event.branch.empty() ? json(nullptr) : json(event.branch)},
              {"commit", event.commit},
              {"authors", event.authors},
              {"time", FormatIsoUtc(event.commit_time)},
              {"repo", repo}};
  if (event.kind == EventKind::kIncidentClosed) item["incident"] = IncidentJson(event);
  return item;
}

// date, forge, PR, title, authors.
std::string ScanLine(const json& item, const Style& style) {
  std::string authors;
  for (const json& a : item["authors"]) {
    authors +=
        (authors.empty() ? "" : ", ") + InertText(a.get_ref<const std::string&>());
  }
  return style.Paint(LocalDate(item["time"]), Tone::kDim) + "  " + Text(item, "forge") +
         "  " + style.Paint(KindMarker(item), Tone::kCyan) + "  " + Subject(item) +
         "  " + style.Paint("(" + authors + ")", Tone::kDim);
}

// Newest first, as `git log` and `brag pending` list (the scan reads the
// history oldest first).
void Print(CommandContext& context, const Args& args, const HistoryScan& scan,
           const std::string& repo) {
  for (auto it = scan.events.rbegin(); it != scan.events.rend(); ++it) {
    json item = ScanJson(*it, repo);
    if (args.json) {
      context.out << JsonLine(item);
    } else {
      context.out << ScanLine(item, context.style) << "\n";
    }
  }
  if (!args.json && scan.events.empty()) {
    context.out << "No PRs of those authors on " << InertText(scan.ref) << " ("
                << scan.totals.commits << " commits, " << scan.totals.prs
                << " PRs in all).\n";
  }
}

Status Record(CommandContext& context, const Args& args, git::Repo& repo,
              HistoryScan& scan) {
  if (Status s = AddDiffstats(repo, &scan.events); !s) return s;
  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(JournalPath(context.config), Journal::Mode::kReadWrite);
  if (!journal) return journal.error();
  Result<RepoRecord> row = (*journal)->repos().AddRepo(repo.DisplayPath().string(), "",
                                                       "added", context.now);
  if (!row) return row.error();
  Result<std::vector<Prompt>> made =
      (*journal)->repos().RecordEvents(row->id, scan.events, context.now);
  if (!made) return made.error();
  // With --json, stdout stays JSON Lines: the summary goes to stderr.
  std::ostream& summary = args.json ? context.err : context.out;
  summary << "recorded " << made->size() << " new prompts ("
          << scan.events.size() - made->size() << " already known)\n";
  return {};
}

int RunScan(CommandContext& context, const Args& args) {
  git::EnsureInit();
  Result<git::Repo> repo = git::Repo::Open(args.path);
  if (!repo) return ReportError(context, repo.error());
  std::string repo_path = repo->DisplayPath().string();
  Result<HistoryQuery> query = QueryFor(context, args, repo_path);
  if (!query) return ReportError(context, query.error());
  Result<HistoryScan> scan = [&] {
    ProgressLine progress(context.err);
    return ScanHistory(*repo, *query, progress.Callback());
  }();
  if (!scan) return ReportError(context, scan.error());
  Print(context, args, *scan, repo_path);
  if (args.record) {
    if (Status s = Record(context, args, *repo, *scan); !s) {
      return ReportError(context, s.error());
    }
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> ScanCommands() {
  return {
      {"scan", "List your PRs already in a repo's history; --record makes them prompts",
       &DefineScan, &RunScan},
  };
}

}  // namespace brag::cli
