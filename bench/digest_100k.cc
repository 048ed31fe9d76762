// Benchmark: `brag digest` and `brag review` over a generated journal
// (DESIGN §10: one week <= 30 ms; a ten-year journal of 10,000 notes
// <= 150 ms in each format; 100,000 notes measured and reported).
//
// Generates a journal through the Journal API, as bragd fills it: merged PRs
// (with changed paths and a diffstat) answered with one-line notes, spread
// over two years, plus free notes and some prompts left pending, in a repo
// whose remote is on GitHub, so every win has its link. The notes
// mix quantified claims, weak phrasing and invisible work, so every part of
// the digest (metrics, Sharpen, categories, invisible-work globs) runs. Then
// times the real `brag` binary, stdout to /dev/null, bragd not running:
//   digest over a window holding every note (md, json, html),
//   digest of one week (md, html),
//   review over every note and over six months.
// With --brag given more than once, each binary in turn on every run (side
// by side, so that the machine's drift hits them alike), each with its own
// median and the ratio of the first to the last.
//
//   build/bench/bench_digest_100k [NOTES=100000] [RUNS=7] [--years=2] [--keep]
//                                 [--brag=PATH]...
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "journal/journal.h"

extern char** environ;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

using namespace brag;

namespace {

constexpr int64_t kStart = 1704067200;  // 2024-01-01T00:00:00Z

const char* kServices[] = {"orders",  "payments", "search",   "catalog", "auth",
                           "billing", "ledger",   "webhooks", "profile", "shipping"};
const char* kPeople[] = {"Sam", "Ana", "Bo", "Chen", "Dee"};

std::string Pick(const char* const* list, size_t n, uint64_t i) { return list[i % n]; }

// A one-line note, chosen and filled in by `i`.
std::string NoteText(uint64_t i) {
  std::string svc = Pick(kServices, 10, i / 7);
  std::string n1 = std::to_string(200 + (i * 37) % 3000);
  std::string n2 = std::to_string(10 + (i * 13) % 190);
  switch (i % 10) {
    case 0:
      return "Cut p95 of the " + svc + " API from " + n1 + "ms to " + n2 + "ms #perf";
    case 1:
      return "Helped with the " + svc + " migration";
    case 2:
      return "Fixed flaky tests in " + svc + ", CI red builds from " + n2 +
             " to 2 a week";
    case 3:
      return "Reduced the " + svc + " cloud bill by $" + n1 + "/month";
    case 4:
      return "Mentored " + Pick(kPeople, 5, i) + " through their first " + svc +
             " on-call";
    case 5:
      return "Wrote the runbook for " + svc + " failover";
    case 6:
      return "Worked on the " + svc + " dashboards and alerts";
    case 7:
      return "Moved " + n2 + " million " + svc +
             " records to the new schema with zero downtime";
    case 8:
      return "Led the " + svc +
             " API design review with 3 teams; next: publish the ADR";
    default:
      return "Made " + svc + " checkout " + std::to_string(2 + i % 9) + "x faster";
  }
}

std::vector<std::string> Paths(uint64_t i) {
  std::string svc = Pick(kServices, 10, i / 7);
  switch (i % 4) {
    case 0:
      return {"services/" + svc + "/handler.go",
              "services/" + svc + "/handler_test.go"};
    case 1:
      return {".github/workflows/ci.yml", "services/" + svc + "/flaky_test.go"};
    case 2:
      return {"migrations/" + std::to_string(i % 500) + "_" + svc + ".sql",
              "services/" + svc + "/store.go", "docs/" + svc + ".md"};
    default:
      return {"services/" + svc + "/api.proto", "services/" + svc + "/server.go"};
  }
}

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "bench_digest_100k: " << what << "\n";
    std::exit(1);
  }
}

