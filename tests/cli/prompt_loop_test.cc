#include "cli/prompt_loop.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <sstream>

#include "core/timeutil.h"
#include "support/temp_dir.h"

namespace brag::cli {
namespace {

using nlohmann::json;

// A pipe whose read end holds `input` and then EOF.
class InputPipe {
 public:
  explicit InputPipe(const std::string& input) {
    REQUIRE(::pipe(fds_) == 0);
    REQUIRE(::write(fds_[1], input.data(), input.size()) ==
            static_cast<ssize_t>(input.size()));
    ::close(fds_[1]);
  }
  ~InputPipe() { ::close(fds_[0]); }
  int fd() const { return fds_[0]; }

 private:
  int fds_[2];
};

// A journal with `count` pending prompts, served as bragd-down would.
struct PromptWorld {
  test::TempDir dir{"cli-loop"};
  std::unique_ptr<JournalBackend> backend;
  std::vector<int64_t> ids;

  explicit PromptWorld(int count) {
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(dir / "journal.db", Journal::Mode::kReadWrite);
    REQUIRE(j.has_value());
    int64_t now = UnixNow();
    Result<RepoRecord> repo =
        (*j)->repos().AddRepo((dir / "app").string(), "app", "added", now);
    REQUIRE(repo.has_value());
    for (int i = 1; i <= count; ++i) {
      Event e;
      e.kind = EventKind::kPrMerged;
      e.key = e.commit = std::string(40, static_cast<char>('0' + i));
      e.forge = "github";
      e.pr = 100 + i;
      e.title = "Change " + std::to_string(i);
      e.commit_time = now - 1000 + i;
      Result<std::vector<Prompt>> made =
          (*j)->repos().RecordScan(repo->id, {}, {e}, now - 100 + i);
      REQUIRE(made.has_value());
      ids.push_back((*made)[0].id);
    }
    Config config;
    config.journal_path = (dir / "journal.db").string();
    backend = std::make_unique<JournalBackend>(config, std::move(*j));
  }

