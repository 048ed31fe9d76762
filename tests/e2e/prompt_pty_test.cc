// The interactive prompt as a person meets it: the real `brag prompt` on a
// pseudo-terminal, keys typed into it, the real bragd behind it, and a
// second client answering over the socket at the same time. Then the
// question after a pull, on a terminal too.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "e2e/bragd_process.h"
#include "e2e/pty_session.h"
#include "support/git_fixture.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kLeft = "\x1b[D";

// A watched repo with `count` merged PRs of mine, each prompted.
struct PromptWorld {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "api");
  std::unique_ptr<BragdProcess> bragd;
  std::unique_ptr<protocol::Client> other;  // the second place that answers
  std::vector<json> prompts;

  explicit PromptWorld(int count) {
    repo.Commit("README", "hello\n", "initial commit");
    bragd = std::make_unique<BragdProcess>(world);
    REQUIRE(bragd->WaitReady());
    other = std::make_unique<protocol::Client>(bragd->Connect());
    REQUIRE(other->Call("repos.add", {{"path", repo.dir().string()}}).has_value());
    REQUIRE(other->Call("subscribe").has_value());
    for (int i = 1; i <= count; ++i) {
      repo.GithubSquash(40 + i, "Change " + std::to_string(i), "me@example.com");
      json p = WaitPrompt(*other);
      REQUIRE(p.is_object());
      prompts.push_back(p);
    }
    // In the order brag asks: the newest merge first.
    std::reverse(prompts.begin(), prompts.end());
  }

  // `brag ARGS` as typed in a terminal, with this world's config and its
  // own state folder (the line history).
  std::string Command(const std::string& args) const {
    return "BRAG_CONFIG=" + ShellQuote(world.config().string()) +
           " XDG_STATE_HOME=" + ShellQuote((world.root() / "state").string()) +
           " exec " + BRAG_BIN + " " + args;
  }

  json Entry(int64_t prompt_id) {
    Result<json> log = other->Call("log");
    REQUIRE(log.has_value());
    for (const json& e : (*log)["entries"]) {
      // Free notes have "prompt": null.
      if (e["prompt"].is_number_integer() && e["prompt"] == prompt_id) return e;
    }
    FAIL("no entry for prompt " << prompt_id);
    return json();
  }
  std::vector<json> FreeNotes() {
    Result<json> log = other->Call("log", {{"kind", "note"}});
    REQUIRE(log.has_value());
    return (*log)["entries"].get<std::vector<json>>();
  }
};

// Waits for `question` and for the prompt to read keys (libedit's raw mode).
bool AtQuestion(PtySession& tty, const std::string& question = "q: quit)> ") {
  return tty.WaitFor(question) && tty.WaitForRawMode();
}

std::string Id(const json& prompt) {
  return std::to_string(prompt["id"].get<int64_t>());
}

}  // namespace

