// bragd under ordinary sizes and unkind clients: the open-file limit,
// half-closed connections, replies of megabytes, clients that do not read,
// floods, and merge messages of megabytes. It stays bounded and answers.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e/bragd_process.h"
#include "journal/journal.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Reads until the peer closes (or the deadline): everything it sent.
std::string ReadToEof(int fd, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string out;
  char buf[65536];
  while (Clock::now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <= 0)
      continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
  FAIL("bragd did not close the connection in time; read " << out.size() << " bytes");
  return out;
}

// Reads until `lines` newlines have come (or the deadline), whatever their
// length: the client library stops at 64 KiB a line.
std::string ReadLines(int fd, int lines, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string out;
  char buf[65536];
  int seen = 0;
  while (seen < lines && Clock::now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <= 0)
      continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) seen += buf[i] == '\n';
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::vector<json> ParseLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line, nullptr, false));
  return out;
}

// utime + stime of a process, in clock ticks.
long CpuTicks(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream in(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

// A "Vm..." figure of /proc/PID/status, in KiB.
long VmKib(pid_t pid, const std::string& key) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
  }
  return -1;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1))
    ++n;
  return n;
}

bool WaitForLog(const BragdProcess& bragd, const std::string& what, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    if (bragd.Log().find(what) != std::string::npos) return true;
    // The log is a file: nothing to wait on but time.
    ::poll(nullptr, 0, 10);
  }
  return false;
}

// Notes of `bytes` each, written to the journal before bragd starts.
void AddBigNotes(const fs::path& journal, int count, size_t bytes) {
  Result<std::unique_ptr<Journal>> j =
      Journal::Open(journal, Journal::Mode::kReadWrite);
  REQUIRE(j.has_value());
  for (int i = 0; i < count; ++i) {
    NewNote note;
    note.text = "note " + std::to_string(i) + " " + std::string(bytes, 'a' + i % 26);
    REQUIRE((*j)->prompts().AddNote(note, Now() - 60).has_value());
  }
}

// `count` merged PRs of this week in `repo`, left pending: a digest of
// this week has to read and render every one.
void AddMergedPrs(const fs::path& journal, const fs::path& repo, int count) {
  Result<std::unique_ptr<Journal>> j =
      Journal::Open(journal, Journal::Mode::kReadWrite);
  REQUIRE(j.has_value());
  Result<RepoRecord> r = (*j)->repos().AddRepo(repo.string(), "", "added", Now());
  REQUIRE(r.has_value());
  std::vector<Event> events;
  for (int i = 0; i < count; ++i) {
    Event e;
    e.kind = EventKind::kPrMerged;
    char oid[41];
    std::snprintf(oid, sizeof oid, "%040x", i + 1);
    e.key = e.commit = oid;
    e.forge = "github";
    e.pr = i + 1;
    e.title =
        "Cut p95 of the orders API from 900ms to 120ms, part " + std::to_string(i);
    e.authors = {"me@example.com"};
    e.commit_time = Now() - 60;
    e.diffstat = {2, 40, 3};
    e.paths = {"services/orders/handler.go", "services/orders/handler_test.go"};
    events.push_back(std::move(e));
  }
  REQUIRE((*j)->repos().RecordEvents(r->id, events, Now()).has_value());
}

}  // namespace

TEST_CASE(
    "at the open-file limit bragd backs off, says so once, and serves again when a "
    "descriptor is free") {
  World world;
  BragdProcess bragd(world, "", "prlimit --nofile=64:64");
  REQUIRE(bragd.WaitReady());
  protocol::Client first = bragd.Connect();
  REQUIRE(first.Call("subscribe").has_value());
  // More than bragd's table holds; the rest wait in the listen queue (64).
  std::vector<protocol::Client> idle;
  for (int i = 0; i < 90; ++i) idle.push_back(bragd.Connect());
  REQUIRE(WaitForLog(bragd, "Too many open files", 10000));

  long ticks_before = CpuTicks(bragd.pid());
  auto window_start = Clock::now();
  // The window: a wait on the socket for an event that does not come.
  CHECK_FALSE(first.NextEvent(2000).has_value());
  double window_ticks =
      std::chrono::duration<double>(Clock::now() - window_start).count() *
      static_cast<double>(sysconf(_SC_CLK_TCK));
  long used = CpuTicks(bragd.pid()) - ticks_before;
  CHECK_MESSAGE(used < 0.3 * window_ticks, "bragd used " << used << " of "
                                                         << window_ticks
                                                         << " ticks at the limit");
  CHECK(Count(bragd.Log(), "Too many open files") == 1);
  CHECK(first.Call("hello", json::object(), 5000).has_value());

  idle.clear();
  Result<protocol::Client> fresh = protocol::Client::Connect(world.socket());
  REQUIRE(fresh.has_value());
  Result<json> hello = fresh->Call("hello", json::object(), 5000);
  CHECK(hello.has_value());
  CHECK(WaitForLog(bragd, "accepting connections again", 5000));
  CHECK(Count(bragd.Log(), "Too many open files") <= 2);
}

