// Hostile text end to end: a PR title, a repo's folder name or a note that
// holds terminal escapes reaches the terminal inert through every command
// that shows it, and bragd's log; replies of a shape brag does not expect
// are an error, never an abort; ids are never rewritten as floats; what
// brag writes to files is private.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "e2e/bragd_process.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Retitles the terminal, clears the screen, and a C1 CSI in UTF-8.
const std::string kHostile =
    "Fix \x1b]0;pwned\a index \x1b[2J done \xc2\x9b"
    "31m";
const std::string kShown = "Fix \\e]0;pwned\\x07 index \\e[2J done \\u009b31m";

// Whether `text` holds a byte that a terminal would act on.
bool HasControls(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      return true;
    }
  }
  return false;
}

#define CHECK_INERT(run)                                                         \
  do {                                                                           \
    CHECK_MESSAGE((run).code == 0, (run).output);                                \
    CHECK_MESSAGE(!HasControls((run).output), (run).output);                     \
    CHECK_MESSAGE((run).output.find(kShown) != std::string::npos, (run).output); \
  } while (0)

TEST_CASE(
    "a PR title with terminal escapes reaches the terminal inert in every listing") {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "payments");
  repo.Commit("README", "a\n", "initial");
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", repo.dir().string()}}).has_value());
  repo.GithubSquash(5, kHostile, "me@example.com");
  json prompt = WaitPrompt(c);
  REQUIRE(prompt.is_object());
  REQUIRE(prompt["title"] == kHostile);

  CHECK_INERT(world.Brag("pending"));
  CHECK_INERT(world.Brag("log"));
  CHECK_INERT(world.Brag("prompt --once", "\n"));
  CHECK_INERT(world.Brag("scan " + ShellQuote(repo.dir().string())));
  CommandResult snoozed =
      world.Brag("snooze " + std::to_string(prompt["id"].get<int64_t>()));
  CHECK_MESSAGE(!HasControls(snoozed.output), snoozed.output);

  // --json stays JSON, with the same title, and as inert on a terminal.
  CommandResult listed = world.Brag("log --json");
  REQUIRE(listed.code == 0);
  CHECK_MESSAGE(!HasControls(listed.output), listed.output);
  std::vector<json> entries = JsonLines(listed.output);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["title"] == kHostile);

  std::string log = bragd.Log();
  CHECK_MESSAGE(log.find("index \\e[2J") != std::string::npos, log);
  CHECK_MESSAGE(!HasControls(log), log);
}

TEST_CASE(
    "a repo folder named with terminal escapes shows inert in status and repos list") {
  World world;
  fs::path dir = world.repos() / ("evil" + kHostile);
  GitRepo repo = GitRepo::Init(dir);
  repo.Commit("README", "a\n", "initial");
  CommandResult added = world.Brag("repos add " + ShellQuote(dir.string()));
  CHECK_MESSAGE(added.code == 0, added.output);
  CHECK_MESSAGE(!HasControls(added.output), added.output);
  CHECK_INERT(world.Brag("repos list"));
  CHECK_INERT(world.Brag("status"));
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  CHECK_INERT(world.Brag("repos list"));
  CHECK_INERT(world.Brag("status"));
  CommandResult removed = world.Brag("repos rm " + ShellQuote("nope" + kHostile));
  CHECK(removed.code == 1);
  CHECK_MESSAGE(!HasControls(removed.output), removed.output);
}

// A stand-in for bragd, run by the test on the world's socket as the same
// user (so brag trusts it): each request line gets the line `reply` makes of
// it. Serves connections one at a time until it goes.
class FakeBragd {
 public:
  FakeBragd(const fs::path& socket, std::function<std::string(const json&)> reply)
      : reply_(std::move(reply)) {
    fs::create_directories(socket.parent_path());
    fs::permissions(socket.parent_path(), fs::perms::owner_all);
    fs::remove(socket);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 8) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeBragd() {
    stopping_ = true;
    thread_.join();
    ::close(fd_);
  }