  json Entry(int64_t id) {
    Result<json> log = backend->Call("log", json::object());
    REQUIRE(log.has_value());
    for (const json& e : (*log)["entries"]) {
      if (e.value("prompt", int64_t{0}) == id) return e;
    }
    FAIL("no entry for prompt " << id);
    return json();
  }
};

TEST_CASE("a reply line means skip, snooze, dismiss or an answer") {
  CHECK(ParseReply("").action == Reply::Action::kSkip);
  CHECK(ParseReply("   ").action == Reply::Action::kSkip);
  CHECK(ParseReply("s").action == Reply::Action::kSnooze);
  CHECK(ParseReply("d").action == Reply::Action::kDismiss);
  Reply answer = ParseReply("  p95 3.4s -> 18ms \r");
  CHECK(answer.action == Reply::Action::kAnswer);
  CHECK(answer.text == "p95 3.4s -> 18ms");
  CHECK(ParseReply("sd").action == Reply::Action::kAnswer);
}

TEST_CASE("q quits, s skips all after a pull, and one character is one character") {
  CHECK(ParseReply("q").action == Reply::Action::kQuit);
  CHECK(ParseReply(" q ").action == Reply::Action::kQuit);
  CHECK(ParseReply("s", false, true).action == Reply::Action::kSkipAll);
  CHECK(ParseReply("qq").action == Reply::Action::kAnswer);
  CHECK(IsOneCharacter("x"));
  CHECK(IsOneCharacter("\xc3\xa9"));  // é, two bytes
  CHECK_FALSE(IsOneCharacter("ok"));
  CHECK_FALSE(IsOneCharacter(""));
}

TEST_CASE("the question after a pull offers skip all instead of snooze, on one line") {
  json pr{{"kind", "pr_merged"}, {"commit_notes", json::array()}};
  json incident{{"kind", "incident_closed"}, {"commit_notes", json::array()}};
  CHECK(PromptQuestion(pr).find("q: quit") != std::string::npos);
  CHECK(PromptQuestion(pr).find("s: snooze 1d") != std::string::npos);
  for (const json& p : {pr, incident}) {
    std::string q = PromptQuestion(p, true);
    CHECK(q.find("s: skip all") != std::string::npos);
    CHECK(q.find("snooze") == std::string::npos);
    CHECK(q.size() < 80);  // the time left is shown on the line above
  }
}

TEST_CASE("what a terminal sends for keys is taken out of a typed line") {
  CHECK(StripTerminalInput("wth\x1b[D\x1b[D\x1b[DX") == "wthX");
  CHECK(StripTerminalInput("a\x1bOAb") == "ab");
  CHECK(StripTerminalInput("p95\x1b[1;5Cdown\tnow\x07") == "p95down now");
  CHECK(StripTerminalInput("caf\xc3\xa9 \xe2\x86\x92 ok") ==
        "caf\xc3\xa9 \xe2\x86\x92 ok");
  CHECK(StripTerminalInput("end\x1b") == "end");
}

TEST_CASE(
    "the command that keeps a lost answer files it on the prompt's repo and commit") {
  json prompt{{"repo", "/home/me/it's"}, {"commit", "abc123"}};
  CHECK(NoteCommand("cut p95 by 10x", prompt) ==
        "brag note --repo '/home/me/it'\\''s' --commit abc123 -- 'cut p95 by 10x'");
}

TEST_CASE("q ends the loop and files nothing; a one-letter answer is confirmed first") {
  PromptWorld w(2);
  InputPipe in("x\nn\nx\ny\nq\n");
  LineReader reader(in.fd());
  std::ostringstream out, err;
  std::unique_ptr<LineSource> lines = PlainLines(reader, out);
  PromptLoop loop(*w.backend, *lines, out, err, Style{});
  Result<bool> done = loop.WorkThroughPending();
  REQUIRE(done.has_value());
  CHECK_FALSE(*done);
  // Newest merge first: ids[1], then ids[0].
  CHECK(out.str().find("File \"x\" as the note for #" + std::to_string(w.ids[1]) +
                       "? [y/N]") != std::string::npos);
  CHECK(w.Entry(w.ids[1])["note"] == "x");
  CHECK(w.Entry(w.ids[0])["state"] == "pending");
  CHECK(out.str().find("Quit: nothing filed for #" + std::to_string(w.ids[0])) !=
        std::string::npos);
}

TEST_CASE(
    "an answer that lost the race is printed back with the command that files it") {
  PromptWorld w(1);
  Result<json> pending = w.backend->Call("pending", json::object());
  REQUIRE(pending.has_value());
  json shown = (*pending)["prompts"][0];  // on screen when the other answer came
  REQUIRE(
      w.backend->Call("answer", {{"prompt", w.ids[0]}, {"note", "first"}}).has_value());
  InputPipe in("mine, later\n");
  LineReader reader(in.fd());
  std::ostringstream out, err;
  std::unique_ptr<LineSource> lines = PlainLines(reader, out);
  PromptLoop loop(*w.backend, *lines, out, err, Style{});
  CHECK(loop.Ask(shown) == Asked::kNext);
  CHECK(out.str().find("was answered elsewhere, with \"first\"") != std::string::npos);
  CHECK(out.str().find("brag note --repo") != std::string::npos);
  CHECK(out.str().find("-- 'mine, later'") != std::string::npos);
  CHECK(err.str() == "");
}

TEST_CASE("the line reader splits lines, drops CR and keeps a last unterminated line") {
  InputPipe in("one\r\ntwo\n\nthree");
  LineReader reader(in.fd());
  CHECK(reader.Read() == "one");
  CHECK(reader.Read() == "two");
  CHECK(reader.Read() == "");
  CHECK(reader.Read() == "three");
  CHECK_FALSE(reader.Read().has_value());
}

TEST_CASE("the loop answers, skips, snoozes and dismisses in order") {
  PromptWorld w(4);
  InputPipe in("cut p95 by 10x\n\ns\nd\n");
  LineReader reader(in.fd());
  std::ostringstream out, err;
  std::unique_ptr<LineSource> lines = PlainLines(reader, out);
  PromptLoop loop(*w.backend, *lines, out, err, Style{});
  Result<bool> done = loop.WorkThroughPending();
  REQUIRE(done.has_value());
  CHECK(*done);
  CHECK_FALSE(loop.had_errors());
  CHECK(err.str() == "");
  // Newest merge first: PR #104 (merged last) is asked first.
  CHECK(w.Entry(w.ids[3])["note"] == "cut p95 by 10x");
  CHECK(w.Entry(w.ids[2])["state"] == "pending");
  CHECK(w.Entry(w.ids[1])["state"] == "snoozed");
  CHECK(w.Entry(w.ids[0])["state"] == "dismissed");
  CHECK(out.str().find("PR #101  Change 1") != std::string::npos);
  CHECK(out.str().find("PR #104") < out.str().find("PR #101"));
  CHECK(out.str().find("noted") != std::string::npos);
}

TEST_CASE("end of input stops the loop and leaves the rest pending") {
  PromptWorld w(2);
  InputPipe in("only the first\n");
  LineReader reader(in.fd());
  std::ostringstream out, err;
  std::unique_ptr<LineSource> lines = PlainLines(reader, out);
  PromptLoop loop(*w.backend, *lines, out, err, Style{});
  Result<bool> done = loop.WorkThroughPending();
  REQUIRE(done.has_value());
  CHECK_FALSE(*done);
  CHECK(w.Entry(w.ids[1])["state"] == "answered");  // the newer merge
  CHECK(w.Entry(w.ids[0])["state"] == "pending");
}

TEST_CASE("waiting for new prompts needs bragd") {
  PromptWorld w(0);
  InputPipe in("");
  LineReader reader(in.fd());
  std::ostringstream out, err;
  std::unique_ptr<LineSource> lines = PlainLines(reader, out);
  PromptLoop loop(*w.backend, *lines, out, err, Style{});
  Status waited = loop.WaitForNew();
  REQUIRE_FALSE(waited.has_value());
  CHECK(waited.error().code == "unreachable");
}

}  // namespace
}  // namespace brag::cli