TEST_CASE("fifty pipelined notes then a half-close get fifty replies, then EOF") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  std::string batch;
  for (int i = 1; i <= 50; ++i) {
    batch += protocol::RequestLine(i, "note",
                                   {{"text", "pipelined note " + std::to_string(i)}});
  }
  REQUIRE(c.SendRaw(batch).has_value());
  REQUIRE(::shutdown(c.fd(), SHUT_WR) == 0);
  std::vector<json> replies = ParseLines(ReadToEof(c.fd(), 20000));
  REQUIRE(replies.size() == 50);
  for (int i = 1; i <= 50; ++i) {
    CHECK(replies[i - 1]["id"] == i);
    CHECK(replies[i - 1].contains("result"));
  }
  protocol::Client other = bragd.Connect();
  CHECK(other.Call("hello").has_value());
}

TEST_CASE("a reply of megabytes reaches a half-closed client whole") {
  World world;
  AddBigNotes(world.journal(), 5, 900 * 1000);  // a `log` of ~4.5 MB
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.SendRaw(protocol::RequestLine(1, "log", {{"limit", 100}})).has_value());
  REQUIRE(::shutdown(c.fd(), SHUT_WR) == 0);
  std::string all = ReadToEof(c.fd(), 30000);
  CHECK(all.size() > 4500000);
  std::vector<json> replies = ParseLines(all);
  REQUIRE(replies.size() == 1);
  REQUIRE_FALSE(replies[0].is_discarded());
  CHECK(replies[0]["result"]["entries"].size() == 5);
}

TEST_CASE("a client that reads gets a reply larger than 16 MiB and stays connected") {
  World world;
  AddBigNotes(world.journal(), 18, 1000 * 1000);  // a `log` of ~18 MB
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.SendRaw(protocol::RequestLine(1, "log", {{"limit", 100}})).has_value());
  std::vector<json> replies = ParseLines(ReadLines(c.fd(), 1, 60000));
  REQUIRE(replies.size() == 1);
  REQUIRE_FALSE(replies[0].is_discarded());
  CHECK(replies[0]["result"]["entries"].size() == 18);
  CHECK(c.Call("hello").has_value());
}

TEST_CASE(
    "thirty clients that do not read their replies leave bragd's memory bounded and it "
    "keeps serving") {
  World world;
  AddBigNotes(world.journal(), 4, 1000 * 1000);  // each `log` reply ~4 MB
  // ASan keeps freed memory in quarantine (256 MB by default): not ours.
  BragdProcess bragd(
      world, "",
      "env ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4\"");
  REQUIRE(bragd.WaitReady());
  long rss_before = VmKib(bragd.pid(), "VmRSS");
  std::vector<protocol::Client> hoarders;
  std::string three;
  for (int i = 1; i <= 3; ++i)
    three += protocol::RequestLine(i, "log", {{"limit", 100}});
  for (int i = 0; i < 30; ++i) {
    hoarders.push_back(bragd.Connect());
    REQUIRE(hoarders.back().SendRaw(three).has_value());
  }
  // A client that reads is answered, after bragd has stopped serving those
  // that hoard (every one of them is past its share or the budget by then).
  protocol::Client reader = bragd.Connect();
  Result<json> status = reader.Call("status", json::object(), 20000);
  CHECK(status.has_value());
  long grown_mib = (VmKib(bragd.pid(), "VmHWM") - rss_before) / 1024;
  // Unbounded, 30 x 3 replies of 4 MB is 360 MB and more.
  CHECK_MESSAGE(grown_mib < 150, "bragd's peak RSS grew by " << grown_mib << " MiB");
}

