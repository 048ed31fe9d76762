// `brag start`, `brag stop` and `brag reload` with the real binaries on a
// fresh HOME: bragd started in the background, found through its socket,
// stopped by its pid; and `brag status` saying how to start it.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "e2e/bragd_process.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A World whose brag runs with HOME in it and no XDG_STATE_HOME, so that
// bragd's log goes to HOME/.local/state/brag/bragd.log. Whatever bragd
// `brag start` leaves running is killed at the end.
class FreshHome {
 public:
  FreshHome() { fs::create_directories(home()); }
  ~FreshHome() {
    Result<protocol::Client> c = protocol::Client::Connect(world_.socket());
    if (!c) return;
    Result<json> status = c->Call("status");
    if (status && (*status)["pid"].is_number_integer())
      ::kill((*status)["pid"].get<pid_t>(), SIGKILL);
  }
  const World& world() const { return world_; }
  fs::path home() const { return world_.root() / "home"; }
  fs::path log() const { return home() / ".local" / "state" / "brag" / "bragd.log"; }

  CommandResult Brag(const std::string& args) const {
    return RunCommand("env -u XDG_STATE_HOME HOME=" + ShellQuote(home().string()) +
                      " BRAG_CONFIG=" + ShellQuote(world_.config().string()) +
                      " " BRAG_BIN " " + args + " </dev/null");
  }

 private:
  World world_;
};

// The number after "pid " in `text`; 0 if none.
pid_t PidIn(const std::string& text) {
  size_t at = text.find("pid ");
  return at == std::string::npos ? 0
                                 : static_cast<pid_t>(std::stol(text.substr(at + 4)));
}

// Whether process `pid` is gone: no such process, or a zombie (the process
// that reaps bragd here is not the test).
bool Gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return true;
  size_t close = text.rfind(')');
  return close != std::string::npos && text.at(close + 2) == 'Z';
}

bool Answers(const fs::path& socket) {
  Result<protocol::Client> c = protocol::Client::Connect(socket);
  return c && c->Call("status", json::object(), 2000);
}

// Waits until `file` holds `text`; false at the deadline.
bool WaitForText(const fs::path& file, const std::string& text,
                 int timeout_ms = 10000) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    if (ReadFile(file).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

fs::perms PermsOf(const fs::path& p) {
  return fs::status(p).permissions() & fs::perms::all;
}

TEST_CASE(
    "brag start runs bragd in the background, logging to ~/.local/state, until brag "
    "stop") {
  FreshHome fresh;
  CommandResult started = fresh.Brag("start");
  REQUIRE_MESSAGE(started.code == 0, started.output);
  CHECK(started.output.find("bragd started (pid ") == 0);
  CHECK_MESSAGE(
      started.output.find("; log: ~/.local/state/brag/bragd.log") != std::string::npos,
      started.output);
  pid_t pid = PidIn(started.output);
  REQUIRE(pid > 0);

  // It answers on the config's socket, as the pid it was started as.
  Result<protocol::Client> client = protocol::Client::Connect(fresh.world().socket());
  REQUIRE(client);
  Result<json> status = client->Call("status");
  REQUIRE(status);
  CHECK((*status)["pid"] == pid);
  CHECK_FALSE(Gone(pid));

  // Its output goes to the log, private in a private folder.
  REQUIRE(fs::exists(fresh.log()));
  CHECK(PermsOf(fresh.log()) == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(PermsOf(fresh.log().parent_path()) == fs::perms::owner_all);
  CHECK_MESSAGE(WaitForText(fresh.log(), "bragd: info: listening on"),
                ReadFile(fresh.log()));

  CommandResult again = fresh.Brag("start");
  CHECK(again.code == 0);
  CHECK(again.output == "bragd is already running (pid " + std::to_string(pid) + ")\n");

  CommandResult stopped = fresh.Brag("stop");
  CHECK_MESSAGE(stopped.code == 0, stopped.output);
  CHECK(stopped.output == "bragd stopped (pid " + std::to_string(pid) + ")\n");
  CHECK(Gone(pid));
  CHECK_FALSE(Answers(fresh.world().socket()));
  CHECK(ReadFile(fresh.log()).find("shutting down") != std::string::npos);

  CommandResult twice = fresh.Brag("stop");
  CHECK(twice.code == 0);
  CHECK(twice.output == "bragd is not running\n");
}

// Stands in for a bragd that systemd started through bragd.socket: answers
// every request with a status that says so, with its own pid.
constexpr const char* kSocketActivatedBragd = R"(
import json, os, socket, sys
server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1])
server.listen(4)
while True:
    conn, _ = server.accept()
    stream = conn.makefile("rwb")
    for line in stream:
        request = json.loads(line)
        status = {"running": True, "pid": os.getpid(), "version": "0.1.0",
                  "socket_activated": True}
        stream.write((json.dumps({"id": request["id"], "result": status}) + "\n").encode())
        stream.flush()
    conn.close()
)";

