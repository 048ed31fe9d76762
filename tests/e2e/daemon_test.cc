// The whole path with real parts: real git repos, the real bragd process,
// its real socket, the real brag binary.
#include <doctest/doctest.h>

#include <algorithm>
#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include <chrono>
#include <csignal>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A watched work tree with one commit on main.
GitRepo MakeWatchedRepo(const World& world, const std::string& name = "app") {
  GitRepo repo = GitRepo::Init(world.repos() / name);
  repo.Commit("README", "hello\n", "initial commit");
  return repo;
}

void AddRepo(const BragdProcess& bragd, const GitRepo& repo) {
  protocol::Client c = bragd.Connect();
  Result<json> r = c.Call("repos.add", {{"path", repo.dir().string()}});
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
}

// Waits until everything bragd has seen of `repo` is processed: a rescan
// returns only after its scan, and earlier pushes arrive before its reply.
json Rescan(protocol::Client& c, const GitRepo& repo) {
  Result<json> r = c.Call("rescan", {{"repo", repo.dir().string()}});
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  return (*r)["prompts"];
}

}  // namespace

TEST_CASE("a GitHub merge of my branch on main is pushed as exactly one prompt") {
  World world;
  GitRepo repo = MakeWatchedRepo(world);
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  AddRepo(bragd, repo);
  protocol::Client sub = bragd.Connect();
  REQUIRE(sub.Call("subscribe").has_value());

  std::string merge = repo.GithubMerge(481, "orders-index", "Add composite index on orders",
                                       "me@example.com");
  json p = WaitPrompt(sub);
  REQUIRE(p.is_object());
  CHECK(p["kind"] == "pr_merged");
  CHECK(p["pr"] == 481);
  CHECK(p["forge"] == "github");
  CHECK(p["title"] == "Add composite index on orders");
  CHECK(p["branch"] == "orders-index");
  CHECK(p["commit"] == merge);
  CHECK(p["state"] == "pending");
  CHECK(p["repo"] == repo.dir().string());
  CHECK(p["diffstat"]["files"] == 1);
  CHECK(p["authors"] == json::array({"me@example.com"}));
  // Exactly one: nothing else arrives once bragd has caught up.
  CHECK(Rescan(sub, repo).empty());
  CHECK_FALSE(sub.NextEvent(0).has_value());
}

TEST_CASE("a merge by the repo's own user.email that is no identity is told once in status") {
  World world;
  GitRepo repo = MakeWatchedRepo(world);
  repo.Git("config user.email Me@Work.example");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  AddRepo(bragd, repo);
  protocol::Client c = bragd.Connect();
  CommandResult before = world.Brag("status");
  CHECK(before.output.find("not counted as yours") == std::string::npos);

  repo.GithubMerge(31, "work-a", "Work under the work email", "me@work.example");
  repo.GithubMerge(32, "work-b", "More of it", "me@work.example");
  repo.GithubMerge(33, "theirs", "A teammate's", "pal@example.com");
  CHECK(Rescan(c, repo).empty());  // not prompted: not an identity
  CommandResult status = world.Brag("status");
  REQUIRE_MESSAGE(status.code == 0, status.output);
  size_t at = status.output.find("2 PRs in app by Me@Work.example");
  CHECK_MESSAGE(at != std::string::npos, status.output);
  CHECK(status.output.find("[identity] emails = [..., \"Me@Work.example\"]") !=
        std::string::npos);
  CHECK(status.output.find("not counted as yours", at + 1) ==
        status.output.rfind("not counted as yours"));  // once
  Result<json> s = c.Call("status");
  REQUIRE(s.has_value());
  CHECK((*s)["repos"][0]["unclaimed"]["prs"] == 2);

  // Counted as mine once the config names it.
  world.WriteConfig("[identity]\nemails = [\"me@example.com\", \"me@work.example\"]\n");
  REQUIRE(c.Call("reload").has_value());
  repo.GithubMerge(34, "work-c", "Now it counts", "me@work.example");
  Rescan(c, repo);  // the watcher's scan may have made it already
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  REQUIRE((*pending)["prompts"].size() == 1);
  CHECK((*pending)["prompts"][0]["pr"] == 34);
}

