// Benchmark: `status` round trips while 30 clients flood bragd (issue 12:
// answered within 100 ms while 30 clients flood; scans and digests do not
// hold the loop).
//
// Fills a journal through the Journal API, as bragd fills it: NOTES merged
// PRs of the user's over the last six months, answered with one-line notes,
// and PENDING more left pending, in a real repo with a GitHub remote. Starts
// the real bragd on it (this build's, or --bragd PATH: run two builds side
// by side), then 30 flood clients, one thread each, looping `pending`, `log`
// (every entry, as `brag log`) and `digest` (the last 7 days): 20 read their
// replies, 10 never do (they write requests until bragd stops reading
// them). Meanwhile one more client times `status` round trips for SECONDS:
// median, p90, p99, max; a round trip over 5 s counts as failed. Also
// prints how many flood requests were answered and bragd's peak RSS.
//
//   build/bench/bench_status_under_flood [SECONDS=20] [NOTES=300] [PENDING=150]
//                                        [--bragd PATH] [--keep]
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "journal/journal.h"
#include "protocol/client.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
using namespace brag;

namespace {

constexpr int kReaders = 20;
constexpr int kHoarders = 10;
constexpr int64_t kSpan = 180 * 86400;  // the journal's six months

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "bench_status_under_flood: " << what << "\n";
    std::exit(1);
  }
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* kNotes[] = {
    "Cut p95 of the orders API from 840ms to 95ms #perf",
    "Helped with the payments migration",
    "CI red builds from 14 to 2 a week by fixing flaky search tests",
    "Reduced the catalog cloud bill by $1,200/month",
    "Mentored Ana through her first auth on-call",
    "Wrote the runbook for ledger failover",
    "Moved 40 million billing records to the new schema with zero downtime",
    "Made checkout 3x faster",
};

// `notes` answered PRs and `pending` PRs left pending, spread over the last
// six months, in `repo`.
void Generate(const fs::path& journal, const fs::path& repo, int notes, int pending) {
  Result<std::unique_ptr<Journal>> opened =
      Journal::Open(journal, Journal::Mode::kReadWrite);
  Check(opened.has_value(), "cannot open the journal");
  Journal& j = **opened;
  int64_t now = UnixNow();
  Result<RepoRecord> r = j.repos().AddRepo(repo.string(), "shop", "added", now);
  Check(r.has_value(), "AddRepo failed");
  std::vector<Event> events;
  int total = notes + pending;
  for (int i = 0; i < total; ++i) {
    Event e;
    e.kind = EventKind::kPrMerged;
    char oid[41];
    std::snprintf(oid, sizeof oid, "%040x", i + 1);
    e.key = e.commit = oid;
    e.forge = "github";
    e.pr = i + 1;
    e.title = "Speed up the orders query, step " + std::to_string(i + 1);
    e.branch = "pr-" + std::to_string(i + 1);
    e.authors = {"me@example.com"};
    e.commit_time = now - kSpan + static_cast<int64_t>(i) * kSpan / total;
    e.diffstat = {3, 40 + i % 200, i % 30};
    e.paths = {"services/orders/store.go", "services/orders/store_test.go",
               "migrations/" + std::to_string(i) + "_orders.sql"};
    events.push_back(std::move(e));
  }
  Result<std::vector<Prompt>> made = j.repos().RecordEvents(r->id, events, now);
  Check(made.has_value() && static_cast<int>(made->size()) == total,
        "RecordEvents failed");
  for (int i = 0; i < notes; ++i) {
    Check(j.prompts().Answer((*made)[i].id, kNotes[i % 8], now).has_value(),
          "Answer failed");
  }
}

const char* kKinds[] = {"pending", "log", "digest"};

std::string RequestOf(int64_t id, int kind, int64_t since) {
  if (kind == 2) return protocol::RequestLine(id, "digest", {{"since", since}});
  return protocol::RequestLine(id, kKinds[kind], json::object());
}

// The flood's `id`th request of a client whose first is of kind `seed`.
std::string Request(int64_t id, int seed, int64_t since) {
  return RequestOf(id, static_cast<int>((seed + id) % 3), since);
}

// Sends one request and reads its reply line, whatever its length.
bool RoundTrip(int fd, const std::string& request, std::atomic<bool>& stop) {
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return false;
  }
  char buf[65536];
  while (!stop) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 100) <= 0) continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    if (std::find(buf, buf + n, '\n') != buf + n) return true;
  }
  return false;
}

struct Flood {
  std::atomic<bool> stop{false};
  std::atomic<long> answered{0};
  std::atomic<long> reconnects{0};
};

void Reader(const fs::path& socket, int seed, int64_t since, Flood& flood) {
  int64_t id = 0;
  while (!flood.stop) {
    Result<protocol::Client> c = protocol::Client::Connect(socket);
    if (!c) return;
    while (!flood.stop && RoundTrip(c->fd(), Request(++id, seed, since), flood.stop)) {
      ++flood.answered;
    }
    if (!flood.stop) ++flood.reconnects;
  }
}