 private:
  void Serve() {
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      Converse(conn);
      ::close(conn);
    }
  }

  void Converse(int conn) {
    std::string buf;
    char chunk[4096];
    while (!stopping_) {
      pollfd p{conn, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      ssize_t n = ::read(conn, chunk, sizeof chunk);
      if (n <= 0) return;
      buf.append(chunk, static_cast<size_t>(n));
      for (size_t nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n')) {
        std::string line = reply_(json::parse(buf.substr(0, nl))) + "\n";
        buf.erase(0, nl + 1);
        if (::send(conn, line.data(), line.size(), MSG_NOSIGNAL) < 0) return;
      }
    }
  }

  std::function<std::string(const json&)> reply_;
  int fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// `result` (JSON text, as is) as the reply to any request.
std::function<std::string(const json&)> Answering(const std::string& result) {
  return [result](const json& request) {
    return R"({"id":)" + request["id"].dump() + R"(,"result":)" + result + "}";
  };
}

TEST_CASE("a reply of an unexpected shape is a protocol error, never an abort") {
  World world;
  struct Case {
    const char* command;
    const char* result;
    const char* method;
  };
  for (const Case& k : {
           Case{"note hello", R"({"note":5})", "note"},
           Case{"note hello", R"([])", "note"},
           Case{"note hello", R"({"note":{"id":"7"}})", "note"},
           Case{"pending", R"({"prompts":{}})", "pending"},
           Case{"pending", R"({"prompts":[{"id":1,"kind":"pr_merged","pr":"5"}]})",
                "pending"},
           Case{"pending --count", R"({"prompts":[7]})", "pending"},
           Case{"pending --json", R"(null)", "pending"},
           Case{"log", R"({"entries":[{"kind":"note","text":["x"]}]})", "log"},
           Case{"status", R"({"running":"yes"})", "status"},
           Case{"repos list", R"({"repos":[{"name":5}]})", "repos.list"},
           Case{"dismiss 3", R"({"prompt":{"id":"3"}})", "dismiss"},
           Case{"answer 3 fine", R"({"prompt":[]})", "answer"},
           Case{"snooze 3", R"({"prompt":{"id":3,"snoozed_until":5}})", "snooze"},
           Case{"prompt --once", R"({"prompts":[{"id":1,"incident":"x"}]})", "pending"},
       }) {
    INFO(k.command, " answered with ", k.result);
    FakeBragd fake(world.socket(), Answering(k.result));
    CommandResult r = world.Brag(k.command);
    CHECK(r.code == 1);
    // In words for people; --json keeps the protocol's code for scripts.
    std::string why =
        std::string(k.command).ends_with("--json")
            ? " (protocol)"
            : " (brag and bragd may be different versions; restart bragd)";
    CHECK_MESSAGE(
        r.output.find(std::string("brag: error: bragd sent an unexpected reply to ") +
                      k.method + why) != std::string::npos,
        r.output);
  }
}

TEST_CASE("an error reply of an unexpected shape is a protocol error too") {
  World world;
  FakeBragd fake(world.socket(), [](const json& request) {
    return R"({"id":)" + request["id"].dump() + R"(,"error":"boom"})";
  });
  CommandResult r = world.Brag("note hello");
  CHECK(r.code == 1);
  CHECK_MESSAGE(
      r.output.find("bragd sent an unexpected reply to note (brag and bragd may "
                    "be different versions; restart bragd)") != std::string::npos,
      r.output);
}

TEST_CASE("replies of the documented shape from a stand-in bragd are shown as usual") {
  World world;
  FakeBragd fake(world.socket(),
                 Answering(R"({"note":{"id":42,"kind":"note","text":"hi","repo":null,)"
                           R"("commit":null,"tags":[],"prompt":null}})"));
  CommandResult r = world.Brag("note hi");
  CHECK_MESSAGE(r.code == 0, r.output);
  CHECK(r.output == "noted (42)\n");
}

TEST_CASE("a 30-digit id is never rewritten as a float") {
  World world;
  for (const char* command : {"dismiss", "answer", "snooze"}) {
    std::string args = std::string(command) + " 123456789012345678901234567890" +
                       (std::string(command) == "answer" ? " fine" : "");
    CommandResult r = world.Brag(args);
    INFO(args);
    CHECK(r.code == 2);
    CHECK_MESSAGE(
        r.output.find("brag: error: \"123456789012345678901234567890\" is not a "
                      "prompt id (ids are whole numbers from 1; see brag pending)") !=
            std::string::npos,
        r.output);
  }
  BragdProcess bragd(world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.SendRaw("{\"id\":123456789012345678901234567890,\"method\":\"hello\"}\n"));
  Result<std::string> line = c.ReadLine(5000);
  REQUIRE(line.has_value());
  json reply = json::parse(*line);
  CHECK(reply["id"].is_null());
  CHECK(reply["error"]["code"] == "bad_request");
  CHECK_MESSAGE(line->find("123456789012345678901234567890") != std::string::npos,
                *line);
  CHECK_MESSAGE(line->find("e+29") == std::string::npos, *line);
  CHECK(c.Call("hello").has_value());  // the connection still serves
}

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("digest -o and review -o write private files whatever the umask") {
  World world;
  REQUIRE(world.Brag("note Cut p95 from 1.8s to 240ms").code == 0);
  fs::path digest = world.root() / "out" / "week.md";
  fs::path review = world.root() / "out" / "review.md";
  fs::create_directories(digest.parent_path());
  WriteFile(review, "an older draft\n");
  fs::permissions(review, fs::perms(0644));
  for (const std::string& args : {"digest --since 2000-01-01 --until 2100-01-01 -o " +
                                      ShellQuote(digest.string()),
                                  "review --since 2000-01-01 --until 2100-01-01 -o " +
                                      ShellQuote(review.string())}) {
    CommandResult r = world.Brag(args);
    REQUIRE_MESSAGE(r.code == 0, r.output);
  }
  // The same runs under umask 022, through the shell that runs brag.
  CommandResult again =
      RunCommand("umask 022; BRAG_CONFIG=" + ShellQuote(world.config().string()) +
                 " " BRAG_BIN " digest --since 2000-01-01 --until 2100-01-01 -o " +
                 ShellQuote(digest.string()) + " </dev/null");
  REQUIRE_MESSAGE(again.code == 0, again.output);
  CHECK(ModeOf(digest) == 0600);
  CHECK(ModeOf(review) == 0600);
  CHECK(ReadFile(review).find("1.8s") != std::string::npos);
}

TEST_CASE("a hostile note is inert in the Markdown that brag digest prints") {
  World world;
  std::string note = "[x](javascript:alert(1)) <script>alert(2)</script> " + kHostile;
  REQUIRE(world.Brag("note " + ShellQuote(note)).code == 0);
  CommandResult md = world.Brag("digest --since 2000-01-01 --until 2100-01-01");
  REQUIRE_MESSAGE(md.code == 0, md.output);
  CHECK_MESSAGE(!HasControls(md.output), md.output);
  CHECK(
      md.output.find("\\[x\\](javascript:alert(1)) &lt;script>alert(2)&lt;/script>") !=
      std::string::npos);
  CHECK(md.output.find("<script") == std::string::npos);
}

}  // namespace
}  // namespace brag::test