TEST_CASE("a squash merge of mine is prompted and a teammate's merge is not") {
  World world;
  GitRepo repo = MakeWatchedRepo(world);
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  AddRepo(bragd, repo);
  protocol::Client sub = bragd.Connect();
  REQUIRE(sub.Call("subscribe").has_value());

  repo.GithubMerge(7, "their-work", "Their change", "teammate@example.com");
  repo.GithubSquash(8, "Their squash", "teammate@example.com");
  CHECK(Rescan(sub, repo).empty());
  CHECK_FALSE(sub.NextEvent(0).has_value());

  std::string mine = repo.GithubSquash(9, "Cache the pricing table", "Me@Example.com");
  json p = WaitPrompt(sub);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 9);
  CHECK(p["title"] == "Cache the pricing table");
  CHECK(p["commit"] == mine);
  CHECK(Rescan(sub, repo).empty());
  CHECK_FALSE(sub.NextEvent(0).has_value());
  Result<json> pending = sub.Call("pending");
  REQUIRE(pending.has_value());
  CHECK((*pending)["prompts"].size() == 1);
}

TEST_CASE("a merge fetched into origin/main and then pulled into main is one prompt") {
  World world;
  GitRepo remote = GitRepo::Init(world.root() / "remote.git", /*bare=*/true);
  GitRepo forge = GitRepo::Clone(remote.dir(), world.root() / "forge");
  forge.Commit("README", "hello\n", "initial commit");
  forge.Git("push -q origin main");
  GitRepo work = GitRepo::Clone(remote.dir(), world.repos() / "work");

  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  AddRepo(bragd, work);
  protocol::Client sub = bragd.Connect();
  REQUIRE(sub.Call("subscribe").has_value());

  // The "forge" merges my PR and a teammate's squash; I fetch.
  std::string merge = forge.GithubMerge(12, "retry-budget", "Add a retry budget",
                                        "me@example.com");
  forge.GithubSquash(13, "Bump deps", "teammate@example.com");
  forge.Git("push -q origin main");
  work.Git("fetch -q origin");
  json p = WaitPrompt(sub);
  REQUIRE(p.is_object());
  CHECK(p["pr"] == 12);
  CHECK(p["commit"] == merge);

  // Pulling brings the same merge onto local main: no second prompt.
  work.Git("pull -q --ff-only");
  CHECK(work.Rev("main") == work.Rev("origin/main"));
  CHECK(Rescan(sub, work).empty());
  CHECK_FALSE(sub.NextEvent(0).has_value());
  Result<json> log = sub.Call("log", json::object());
  REQUIRE(log.has_value());
  CHECK((*log)["entries"].size() == 1);
}

TEST_CASE("answering files the note, restarts repeat nothing, and merges made while down are prompted at start") {
  World world;
  GitRepo repo = MakeWatchedRepo(world);
  std::string first;
  {
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());
    AddRepo(bragd, repo);
    protocol::Client sub = bragd.Connect();
    REQUIRE(sub.Call("subscribe").has_value());
    first = repo.GithubMerge(21, "fast-checkout", "Make checkout fast", "me@example.com");
    json p = WaitPrompt(sub);
    REQUIRE(p.is_object());

    CommandResult answer = world.Brag("answer " + std::to_string(p["id"].get<int>()) +
                                      " 'p95 3.4s -> 18ms on checkout'");
    CHECK_MESSAGE(answer.code == 0, answer.output);
    CommandResult log = world.Brag("log --json");
    REQUIRE_MESSAGE(log.code == 0, log.output);
    std::vector<json> entries = JsonLines(log.output);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0]["pr"] == 21);
    CHECK(entries[0]["title"] == "Make checkout fast");
    CHECK(entries[0]["note"] == "p95 3.4s -> 18ms on checkout");
    CHECK(bragd.Stop() == 0);
  }
  // While bragd is down: another merge of mine lands.
  std::string second = repo.GithubSquash(22, "Drop the N+1 query", "me@example.com");
  {
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());
    protocol::Client c = bragd.Connect();
    Result<json> pending = c.Call("pending");
    REQUIRE(pending.has_value());
    REQUIRE((*pending)["prompts"].size() == 1);
    CHECK((*pending)["prompts"][0]["pr"] == 22);
    CHECK((*pending)["prompts"][0]["commit"] == second);
    CHECK(Rescan(c, repo).empty());
    CHECK(bragd.Stop() == 0);
  }
  {
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());
    protocol::Client c = bragd.Connect();
    CHECK(Rescan(c, repo).empty());
    Result<json> log = c.Call("log", json::object());
    REQUIRE(log.has_value());
    CHECK((*log)["entries"].size() == 2);
  }
}

