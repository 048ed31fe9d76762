// Benchmark: `brag scan --json --author X` against `git log --format='%H %P %ae'`
// on the same generated history (DESIGN §10: the scan no slower than the log).
//
// Generates a repo with git fast-import: PRs by six authors, GitHub merges of
// branches of 2-5 commits (now and then one commit by a teammate) and GitHub
// squashes, plus direct commits on main. Then runs both commands alternately,
// stdout to /dev/null, and prints the median wall time of each and the ratio.
//
//   build/bench/bench_scan_vs_git_log [MERGES=3000] [RUNS=9] [--gc] [--keep]
//
// --gc repacks the repo first (git gc --aggressive is not needed: a plain
// `git repack -adq` gives the pack a clone or a gc would). --keep leaves the
// generated repo in place and prints its path.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kAuthors[] = {"me@example.com",  "ana@example.com",
                                    "bo@example.com",  "chen@example.com",
                                    "dee@example.com", "eli@example.com"};
constexpr int kAuthorCount = 6;
constexpr const char* kMe = "me@example.com";

void Data(std::ostream& out, const std::string& text) {
  out << "data " << text.size() << "\n" << text << "\n";
}

// Writes the fast-import stream; returns {commits, PRs}.
std::pair<int, int> WriteHistory(const fs::path& stream_path, int merges) {
  std::ofstream out(stream_path);
  long t = 1600000000;
  int mark = 0, commits = 0, prs = 0;
  auto commit = [&](const std::string& ref, const std::string& email,
                    const std::string& message, int from, int merge,
                    const std::string& file) {
    ++mark;
    ++commits;
    t += 37;
    std::string name = email.substr(0, email.find('@'));
    out << "commit " << ref << "\nmark :" << mark << "\n"
        << "author " << name << " <" << email << "> " << t << " +0000\n"
        << "committer " << name << " <" << email << "> " << t << " +0000\n";
    Data(out, message);
    if (from > 0) out << "from :" << from << "\n";
    if (merge > 0) out << "merge :" << merge << "\n";
    out << "M 644 inline " << file << "\n";
    Data(out, "change " + std::to_string(mark) + "\n");
    return mark;
  };
  int main_tip = commit("refs/heads/main", kMe, "initial commit", 0, 0, "README");
  int pr = 0;
  for (int i = 0; i < merges; ++i) {
    std::string author = kAuthors[i % kAuthorCount];
    std::string branch = "topic-" + std::to_string(i);
    std::string dir = "src/d" + std::to_string(i % 40) + "/";
    // A GitHub merge of a branch of 2-5 commits.
    int n = 2 + (i * 7) % 4;
    int tip = main_tip;
    for (int k = 0; k < n; ++k) {
      std::string who =
          (k == 1 && i % 5 == 0) ? kAuthors[(i + 1) % kAuthorCount] : author;
      tip = commit("refs/heads/" + branch, who,
                   "Work on " + branch + " part " + std::to_string(k) +
                       "\n\nSome explanation of the change.\n",
                   tip, 0, dir + "f" + std::to_string((i + k) % 25) + ".txt");
    }
    ++pr;
    ++prs;
    main_tip = commit("refs/heads/main", "noreply@github.com",
                      "Merge pull request #" + std::to_string(pr) + " from owner/" +
                          branch + "\n\nTitle of PR " + std::to_string(pr) + "\n",
                      main_tip, tip, dir + "merged.txt");
    // Every other merge: a squash, and a direct commit.
    if (i % 2 == 0) {
      ++pr;
      ++prs;
      main_tip = commit("refs/heads/main", kAuthors[(i / 2) % kAuthorCount],
                        "Squash title " + std::to_string(pr) + " (#" +
                            std::to_string(pr) + ")\n\n* part one\n* part two\n",
                        main_tip, 0, dir + "squash.txt");
      main_tip = commit("refs/heads/main", kAuthors[(i + 2) % kAuthorCount],
                        "Direct fix " + std::to_string(i) + "\n", main_tip, 0,
                        dir + "direct.txt");
    }
  }
  return {commits, prs};
}

int Sh(const std::string& cmd) { return std::system(cmd.c_str()); }

// Runs argv with stdout to /dev/null and stdin from /dev/null; wall time in ms.
double TimeRun(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  Clock::time_point start = Clock::now();
  pid_t pid;
  if (posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    std::cerr << "cannot run " << args[0] << "\n";
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  posix_spawn_file_actions_destroy(&actions);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << args[0] << " failed (status " << status << ")\n";
    std::exit(1);
  }
  return ms;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string Count(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[256];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  if (p) pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int merges = 3000, runs = 9;
  bool gc = false, keep = false;
  std::vector<int> numbers;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--gc") {
      gc = true;
    } else if (a == "--keep") {
      keep = true;
    } else {
      numbers.push_back(std::atoi(argv[i]));
    }
  }
  if (numbers.size() > 0) merges = numbers[0];
  if (numbers.size() > 1) runs = numbers[1];

  fs::path dir =
      fs::temp_directory_path() / ("brag-bench-scan-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path repo = dir / "repo";
  fs::path config = dir / "config.toml";
  std::ofstream(config) << "[journal]\npath = \"" << (dir / "journal.db").string()
                        << "\"\n";
  auto [commits, prs] = WriteHistory(dir / "stream", merges);
  if (Sh("git init -q -b main " + repo.string() + " && git -C " + repo.string() +
         " fast-import --quiet < " + (dir / "stream").string()) != 0) {
    std::cerr << "fast-import failed\n";
    return 1;
  }
  if (gc && Sh("git -C " + repo.string() + " repack -adq") != 0) return 1;
  setenv("BRAG_CONFIG", config.c_str(), 1);

  std::vector<std::string> scan = {BRAG_BIN, "scan",     repo.string(),
                                   "--json", "--author", kMe};
  std::vector<std::string> log = {
      "git", "-C", repo.string(), "log", "--format=%H %P %ae", "main"};
  std::string mine = Count(std::string(BRAG_BIN) + " scan " + repo.string() +
                           " --json --author " + kMe + " | wc -l");
  std::cout << "history: " << commits << " commits, " << prs << " PRs (" << merges
            << " merges), " << kAuthorCount << " authors; " << mine << " PRs of " << kMe
            << "; pack: " << (gc ? "repacked" : "fast-import") << "\n";

  TimeRun(scan);  // warm the page cache for both
  TimeRun(log);
  std::vector<double> scan_ms, log_ms;
  for (int i = 0; i < runs; ++i) {
    scan_ms.push_back(TimeRun(scan));
    log_ms.push_back(TimeRun(log));
  }
  double s = Median(scan_ms), l = Median(log_ms);
  std::printf("runs: %d each, alternating\n", runs);
  std::printf("brag scan --json --author %s   median %8.1f ms  (min %.1f)\n", kMe, s,
              *std::min_element(scan_ms.begin(), scan_ms.end()));
  std::printf("git log --format='%%H %%P %%ae' main  median %8.1f ms  (min %.1f)\n", l,
              *std::min_element(log_ms.begin(), log_ms.end()));
  std::printf("ratio scan/log: %.2f (target <= 1.0)\n", s / l);
  if (keep) {
    std::cout << "kept " << repo.string() << "\n";
  } else {
    fs::remove_all(dir);
  }
  return 0;
}