// Fills `path` with `notes` notes in `repo_path` over `span` seconds from
// 2024: 90% answers to merged PRs, 10% free notes, plus 2% more PRs left
// pending.
void Generate(const fs::path& path, const fs::path& repo_path, int notes,
              int64_t span) {
  Result<std::unique_ptr<Journal>> opened =
      Journal::Open(path, Journal::Mode::kReadWrite);
  Check(opened.has_value(), "cannot open the journal");
  Journal& j = **opened;
  Result<RepoRecord> repo =
      j.repos().AddRepo(repo_path.string(), "shop", "added", kStart);
  Check(repo.has_value(), "AddRepo failed");
  int events = notes * 9 / 10;
  int pending = notes / 50;
  // Nine merges in ten carry a PR number (squash merges on GitHub); the
  // others are local merges. Each numbered PR is looked up before it is
  // recorded, over the events_pr index (schema version 4).
  std::vector<Event> all;
  for (int k = 0; k < events + pending; ++k) {
    uint64_t i = static_cast<uint64_t>(k);
    Event e;
    e.kind = EventKind::kPrMerged;
    char oid[41];
    std::snprintf(oid, sizeof oid, "%040llx", static_cast<unsigned long long>(i + 1));
    e.key = e.commit = oid;
    bool numbered = k % 10 != 9;
    e.forge = numbered ? "github" : "local";
    e.pr = numbered ? k + 1 : 0;
    e.title = "Change " + std::to_string(k + 1) + " in " + Pick(kServices, 10, i / 7);
    e.branch = "pr-" + std::to_string(k + 1);
    e.authors = {"me@example.com"};
    e.commit_time = kStart + static_cast<int64_t>(i) * span / (events + pending);
    e.diffstat = {static_cast<int>(1 + i % 9), static_cast<int>(i % 400),
                  static_cast<int>(i % 120)};
    e.paths = Paths(i);
    all.push_back(std::move(e));
  }
  std::vector<int64_t> prompt_of(all.size(), 0);
  const size_t kBatch = 2000;
  for (size_t base = 0; base < all.size(); base += kBatch) {
    std::vector<Event> batch(
        all.begin() + static_cast<std::ptrdiff_t>(base),
        all.begin() + static_cast<std::ptrdiff_t>(std::min(base + kBatch, all.size())));
    Result<std::vector<Prompt>> made =
        j.repos().RecordEvents(repo->id, batch, kStart + span);
    Check(made.has_value() && made->size() == batch.size(), "RecordEvents failed");
    for (size_t m = 0; m < batch.size(); ++m) prompt_of[base + m] = (*made)[m].id;
  }
  // Every 50th PR stays pending; the others get a note.
  int answered = 0;
  for (size_t k = 0; k < all.size() && answered < events; ++k) {
    if (k % 50 == 49) continue;
    Result<Note> n = j.prompts().Answer(prompt_of[k], NoteText(k), kStart + span);
    Check(n.has_value(), "Answer failed");
    ++answered;
  }
  for (int k = events; k < notes; ++k) {
    NewNote note;
    note.text = NoteText(static_cast<uint64_t>(k));
    note.tags = k % 3 == 0 ? std::vector<std::string>{"leadership"}
                           : std::vector<std::string>{};
    Result<Note> n = j.prompts().AddNote(
        note, kStart + static_cast<int64_t>(k - events) * span / (notes - events));
    Check(n.has_value(), "AddNote failed");
  }
}