TEST_CASE("a malformed line and a 100 KiB line get errors and bragd keeps answering") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());

  protocol::Client c = bragd.Connect();
  REQUIRE(c.SendRaw("{this is not json\n").has_value());
  Result<std::string> reply = c.ReadLine(5000);
  REQUIRE(reply.has_value());
  json err = json::parse(*reply);
  CHECK(err["error"]["code"] == "parse_error");
  REQUIRE(c.SendRaw("\xff\xfe{\"id\":1}\n").has_value());
  reply = c.ReadLine(5000);
  REQUIRE(reply.has_value());
  CHECK(json::parse(*reply)["error"]["code"] == "parse_error");
  REQUIRE(c.SendRaw("[1,2]\n").has_value());
  reply = c.ReadLine(5000);
  REQUIRE(reply.has_value());
  CHECK(json::parse(*reply)["error"]["code"] == "bad_request");
  Result<json> unknown = c.Call("no.such.method");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == "unknown_method");
  // The same connection still works after bad lines.
  CHECK(c.Call("hello").has_value());

  protocol::Client big = bragd.Connect();
  std::string line = "{\"id\":1,\"method\":\"note\",\"params\":{\"text\":\"" +
                     std::string(100 * 1024, 'x') + "\"}}\n";
  (void)big.SendRaw(line);  // bragd may close before reading it all
  Result<std::string> big_reply = big.ReadLine(5000);
  REQUIRE(big_reply.has_value());
  CHECK(json::parse(*big_reply)["error"]["code"] == "line_too_long");
  CHECK_FALSE(big.ReadLine(5000).has_value());  // closed

  protocol::Client after = bragd.Connect();
  Result<json> hello = after.Call("hello");
  REQUIRE(hello.has_value());
  CHECK((*hello)["name"] == "bragd");
  // The oversize note was not filed.
  Result<json> log = after.Call("log", json::object());
  REQUIRE(log.has_value());
  CHECK(log->at("entries").empty());
}

TEST_CASE("a second bragd on the same socket refuses to start and a stale socket is replaced") {
  World world;
  BragdProcess first(world);
  REQUIRE(first.WaitReady());
  BragdProcess second(world);
  CHECK(second.WaitExit() == 1);
  CHECK(second.Log().find("another bragd") != std::string::npos);
  CHECK(first.Connect().Call("hello").has_value());

  CHECK(first.Stop(SIGKILL) == 128 + SIGKILL);
  CHECK(fs::exists(world.socket()));  // left behind by the dead daemon
  BragdProcess third(world);
  REQUIRE(third.WaitReady());
  CHECK(third.Connect().Call("hello").has_value());
}

TEST_CASE("a bragd.lock that is a symlink is refused and its target left alone") {
  World world;
  fs::create_directories(world.socket().parent_path());
  chmod(world.socket().parent_path().c_str(), 0700);
  fs::path victim = world.root() / "precious.txt";
  WriteFile(victim, "precious\n");
  fs::create_symlink(victim, world.socket().parent_path() / "bragd.lock");
  BragdProcess bragd(world);
  CHECK(bragd.WaitExit() == 1);
  CHECK_MESSAGE(bragd.Log().find("symbolic link") != std::string::npos, bragd.Log());
  CHECK(ReadFile(victim) == "precious\n");
}

