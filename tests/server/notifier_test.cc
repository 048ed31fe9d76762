// The Notifier pushes prompts to subscribed sessions (real sessions of a
// Listener on a real socket) and runs notify-send when allowed.
#include "server/notifier.h"

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "server/listener.h"
#include "server/loop_client.h"
#include "server/session.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

namespace asio = boost::asio;
using test::LoopClient;

Prompt MadePrompt() {
  Prompt p;
  p.id = 7;
  p.state = "pending";
  p.repo = "/src/shop";
  p.repo_name = "shop";
  p.event.kind = "pr_merged";
  p.event.pr = 42;
  p.event.title = "Cache the price list";
  p.event.forge = "github";
  return p;
}

}  // namespace

TEST_CASE("a prompt is pushed once to each subscribed session and to no other") {
  test::TempDir t("notifier");
  asio::io_context io;
  Config config;
  config.notify = false;
  Notifier notifier(config);
  Listener listener(io, [&](const std::string& line, Session& session) {
    if (line == "subscribe") {
      notifier.Subscribe(session);
      notifier.Subscribe(session);  // twice: still one push per prompt
    }
    return std::optional<std::string>("ok " + line + "\n");
  });
  REQUIRE(listener.Listen(t / "bragd.sock").has_value());
  LoopClient subscriber(io, t / "bragd.sock");
  LoopClient other(io, t / "bragd.sock");
  subscriber.Send("subscribe");
  other.Send("hello");
  REQUIRE(subscriber.ReadLine() == "ok subscribe");
  REQUIRE(other.ReadLine() == "ok hello");

  notifier.Publish({MadePrompt()});
  // Requests sent after the push are answered after it: the next line of
  // each client tells whether (and how often) the event came.
  subscriber.Send("after");
  other.Send("after");
  std::optional<std::string> event = subscriber.ReadLine();
  REQUIRE(event.has_value());
  nlohmann::json pushed = nlohmann::json::parse(*event);
  CHECK(pushed["event"] == "prompt");
  CHECK(pushed["data"]["id"] == 7);
  CHECK(pushed["data"]["pr"] == 42);
  CHECK(pushed["data"]["title"] == "Cache the price list");
  CHECK(subscriber.ReadLine() == "ok after");
  CHECK(other.ReadLine() == "ok after");
}

TEST_CASE("a subscriber that went away is skipped and the others still get the prompt") {
  test::TempDir t("notifier");
  asio::io_context io;
  Config config;
  config.notify = false;
  Notifier notifier(config);
  Listener listener(io, [&](const std::string& line, Session& session) {
    notifier.Subscribe(session);
    return std::optional<std::string>("ok " + line + "\n");
  });
  REQUIRE(listener.Listen(t / "bragd.sock").has_value());
  auto gone = std::make_unique<LoopClient>(io, t / "bragd.sock");
  LoopClient stays(io, t / "bragd.sock");
  gone->Send("subscribe");
  stays.Send("subscribe");
  REQUIRE(gone->ReadLine() == "ok subscribe");
  REQUIRE(stays.ReadLine() == "ok subscribe");
  gone->Close();
  gone.reset();
  REQUIRE(test::RunUntil(io, [&] { return listener.session_count() == 1; }));

  notifier.Publish({MadePrompt()});
  std::optional<std::string> event = stays.ReadLine();
  REQUIRE(event.has_value());
  CHECK(nlohmann::json::parse(*event)["event"] == "prompt");
}

TEST_CASE("notify-send shows the repo and PR of a prompt, and nothing runs with notify off") {
  test::TempDir t("notifier");
  test::WriteFile(t / "bin" / "notify-send",
                  "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n");
  std::filesystem::permissions(t / "bin" / "notify-send",
                               std::filesystem::perms::owner_all);
  std::string path = (t / "bin").string() + ":" + std::getenv("PATH");
  test::ScopedEnv env_path("PATH", path.c_str());
  test::ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
  Config config;

  config.notify = false;
  Notifier quiet(config);
  quiet.Publish({MadePrompt()});
  int status = 0;
  errno = 0;
  CHECK(::waitpid(-1, &status, WNOHANG) == -1);
  CHECK(errno == ECHILD);  // no child was started

  config.notify = true;  // seen in place, as after a reload
  quiet.Publish({MadePrompt()});
  REQUIRE(::waitpid(-1, &status, 0) > 0);
  CHECK(test::ReadFile(t / "bin" / "args") ==
        "--app-name=brag\nbrag: shop #42 landed\n"
        "Cache the price list\nWhat was the impact? brag prompt\n");
}

}  // namespace brag