TEST_CASE(
    "a client flooding requests it does not read does not hold another's status") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "shop");
  repo.Commit("README", "a\n", "initial");
  AddMergedPrs(world.journal(), repo.dir(), 3000);
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client flood = bragd.Connect();
  std::string lines;
  for (int i = 1; i <= 400; ++i) {
    lines += protocol::RequestLine(i, i % 2 ? "digest" : "pending", json::object());
  }
  REQUIRE(flood.SendRaw(lines).has_value());
  protocol::Client c = bragd.Connect();
  double worst_ms = 0;
  for (int i = 0; i < 5; ++i) {
    auto t0 = Clock::now();
    REQUIRE(c.Call("status", json::object(), 20000).has_value());
    worst_ms = std::max(
        worst_ms, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  CHECK_MESSAGE(worst_ms < 1000, "status took " << worst_ms << " ms");
}

TEST_CASE("a digest being written does not hold other clients") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "shop");
  repo.Commit("README", "a\n", "initial");
  AddMergedPrs(world.journal(), repo.dir(), 6000);
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client a = bragd.Connect();
  protocol::Client b = bragd.Connect();
  REQUIRE(a.SendRaw(protocol::RequestLine(1, "digest", {{"format", "markdown"}}))
              .has_value());
  for (int i = 0; i < 5; ++i)
    REQUIRE(b.Call("hello", json::object(), 30000).has_value());
  pollfd pfd{a.fd(), POLLIN, 0};
  CHECK_MESSAGE(::poll(&pfd, 1, 0) == 0, "the digest was answered before five hellos");
  Result<std::string> digest = a.ReadLine(60000);
  REQUIRE(digest.has_value());
  json reply = json::parse(*digest);
  CHECK(reply["id"] == 1);
  // Over a reply's size: refused, after the whole digest was made.
  CHECK(reply["error"]["code"] == "too_large");
}

TEST_CASE("a rescan of many repos lets other clients in between repos") {
  World world;
  GitRepo first = GitRepo::Init(world.repos() / "r0");
  first.Commit("README", "a\n", "initial");
  for (int i = 1; i < 60; ++i) {
    fs::copy(first.dir(), world.repos() / ("r" + std::to_string(i)),
             fs::copy_options::recursive);
  }
  world.WriteConfig("[scan]\nroots = [\"" + world.repos().string() +
                    "\"]\ndepth = 1\n");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady(30000));
  protocol::Client a = bragd.Connect();
  protocol::Client b = bragd.Connect();
  REQUIRE(a.SendRaw(protocol::RequestLine(1, "rescan", json::object())).has_value());
  REQUIRE(b.Call("hello", json::object(), 30000).has_value());
  pollfd pfd{a.fd(), POLLIN, 0};
  CHECK_MESSAGE(::poll(&pfd, 1, 0) == 0, "the rescan was answered before a hello");
  Result<std::string> rescan = a.ReadLine(60000);
  REQUIRE(rescan.has_value());
  CHECK(json::parse(*rescan)["result"]["prompts"].empty());
}

TEST_CASE(
    "a merge whose message is 10 MB makes a prompt with a capped title and a short log "
    "line") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "big");
  repo.Commit("README", "a\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client sub = bragd.Connect();
  REQUIRE(sub.Call("subscribe").has_value());
  REQUIRE(sub.Call("repos.add", {{"path", repo.dir().string()}}).has_value());
  size_t log_before = bragd.Log().size();

  // A GitHub merge: its body is the PR title, here one line of 10 MB.
  repo.Git("checkout -q -b huge");
  repo.Commit("f.txt", "x\n", "work");
  repo.Git("checkout -q main");
  fs::path message = world.root() / "message.txt";
  WriteFile(message, "Merge pull request #7 from me/huge\n\n" +
                         std::string(10 * 1000 * 1000, 'T') + "\n");
  repo.Git("merge -q --no-ff huge -F " + ShellQuote(message.string()),
           "merger@example.com");

  json prompt = WaitPrompt(sub, 20000);
  REQUIRE(prompt.is_object());
  CHECK(prompt["pr"] == 7);
  std::string title = prompt["title"];
  CHECK(title.size() <= Journal::kMaxTitleBytes);
  CHECK(title.size() > 900);
  CHECK(title.substr(title.size() - 3) == "\xE2\x80\xA6");
  for (int i = 0; i < 3; ++i) {
    protocol::Client c = bragd.Connect();
    Result<json> pending = c.Call("pending");
    REQUIRE(pending.has_value());
    CHECK((*pending)["prompts"].size() == 1);
  }
  CHECK(bragd.Log().size() - log_before < 64 * 1024);
}

}  // namespace brag::test