TEST_CASE("a socket folder writable by others is refused") {
  World world;
  fs::create_directories(world.socket().parent_path());
  chmod(world.socket().parent_path().c_str(), 0777);
  BragdProcess bragd(world);
  CHECK(bragd.WaitExit() == 1);
  CHECK_MESSAGE(bragd.Log().find("writable by others") != std::string::npos, bragd.Log());
  CHECK_FALSE(fs::exists(world.socket()));
}

TEST_CASE("the socket folder is private and the socket is 0600") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  struct stat dir, sock;
  REQUIRE(stat(world.socket().parent_path().c_str(), &dir) == 0);
  REQUIRE(stat(world.socket().c_str(), &sock) == 0);
  CHECK((dir.st_mode & 0777) == 0700);
  CHECK((sock.st_mode & 0777) == 0600);
}

// What bragd answers a raw `hello` from a process running as `uid`.
static std::string RawHelloAs(uid_t uid, const fs::path& socket) {
  int out[2];
  REQUIRE(pipe(out) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(out[0]);
    if (setgroups(0, nullptr) != 0 || setgid(uid) != 0 || setuid(uid) != 0) _exit(1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      std::string why = std::string("connect: ") + std::strerror(errno);
      (void)!write(out[1], why.data(), why.size());
      _exit(2);
    }
    const char hello[] = "{\"id\":1,\"method\":\"hello\"}\n";
    (void)!send(fd, hello, sizeof hello - 1, MSG_NOSIGNAL);
    char buf[4096];
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) > 0) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n > 0) (void)!write(out[1], buf, static_cast<size_t>(n));
    }
    _exit(0);
  }
  close(out[1]);
  std::string reply;
  char buf[4096];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0) reply.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status;
  waitpid(pid, &status, 0);
  return reply;
}

TEST_CASE("a client running as another user is refused") {
  if (geteuid() != 0) {
    WARN("needs root to run a client as nobody");
    return;
  }
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());

  // Folder permissions alone keep nobody out...
  fs::path brag_copy = world.root() / "brag";
  fs::copy_file(BRAG_BIN, brag_copy);
  fs::copy_file(fs::path(BRAG_BIN).parent_path() / "brag-cli", world.root() / "brag-cli");
  chmod(world.root().c_str(), 0711);
  chmod(brag_copy.c_str(), 0755);
  chmod((world.root() / "brag-cli").c_str(), 0755);
  std::string as_nobody = "setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin BRAG_SOCKET=" +
                          ShellQuote(world.socket().string()) + " HOME=/nonexistent " +
                          ShellQuote(brag_copy.string()) + " status --json";
  CommandResult blocked = RunCommand(as_nobody);
  CHECK(blocked.output.find("me@example.com") == std::string::npos);
  CHECK(blocked.output.find("\"running\":true") == std::string::npos);

  // ...and with the socket opened up by mistake, SO_PEERCRED still does:
  // brag itself sends nothing to a socket that is not its user's (exit 69),
  // and bragd refuses a raw connection from another user.
  chmod(world.socket().parent_path().c_str(), 0711);
  chmod(world.socket().c_str(), 0666);
  CommandResult untrusted = RunCommand(as_nobody);
  CHECK(untrusted.code == 69);
  CHECK_MESSAGE(untrusted.output.find("untrusted") != std::string::npos, untrusted.output);
  std::string reply = RawHelloAs(65534, world.socket());
  CHECK_MESSAGE(reply.find("forbidden") != std::string::npos, reply);
  CHECK(reply.find("\"result\"") == std::string::npos);
  CHECK(bragd.Log().find("refused a connection from another user") != std::string::npos);
  CHECK(bragd.Connect().Call("hello").has_value());
}

TEST_CASE("a broken config stops bragd with exit 78 and the line and column") {
  World world;
  world.WriteConfig("[detect]\nmainline = [\"main\",\n  oops]\n");
  BragdProcess bragd(world);
  CHECK(bragd.WaitExit() == 78);
  std::string log = bragd.Log();
  CHECK_MESSAGE(log.find("config.toml:") != std::string::npos, log);
  CHECK_MESSAGE(log.find(":8:") != std::string::npos, log);  // the line of `oops`
  CommandResult brag = world.Brag("status");
  CHECK(brag.code == 78);
}