TEST_CASE("brag stop of a socket-activated bragd says systemd starts it again, and how to stop that") {
  World world;
  fs::create_directories(world.socket().parent_path());
  fs::permissions(world.socket().parent_path(), fs::perms::owner_all,
                  fs::perm_options::replace);
  pid_t fake = ::fork();
  if (fake == 0) {
    ::execlp("python3", "python3", "-c", kSocketActivatedBragd, world.socket().c_str(),
             static_cast<char*>(nullptr));
    ::_exit(127);
  }
  REQUIRE(fake > 0);
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!Answers(world.socket()) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(Answers(world.socket()));

  CommandResult stopped = world.Brag("stop");
  int status = 0;
  ::kill(fake, SIGKILL);  // in case stop did not
  REQUIRE(::waitpid(fake, &status, 0) == fake);
  CHECK(stopped.code == 0);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
  CHECK_MESSAGE(stopped.output == "bragd stopped (pid " + std::to_string(fake) +
                                      ")\nsystemd listens on its socket and starts it "
                                      "again at the next connection; to stop that too: "
                                      "systemctl --user stop bragd.socket bragd.service\n",
                stopped.output);
}

TEST_CASE("brag status with bragd down says how to start it, in text and in --json") {
  FreshHome fresh;
  CommandResult text = fresh.Brag("status");
  CHECK(text.code == 0);
  CHECK_MESSAGE(
      text.output.find("not running (read from the journal)\n"
                       "            start it: brag start\n") != std::string::npos,
      text.output);

  CommandResult raw = fresh.Brag("status --json");
  REQUIRE(raw.code == 0);
  json status = json::parse(raw.output);
  CHECK(status["running"] == false);
  CHECK(status["start_hint"] == "brag start");

  // Up, it has no hint to give.
  REQUIRE(fresh.Brag("start").code == 0);
  json up = json::parse(fresh.Brag("status --json").output);
  CHECK(up["running"] == true);
  CHECK_FALSE(up.contains("start_hint"));
  CHECK(fresh.Brag("status").output.find("start it") == std::string::npos);
}

TEST_CASE("brag start fails when bragd exits first, and shows the end of bragd's log") {
  FreshHome fresh;
  // brag loads this config; bragd cannot open a journal that is no database.
  fs::path journal = fresh.world().journal();
  WriteFile(journal, std::string(4096, 'x'));
  CommandResult started = fresh.Brag("start");
  CHECK(started.code == 1);
  CHECK_MESSAGE(
      started.output.find("brag: error: bragd exited with code 1 before answering "
                          "(its log, ~/.local/state/brag/bragd.log, ends with:)") !=
          std::string::npos,
      started.output);
  CHECK_MESSAGE(
      started.output.find("  bragd: error: " + journal.string()) != std::string::npos,
      started.output);
  CHECK_FALSE(Answers(fresh.world().socket()));

  // A config that does not load stops brag itself, before bragd is run.
  WriteFile(fresh.world().config(), "[journal\n");
  CommandResult broken = fresh.Brag("start");
  CHECK(broken.code == 78);
  CHECK_MESSAGE(
      broken.output.find(fresh.world().config().string() + ":1:") != std::string::npos,
      broken.output);
  CHECK_FALSE(Answers(fresh.world().socket()));
}

TEST_CASE(
    "brag reload makes bragd read its config again, and says what it warned about") {
  World world;
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());

  world.WriteConfig("[detect]\nmainlin = [\"main\"]\n");
  CommandResult warned = world.Brag("reload");
  CHECK_MESSAGE(warned.code == 0, warned.output);
  // Once: brag read the same file as bragd.
  size_t warning = warned.output.find("brag: warning: ");
  CHECK(warning != std::string::npos);
  CHECK(warned.output.find("brag: warning: ", warning + 1) == std::string::npos);
  CHECK(warned.output.find("detect.mainlin") != std::string::npos);
  CHECK(warned.output.find("configuration reloaded (1 warning)\n") !=
        std::string::npos);

  CommandResult raw = world.Brag("reload --json");
  REQUIRE(raw.code == 0);
  // The last line: brag's own warning about the file comes first.
  std::string last =
      raw.output.substr(raw.output.rfind('\n', raw.output.size() - 2) + 1);
  json reply = json::parse(last);
  CHECK(reply["reloaded"] == true);
  REQUIRE(reply["warnings"].size() == 1);

  world.WriteConfig();
  CommandResult clean = world.Brag("reload");
  CHECK(clean.code == 0);
  CHECK(clean.output == "configuration reloaded\n");

  // A broken file is refused by bragd, which keeps the last good one. (brag
  // reads a copy of the good one, or it would refuse to run first.)
  fs::path good = world.root() / "good.toml";
  WriteFile(good, ReadFile(world.config()));
  WriteFile(world.config(), ReadFile(good) + "[detect\n");
  CommandResult refused = RunCommand(BRAG_BIN " --config " + ShellQuote(good.string()) +
                                     " reload </dev/null");
  CHECK(refused.code == 78);
  CHECK(refused.output.find(world.config().string()) != std::string::npos);
  CHECK(Answers(world.socket()));

  world.WriteConfig();
  CHECK(bragd.Stop() == 0);
  CommandResult down = world.Brag("reload");
  CHECK(down.code == 69);
  CHECK_MESSAGE(down.output ==
                    "brag: error: bragd is not running (nothing to reload; "
                    "start it: brag start)\n",
                down.output);
}

}  // namespace
}  // namespace brag::test