// Writes requests and never reads a reply.
void Hoarder(const fs::path& socket, int seed, int64_t since, Flood& flood) {
  Result<protocol::Client> c = protocol::Client::Connect(socket);
  if (!c) return;
  int64_t id = 0;
  std::string pending;
  while (!flood.stop) {
    if (pending.empty()) pending = Request(++id, seed, since);
    ssize_t n =
        ::send(c->fd(), pending.data(), pending.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      pending.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return;  // dropped
    pollfd pfd{c->fd(), POLLOUT, 0};
    ::poll(&pfd, 1, 100);
  }
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

long PeakRssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string bragd = BRAGD_BIN;
  std::vector<int> numbers;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--keep") {
      keep = true;
    } else if (a == "--bragd" && i + 1 < argc) {
      bragd = argv[++i];
    } else {
      numbers.push_back(std::atoi(argv[i]));
    }
  }
  int seconds = numbers.size() > 0 ? numbers[0] : 20;
  int notes = numbers.size() > 1 ? numbers[1] : 300;
  int pending = numbers.size() > 2 ? numbers[2] : 150;
  Check(seconds > 0 && notes >= 0 && pending >= 0,
        "usage: bench_status_under_flood [SECONDS] [NOTES] [PENDING] [--bragd PATH] "
        "[--keep]");

  char templ[] = "/tmp/brag-bench-XXXXXX";
  fs::path root = mkdtemp(templ);
  fs::path home = root / "home", repo = root / "shop",
           socket = root / "sock/bragd.sock";
  fs::create_directories(home);
  setenv("HOME", home.c_str(), 1);
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  setenv("GIT_AUTHOR_NAME", "Me", 1);
  setenv("GIT_AUTHOR_EMAIL", "me@example.com", 1);
  setenv("GIT_COMMITTER_NAME", "Me", 1);
  setenv("GIT_COMMITTER_EMAIL", "me@example.com", 1);
  std::ofstream(root / "config.toml")
      << "[identity]\nemails = [\"me@example.com\"]\n"
      << "[journal]\npath = \"" << (root / "journal.db").string() << "\"\n"
      << "[daemon]\nsocket = \"" << socket.string() << "\"\nnotify = false\n"
      << "log_level = \"warn\"\n";
  std::string git = "git init -q -b main '" + repo.string() + "' && git -C '" +
                    repo.string() + "' commit -q --allow-empty -m initial && git -C '" +
                    repo.string() + "' remote add origin git@github.com:acme/shop.git";
  Check(std::system(git.c_str()) == 0, "cannot make the repo");
  Generate(root / "journal.db", repo, notes, pending);

  pid_t pid = fork();
  if (pid == 0) {
    execl(bragd.c_str(), "bragd", "--config", (root / "config.toml").c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  Result<protocol::Client> timer = MakeError("unreachable", "not yet");
  for (auto deadline = Clock::now() + std::chrono::seconds(10);
       !timer && Clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    timer = protocol::Client::Connect(socket);
  }
  Check(timer.has_value(), "bragd did not start");
  Check(timer->Call("status").has_value(), "bragd does not answer status");

  int64_t since = UnixNow() - 7 * 86400;
  // Each request alone first, for scale: what one turn of a flood client costs.
  std::printf("alone:");
  for (int kind = 0; kind < 3; ++kind) {
    std::atomic<bool> never{false};
    std::vector<double> alone;
    for (int i = 0; i < 15; ++i) {
      auto t0 = Clock::now();
      Check(RoundTrip(timer->fd(), RequestOf(1000 + i, kind, since), never),
            "no reply");
      alone.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::printf(" %s %.2f ms", kKinds[kind], Percentile(alone, 0.5));
  }
  std::printf("\n");
  Flood flood;
  std::vector<std::thread> threads;
  for (int i = 0; i < kReaders; ++i) {
    threads.emplace_back(Reader, socket, i, since, std::ref(flood));
  }
  for (int i = 0; i < kHoarders; ++i) {
    threads.emplace_back(Hoarder, socket, i, since, std::ref(flood));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let the flood build up

  std::vector<double> ms;
  int failed = 0;
  auto end = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < end) {
    auto t0 = Clock::now();
    Result<json> st = timer->Call("status", json::object(), 5000);
    double took = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (!st) {
      ++failed;
      timer = protocol::Client::Connect(socket);
      if (!timer) break;
      continue;
    }
    ms.push_back(took);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a prompt-pane's pace
  }
  long answered = flood.answered;
  long rss = PeakRssKib(pid);
  flood.stop = true;
  for (std::thread& t : threads) t.join();
  kill(pid, SIGTERM);
  int status;
  waitpid(pid, &status, 0);
  if (keep) {
    std::printf("kept %s\n", root.c_str());
  } else {
    fs::remove_all(root);
  }

  std::printf(
      "status under a flood of %d clients (%d not reading), %d s, %d notes + %d "
      "pending:\n",
      kReaders + kHoarders, kHoarders, seconds, notes, pending);
  if (ms.empty()) {
    std::printf("  no status answered; %d failed (> 5 s)\n", failed);
  } else {
    std::printf(
        "  %zu round trips, %d failed (> 5 s): median %.2f ms, p90 %.2f ms, "
        "p99 %.2f ms, max %.2f ms\n",
        ms.size(), failed, Percentile(ms, 0.5), Percentile(ms, 0.9),
        Percentile(ms, 0.99), Percentile(ms, 1.0));
  }
  std::printf(
      "  flood requests answered: %ld (%.0f/s), reconnects: %ld; bragd peak RSS %ld "
      "MiB\n",
      answered, static_cast<double>(answered) / seconds, flood.reconnects.load(),
      rss / 1024);
  return 0;
}