TEST_CASE("SIGHUP reloads the config and a broken one is refused while serving goes on") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  world.WriteConfig("[identity]\nemails = [\"other@example.com\"]\n");
  Result<json> reloaded = c.Call("reload");
  REQUIRE(reloaded.has_value());
  Result<json> status = c.Call("status");
  REQUIRE(status.has_value());
  CHECK((*status)["identities"] == json::array({"other@example.com"}));

  world.WriteConfig("[identity]\nemails = \"not-a-list\"\n");
  Result<json> refused = c.Call("reload");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == "config");
  status = c.Call("status");
  REQUIRE(status.has_value());
  CHECK((*status)["identities"] == json::array({"other@example.com"}));
  CHECK(bragd.Stop(SIGTERM) == 0);
  CHECK_FALSE(fs::exists(world.socket()));
}

TEST_CASE("SIGHUP reloads the config file") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  world.WriteConfig("[identity]\nemails = [\"hup@example.com\"]\n");
  kill(bragd.pid(), SIGHUP);
  protocol::Client c = bragd.Connect();
  // The reload is done once the log says so; then status must show it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (bragd.Log().find("configuration reloaded") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    REQUIRE(c.Call("hello").has_value());  // serving all along
  }
  Result<json> status = c.Call("status");
  REQUIRE(status.has_value());
  CHECK((*status)["identities"] == json::array({"hup@example.com"}));
}

TEST_CASE("brag prompt --once answers a prompt the daemon made, through the daemon") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "api");
  repo.Commit("README", "hello\n", "initial commit");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client sub = bragd.Connect();
  REQUIRE(sub.Call("repos.add", {{"path", repo.dir().string()}}).has_value());
  REQUIRE(sub.Call("subscribe").has_value());
  repo.GithubSquash(31, "Paginate the export endpoint", "me@example.com");
  json p = WaitPrompt(sub);
  REQUIRE(p.is_object());

  CommandResult shown = world.Brag("prompt --once", "export p99 12s -> 400ms\n");
  CHECK_MESSAGE(shown.code == 0, shown.output);
  CHECK(shown.output.find("PR #31") != std::string::npos);
  CHECK(shown.output.find("Paginate the export endpoint") != std::string::npos);
  Result<json> log = sub.Call("log", {{"kind", "pr_merged"}});
  REQUIRE(log.has_value());
  REQUIRE((*log)["entries"].size() == 1);
  CHECK((*log)["entries"][0]["note"] == "export p99 12s -> 400ms");
  CHECK((*log)["entries"][0]["state"] == "answered");
}

TEST_CASE("bragd writes the digest a missed schedule owed at start, once across restarts") {
  World world;
  fs::path dir = world.root() / "digests";
  world.WriteConfig("[digest]\nschedule = \"daily 00:00\"\nformat = \"html\"\ndir = \"" +
                    dir.string() + "\"\n");
  std::string first_log;
  {
    BragdProcess bragd(world);
    REQUIRE(bragd.WaitReady());
    first_log = bragd.Log();
    CHECK(bragd.Stop() == 0);
  }
  CHECK_MESSAGE(first_log.find("wrote the digest of ") != std::string::npos, first_log);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 2);  // the Markdown file, and the format asked for
  CHECK(files[0].extension() == ".html");
  CHECK(files[1].extension() == ".md");
  CHECK(files[1].stem().string().find("-W") == 4);
  CHECK(ReadFile(files[1]).find("# ") == 0);
  auto written = fs::last_write_time(files[1]);

  BragdProcess again(world);
  REQUIRE(again.WaitReady());
  CHECK(again.Log().find("wrote the digest") == std::string::npos);
  CHECK(fs::last_write_time(files[1]) == written);
}