TEST_CASE(
    "arrow keys edit the line at the prompt: the note holds the text, no escapes") {
  PromptWorld w(1);
  PtySession tty(w.Command("prompt --once"));
  REQUIRE_MESSAGE(AtQuestion(tty), tty.output());
  tty.Type("wth");
  REQUIRE(tty.WaitFor("wth"));
  tty.Type(std::string(kLeft) + kLeft + kLeft);
  tty.Type("caf\xc3\xa9 \xe2\x86\x92 ");  // "café → ", whatever LANG says
  tty.Type("\r");
  REQUIRE_MESSAGE(tty.WaitFor("noted\r\n"), tty.output());
  CHECK(tty.WaitExit() == 0);
  json entry = w.Entry(w.prompts[0]["id"]);
  CHECK(entry["note"] == "caf\xc3\xa9 \xe2\x86\x92 wth");
  CHECK(entry["note"].get<std::string>().find('\x1b') == std::string::npos);

  // Kept for the arrow keys of the next run, readable by the user only.
  fs::path history = w.world.root() / "state" / "brag" / "prompt_history";
  REQUIRE(fs::exists(history));
  CHECK(ReadFile(history).find("wth") != std::string::npos);
  struct stat st {};
  REQUIRE(::stat(history.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("q at the prompt quits and files nothing, and says so") {
  PromptWorld w(1);
  PtySession tty(w.Command("prompt"));
  REQUIRE_MESSAGE(AtQuestion(tty), tty.output());
  tty.Type("q\r");
  REQUIRE_MESSAGE(tty.WaitFor("Quit: nothing filed for #" + Id(w.prompts[0])),
                  tty.output());
  CHECK(tty.WaitExit() == 0);
  CHECK(w.Entry(w.prompts[0]["id"])["state"] == "pending");
  CHECK(w.FreeNotes().empty());
}

TEST_CASE("Ctrl-D at the prompt quits and files nothing") {
  PromptWorld w(1);
  PtySession tty(w.Command("prompt"));
  REQUIRE_MESSAGE(AtQuestion(tty), tty.output());
  tty.Type("\x04");
  REQUIRE_MESSAGE(tty.WaitFor("Quit: nothing filed"), tty.output());
  CHECK(tty.WaitExit() == 0);
  CHECK(w.Entry(w.prompts[0]["id"])["state"] == "pending");
}

TEST_CASE("a one-character answer is filed only once confirmed") {
  PromptWorld w(1);
  std::string id = Id(w.prompts[0]);
  PtySession tty(w.Command("prompt --once"));
  REQUIRE_MESSAGE(AtQuestion(tty), tty.output());
  tty.Type("x\r");
  REQUIRE_MESSAGE(AtQuestion(tty, "File \"x\" as the note for #" + id + "? [y/N] "),
                  tty.output());
  tty.Type("\r");  // the default is no
  REQUIRE_MESSAGE(tty.WaitFor("not filed"), tty.output());
  REQUIRE(AtQuestion(tty));
  CHECK(w.Entry(w.prompts[0]["id"])["state"] == "pending");
  tty.Type("x\r");
  REQUIRE(AtQuestion(tty, "[y/N] "));
  tty.Type("y\r");
  REQUIRE_MESSAGE(tty.WaitFor("noted"), tty.output());
  CHECK(tty.WaitExit() == 0);
  CHECK(w.Entry(w.prompts[0]["id"])["note"] == "x");
}

TEST_CASE(
    "a prompt answered elsewhere leaves the screen; text typed for it is kept as a "
    "note") {
  PromptWorld w(2);
  PtySession tty(w.Command("prompt"));
  // Newest first: the first is asked; answered elsewhere, it goes.
  REQUIRE_MESSAGE(tty.WaitFor("Change 2"), tty.output());
  REQUIRE(AtQuestion(tty));
  REQUIRE(w.other->Call("answer", {{"prompt", w.prompts[0]["id"]}, {"note", "theirs"}})
              .has_value());
  REQUIRE_MESSAGE(tty.WaitFor("#" + Id(w.prompts[0]) + " was answered elsewhere"),
                  tty.output());
  // The second is asked next; half a line typed when the other place answers.
  REQUIRE_MESSAGE(tty.WaitFor("Change 1"), tty.output());
  REQUIRE(AtQuestion(tty));
  tty.Type("mine too");
  REQUIRE(tty.WaitFor("mine too"));
  REQUIRE(
      w.other->Call("answer", {{"prompt", w.prompts[1]["id"]}, {"note", "the other"}})
          .has_value());
  REQUIRE_MESSAGE(tty.WaitFor("#" + Id(w.prompts[1]) +
                              " was answered elsewhere, with \"the other\""),
                  tty.output());
  REQUIRE_MESSAGE(tty.WaitFor("File \"mine too\" as a separate note on api "),
                  tty.output());
  REQUIRE(AtQuestion(tty, "[Y/n] "));
  tty.Type("\r");  // the default is yes
  REQUIRE_MESSAGE(tty.WaitFor("noted (a note of its own)"), tty.output());
  REQUIRE(tty.WaitFor("Waiting for new prompts"));
  tty.Type("\x04");
  CHECK(tty.WaitExit() == 0);

  CHECK(w.Entry(w.prompts[0]["id"])["note"] == "theirs");
  CHECK(w.Entry(w.prompts[1]["id"])["note"] == "the other");
  std::vector<json> notes = w.FreeNotes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["text"] == "mine too");
  CHECK(notes[0]["commit"] == w.prompts[1]["commit"]);
  CHECK(notes[0]["repo"] == w.repo.dir().string());
}

TEST_CASE(
    "brag answer that loses the race keeps the text and prints the command that files "
    "it") {
  PromptWorld w(1);
  REQUIRE(w.other->Call("answer", {{"prompt", w.prompts[0]["id"]}, {"note", "first"}})
              .has_value());
  CommandResult r = w.world.Brag("answer " + Id(w.prompts[0]) + " -- cut p95 by 10x");
  CHECK(r.code == 1);
  CHECK_MESSAGE(
      r.output.find("was answered elsewhere, with \"first\"") != std::string::npos,
      r.output);
  CHECK(r.output.find("no commit notes") == std::string::npos);
  std::string command = "brag note --repo " + ShellQuote(w.repo.dir().string()) +
                        " --commit " + w.prompts[0]["commit"].get<std::string>() +
                        " -- 'cut p95 by 10x'";
  CHECK_MESSAGE(r.output.find(command) != std::string::npos, r.output);
  // The command works as printed.
  CommandResult filed = w.world.Brag(command.substr(5));
  CHECK_MESSAGE(filed.code == 0, filed.output);
  std::vector<json> notes = w.FreeNotes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["text"] == "cut p95 by 10x");
}

TEST_CASE(
    "accepting commit notes of a prompt answered elsewhere is a conflict, not 'nothing "
    "to accept'") {
  PromptWorld w(1);
  REQUIRE(w.other->Call("answer", {{"prompt", w.prompts[0]["id"]}, {"note", "first"}})
              .has_value());
  Result<json> r =
      w.other->Call("answer", {{"prompt", w.prompts[0]["id"]}, {"accept", true}});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "conflict");
}

TEST_CASE("subscribers are told when a prompt stops being pending, however it stops") {
  PromptWorld w(3);
  protocol::Client watcher = w.bragd->Connect();
  REQUIRE(watcher.Call("subscribe").has_value());
  REQUIRE(w.other->Call("answer", {{"prompt", w.prompts[0]["id"]}, {"note", "n"}})
              .has_value());
  REQUIRE(w.other->Call("snooze", {{"prompt", w.prompts[1]["id"]}, {"until", "2h"}})
              .has_value());
  REQUIRE(w.other->Call("dismiss", {{"prompt", w.prompts[2]["id"]}}).has_value());
  std::vector<std::string> states;
  for (int i = 0; i < 3; ++i) {
    Result<json> ev = watcher.NextEvent(5000);
    REQUIRE(ev.has_value());
    CHECK((*ev)["event"] == "prompt_closed");
    CHECK((*ev)["data"]["id"] == w.prompts[i]["id"]);
    states.push_back((*ev)["data"]["state"]);
  }
  CHECK(states == std::vector<std::string>{"answered", "snoozed", "dismissed"});
}

}  // namespace brag::test