double RunMs(std::vector<std::string> args, const std::string& brag) {
  args.insert(args.begin(), brag);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  auto start = Clock::now();
  pid_t pid;
  Check(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0,
        "cannot run " + args[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  posix_spawn_file_actions_destroy(&actions);
  Check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "brag failed: " + args[1]);
  return ms;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int notes = 100000;
  int runs = 7;
  int years = 2;
  bool keep = false;
  std::vector<std::string> brags;
  std::vector<int> numbers;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--keep") {
      keep = true;
    } else if (a.starts_with("--years=")) {
      years = std::atoi(a.c_str() + 8);
    } else if (a.starts_with("--brag=")) {
      brags.push_back(a.substr(7));
    } else {
      numbers.push_back(std::atoi(argv[i]));
    }
  }
  if (numbers.size() > 0) notes = numbers[0];
  if (numbers.size() > 1) runs = numbers[1];
  if (brags.empty()) brags.push_back(BRAG_BIN);
  Check(
      notes >= 100 && runs >= 1 && years >= 1,
      "usage: bench_digest_100k [NOTES] [RUNS] [--years=N] [--keep] [--brag=PATH]...");

  fs::path dir =
      fs::temp_directory_path() / ("bench-digest-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path config = dir / "config.toml";
  std::ofstream(config) << "[journal]\npath = \"" << (dir / "journal.db").string()
                        << "\"\n[daemon]\nsocket = \"" << (dir / "none.sock").string()
                        << "\"\n";
  setenv("BRAG_CONFIG", config.c_str(), 1);
  setenv("BRAG_SOCKET", (dir / "none.sock").c_str(), 1);
  setenv("TZ", "UTC", 1);

  // A real repo with a GitHub remote, as most are: every PR and commit in
  // the digest gets its link.
  fs::path repo = dir / "shop";
  std::string git = "git init -q '" + repo.string() + "' && git -C '" + repo.string() +
                    "' remote add origin git@github.com:acme/shop.git";
  Check(std::system(git.c_str()) == 0, "cannot make the repo: " + git);

  auto gen_start = Clock::now();
  Generate(dir / "journal.db", repo, notes, years * 365 * int64_t{86400});
  double gen_s = std::chrono::duration<double>(Clock::now() - gen_start).count();
  std::printf(
      "journal: %d notes (+%d pending prompts) over %d years in %s, generated in %.1f "
      "s\n",
      notes, notes / 50, years, (dir / "journal.db").c_str(), gen_s);

  struct Case {
    std::string name;
    std::vector<std::string> args;
  };
  // Every note: from before the first to after the last (June after the
  // journal's last year).
  std::string all_until = std::to_string(2024 + years) + "-06-01";
  std::vector<std::string> all = {"--since", "2023-12-01", "--until", all_until};
  auto with = [](std::vector<std::string> a, std::vector<std::string> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  std::vector<Case> cases = {
      {"digest, all notes, md", with({"digest"}, all)},
      {"digest, all notes, json", with(with({"digest"}, all), {"--format", "json"})},
      {"digest, all notes, html", with(with({"digest"}, all), {"--format", "html"})},
      {"digest, one week (2025-W10), md", {"digest", "--week", "2025-W10"}},
      {"digest, one week (2025-W10), html",
       {"digest", "--week", "2025-W10", "--format", "html"}},
      {"review, all notes", with({"review"}, all)},
      // review's default window: six months
      {"review, six months",
       {"review", "--since", "2025-07-01", "--until", "2026-01-01"}},
  };
  for (const Case& c : cases) {
    std::vector<std::vector<double>> times(brags.size());
    for (const std::string& brag : brags) RunMs(c.args, brag);  // warm the page cache
    for (int r = 0; r < runs; ++r) {
      for (size_t b = 0; b < brags.size(); ++b)
        times[b].push_back(RunMs(c.args, brags[b]));
    }
    std::printf("%-34s", c.name.c_str());
    for (const std::vector<double>& t : times) {
      std::printf("  median %7.1f ms (min %7.1f, max %7.1f)", Median(t),
                  *std::min_element(t.begin(), t.end()),
                  *std::max_element(t.begin(), t.end()));
    }
    if (brags.size() > 1)
      std::printf("  ratio %.2f", Median(times.front()) / Median(times.back()));
    std::printf("  %d runs\n", runs);
  }
  if (keep) {
    std::printf("kept %s\n", dir.c_str());
  } else {
    fs::remove_all(dir);
  }
  return 0;
}