// Break 13: these configs crashed toml++ (unreachable, assertions) and so a
// running bragd on `reload` or SIGHUP. Now they are refused with FILE:LINE:
// COLUMN and bragd goes on with the config it has.
TEST_CASE("reload and SIGHUP refuse configs that crashed toml++ and keep the old one") {
  World world;
  world.WriteConfig("[identity]\nemails = [\"kept@example.com\"]\n");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  const std::string base = "[identity]\nemails = [\"new@example.com\"]\n";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[\b$", ":1:2: control character U+0008"},
      {"\xEF\xBB\xBB", ":1:1: non-ASCII character U+FEFB outside a string or comment"},
      {"\xC3\x80", ":1:1: non-ASCII character U+00C0 outside a string or comment"},
      {"# \xC3", ":1:3: invalid UTF-8"},
  };
  for (const auto& [text, where] : bad) {
    CAPTURE(where);
    // The five lines of World::WriteConfig and two of `base` come first.
    const std::string expected = world.config().string() + ":8" + where.substr(2);
    world.WriteConfig(base + text);
    Result<json> refused = c.Call("reload");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == "config");
    CHECK_MESSAGE(refused.error().message.find(expected) != std::string::npos,
                  refused.error().message);
    Result<json> status = c.Call("status");
    REQUIRE(status.has_value());
    CHECK((*status)["identities"] == json::array({"kept@example.com"}));
  }

  // SIGHUP: the refusal is logged, bragd keeps serving the old config.
  world.WriteConfig(base + "\xC3\x80");
  kill(bragd.pid(), SIGHUP);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (bragd.Log().find("reload refused") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    REQUIRE(c.Call("hello").has_value());
  }
  std::string log = bragd.Log();
  CHECK_MESSAGE(log.find("reload refused, keeping the running configuration: " +
                         world.config().string() + ":8:1: non-ASCII character U+00C0") !=
                    std::string::npos,
                log);
  Result<json> status = c.Call("status");
  REQUIRE(status.has_value());
  CHECK((*status)["identities"] == json::array({"kept@example.com"}));
  // A good config afterwards still loads.
  world.WriteConfig(base);
  REQUIRE(c.Call("reload").has_value());
  status = c.Call("status");
  REQUIRE(status.has_value());
  CHECK((*status)["identities"] == json::array({"new@example.com"}));
  CHECK(bragd.Stop(SIGTERM) == 0);
}

// Break 13: deep nesting overflowed bragd's stack inside nlohmann::json.
TEST_CASE("a request nested too deeply gets an error and bragd keeps serving") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  // 32,000 levels closed (64,000 bytes: under the 64 KiB line limit), then
  // 64,000 levels never closed.
  for (std::string line : {std::string(32000, '[') + std::string(32000, ']'),
                           std::string(64000, '{')}) {
    REQUIRE(c.SendRaw(line + "\n").has_value());
    Result<std::string> reply = c.ReadLine(10000);
    REQUIRE_MESSAGE(reply.has_value(), reply.error().message);
    json parsed = json::parse(*reply);
    CHECK(parsed["id"].is_null());
    CHECK(parsed["error"]["code"] == "parse_error");
    CHECK(parsed["error"]["message"] ==
          "the line nests arrays and objects too deeply (more than 64 levels)");
    Result<json> status = c.Call("status");
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK(status->contains("identities"));
  }
  // A 100,000-deep line is over the line limit: refused as too long, and
  // bragd serves the next connection.
  {
    protocol::Client deep = bragd.Connect();
    // bragd may close before all 200 KB are written: the send may fail.
    (void)deep.SendRaw(std::string(100000, '[') + std::string(100000, ']') + "\n");
    Result<std::string> reply = deep.ReadLine(10000);
    REQUIRE_MESSAGE(reply.has_value(), reply.error().message);
    CHECK(json::parse(*reply)["error"]["code"] == "line_too_long");
  }
  protocol::Client after = bragd.Connect();
  REQUIRE(after.Call("status").has_value());
  CHECK(bragd.Stop(SIGTERM) == 0);
}

}  // namespace brag::test
