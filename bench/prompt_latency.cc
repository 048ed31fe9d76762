// Benchmark: ref update on disk -> prompt received by a subscribed client
// (DESIGN §10: median <= 20 ms, p99 <= 100 ms).
//
// Builds a repo with N GitHub merge commits of the user's (git fast-import),
// starts the real bragd on it, subscribes, then moves refs/heads/main one
// merge at a time exactly as git does (write main.lock, rename it over
// main) and times each rename until the prompt arrives on the socket.
//
//   build/bench/bench_prompt_latency [N=300]
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "protocol/client.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

int Sh(const std::string& cmd) { return std::system(cmd.c_str()); }

std::string Slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Data(std::ostream& out, const std::string& text) {
  out << "data " << text.size() << "\n" << text << "\n";
}

// Writes a fast-import stream: an initial commit, then per PR a branch
// commit by me and a --no-ff merge of it into "staging" by someone else.
void WriteHistory(const fs::path& stream_path, int n) {
  std::ofstream out(stream_path);
  long t = 1700000000;
  out << "commit refs/heads/main\nmark :1\n"
      << "author Me <me@example.com> " << t << " +0000\n"
      << "committer Me <me@example.com> " << t << " +0000\n";
  Data(out, "initial commit");
  out << "M 644 inline README\n";
  Data(out, "hello");
  int prev = 1;
  for (int i = 1; i <= n; ++i) {
    int work = 2 * i, merge = 2 * i + 1;
    std::string file = "src/f" + std::to_string(i) + ".txt";
    out << "commit refs/heads/pr" << i << "\nmark :" << work << "\n"
        << "author Me <me@example.com> " << t + i << " +0000\n"
        << "committer Me <me@example.com> " << t + i << " +0000\n";
    Data(out, "Work for PR " + std::to_string(i));
    out << "from :" << prev << "\nM 644 inline " << file << "\n";
    Data(out, "change " + std::to_string(i));
    out << "commit refs/heads/staging\nmark :" << merge << "\n"
        << "author Merger <merger@example.com> " << t + i << " +0000\n"
        << "committer GitHub <noreply@github.com> " << t + i << " +0000\n";
    Data(out, "Merge pull request #" + std::to_string(i) + " from me/pr" +
                  std::to_string(i) + "\n\nSpeed up thing " + std::to_string(i));
    out << "from :" << prev << "\nmerge :" << work << "\nM 644 inline " << file
        << "\n";
    Data(out, "change " + std::to_string(i));
    prev = merge;
  }
}

std::map<int, std::string> ReadMarks(const fs::path& marks) {
  std::map<int, std::string> out;
  std::istringstream in(Slurp(marks));
  std::string mark, oid;
  while (in >> mark >> oid) out[std::stoi(mark.substr(1))] = oid;
  return out;
}

void MoveRef(const fs::path& git_dir, const std::string& oid) {
  fs::path ref = git_dir / "refs/heads/main";
  fs::path lock = git_dir / "refs/heads/main.lock";
  {
    std::ofstream f(lock);
    f << oid << "\n";
  }
  fs::rename(lock, ref);
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 300;
  char templ[] = "/tmp/brag-bench-XXXXXX";
  fs::path root = mkdtemp(templ);
  fs::path repo = root / "repo", home = root / "home";
  fs::create_directories(home / "run");
  fs::permissions(home / "run", fs::perms::owner_all, fs::perm_options::replace);
  setenv("HOME", home.c_str(), 1);
  setenv("XDG_RUNTIME_DIR", (home / "run").c_str(), 1);
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  std::ofstream(root / "config.toml")
      << "[identity]\nemails = [\"me@example.com\"]\n"
      << "[journal]\npath = \"" << (root / "journal.db").string() << "\"\n"
      << "[daemon]\nsocket = \"" << (root / "sock/bragd.sock").string()
      << "\"\nnotify = false\nlog_level = \"warn\"\n";

  WriteHistory(root / "history.fi", n);
  if (Sh("git init -q -b main " + repo.string() + " && git -C " + repo.string() +
         " fast-import --quiet --export-marks=" + (root / "marks").string() + " < " +
         (root / "history.fi").string()) != 0) {
    std::cerr << "bench: building the history failed\n";
    return 1;
  }
  std::map<int, std::string> marks = ReadMarks(root / "marks");

  pid_t pid = fork();
  if (pid == 0) {
    execl(BRAGD_BIN, "bragd", "--config", (root / "config.toml").c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  brag::Result<brag::protocol::Client> client =
      brag::MakeError("unreachable", "not yet");
  for (auto deadline = Clock::now() + std::chrono::seconds(10);
       !client && Clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    client = brag::protocol::Client::Connect(root / "sock/bragd.sock");
  }
  if (!client) {
    std::cerr << "bench: bragd did not start\n";
    return 1;
  }
  if (!client->Call("repos.add", {{"path", repo.string()}}) ||
      !client->Call("subscribe")) {
    std::cerr << "bench: bragd refused the set-up\n";
    return 1;
  }

  std::vector<double> ms;
  int lost = 0;
  fs::path git_dir = repo / ".git";
  for (int i = 1; i <= n; ++i) {
    auto t0 = Clock::now();
    MoveRef(git_dir, marks[2 * i + 1]);
    brag::Result<nlohmann::json> ev = client->NextEvent(5000);
    auto t1 = Clock::now();
    if (!ev || (*ev)["data"]["pr"] != i) {
      ++lost;
      continue;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  kill(pid, SIGTERM);
  int status;
  waitpid(pid, &status, 0);
  fs::remove_all(root);

  if (ms.empty()) {
    std::cerr << "bench: no prompt arrived\n";
    return 1;
  }
  printf("prompt latency over %zu merges (%d lost): median %.2f ms, p90 %.2f ms, "
         "p99 %.2f ms, max %.2f ms\n",
         ms.size(), lost, Percentile(ms, 0.5), Percentile(ms, 0.9),
         Percentile(ms, 0.99), Percentile(ms, 1.0));
  return lost == 0 ? 0 : 1;
}
