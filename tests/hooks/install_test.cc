#include "hooks/install.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "hooks/hook_fixture.h"
#include "hooks/shims.h"
#include "support/git_fixture.h"
#include "support/local_filesystem.h"
#include "support/temp_dir.h"

namespace brag::hooks {
namespace {

namespace fs = std::filesystem;
using Change = HookChange::Kind;
using State = HookState::Kind;
using test::GitRepo;
using test::RequireLocalFilesystem;
using test::Snapshot;
using test::TempDir;

// Every shim, as with --all-hooks: the cases below are about each one.
constexpr ShimChoice kAllHooks{.all_hooks = true};

InstallReport Installed(const fs::path& repo, const ShimChoice& choice = kAllHooks) {
  Result<InstallReport> r = Install(repo, choice);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  return *r;
}

// A repo made in TMPDIR, checked to have filesystem events, and its hooks
// folder.
struct LocalRepo {
  TempDir t{"hooks-install"};
  GitRepo repo;
  fs::path hooks;

  LocalRepo()
      : repo((RequireLocalFilesystem(t.path()), GitRepo::Init(t / "work"))),
        hooks(repo.dir() / ".git" / "hooks") {}
};

InstallReport Uninstalled(const fs::path& repo) {
  Result<InstallReport> r = Uninstall(repo);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  return *r;
}

// The state of each hook, in Shims() order.
std::vector<State> States(const fs::path& repo) {
  Result<StatusReport> r = Status(repo);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  std::vector<State> states;
  for (const HookState& s : r->hooks) states.push_back(s.kind);
  return states;
}

std::vector<Change> Changes(const InstallReport& report) {
  std::vector<Change> changes;
  for (const HookChange& c : report.hooks) changes.push_back(c.kind);
  return changes;
}

// The hooks in `dir` that are brag's shims, by name.
std::vector<std::string> Shimmed(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& [name, entry] : Snapshot(dir)) {
    if (IsShim(entry.bytes)) names.push_back(name);
  }
  return names;
}

const std::string kUserHook = "#!/bin/sh\necho \"the user's own $0\" >&2\n";

TEST_CASE(
    "installing with --all-hooks into a fresh repo writes the four shims, executable") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  CHECK(States(repo.dir()) == std::vector<State>(4, State::kNotInstalled));
  InstallReport report = Installed(repo.dir());
  CHECK(report.ok());
  CHECK(report.site.repo == repo.dir());
  CHECK(report.site.dir == repo.dir() / ".git" / "hooks");
  CHECK(Changes(report) == std::vector<Change>(4, Change::kInstalled));
  for (const Shim& shim : Shims()) {
    fs::path file = repo.dir() / ".git" / "hooks" / std::string(shim.name);
    CHECK(test::ReadFile(file) == shim.text);
    CHECK(fs::status(file).permissions() == fs::perms(0755));
    CHECK_FALSE(fs::exists(file.string() + ".brag-orig"));
  }
  CHECK(States(repo.dir()) == std::vector<State>(4, State::kInstalled));
}

TEST_CASE("installing twice changes nothing, not even a timestamp") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  fs::path hooks = repo.dir() / ".git" / "hooks";
  test::WriteScript(hooks / "post-merge", kUserHook);
  (void)Installed(repo.dir());
  auto before = Snapshot(hooks);
  InstallReport again = Installed(repo.dir());
  CHECK(Changes(again) == std::vector<Change>(4, Change::kUnchanged));
  CHECK(Snapshot(hooks) == before);
}

TEST_CASE(
    "an existing hook is kept as NAME.brag-orig and uninstall restores it exactly") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  fs::path hooks = repo.dir() / ".git" / "hooks";
  test::WriteFile(hooks / "post-commit", kUserHook);
  fs::permissions(hooks / "post-commit", fs::perms(0750), fs::perm_options::replace);
  test::WriteFile(hooks / "post-rewrite",
                  "#!/bin/sh\n# not executable: git skips it\n");
  fs::permissions(hooks / "post-rewrite", fs::perms(0644), fs::perm_options::replace);
  auto before = Snapshot(hooks);

  InstallReport report = Installed(repo.dir());
  CHECK(Changes(report) == std::vector<Change>{Change::kChained, Change::kInstalled,
                                               Change::kChained, Change::kInstalled});
  auto installed = Snapshot(hooks);
  CHECK(installed["post-commit.brag-orig"] == before["post-commit"]);
  CHECK(installed["post-rewrite.brag-orig"] == before["post-rewrite"]);
  CHECK(States(repo.dir()) == std::vector<State>{State::kChaining, State::kInstalled,
                                                 State::kChaining, State::kInstalled});

  InstallReport removed = Uninstalled(repo.dir());
  CHECK(Changes(removed) == std::vector<Change>{Change::kRestored, Change::kRemoved,
                                                Change::kRestored, Change::kRemoved});
  CHECK(Snapshot(hooks) == before);
  CHECK(States(repo.dir()) == std::vector<State>{State::kForeign, State::kNotInstalled,
                                                 State::kForeign,
                                                 State::kNotInstalled});
}

TEST_CASE(
    "a symlinked hook stays a symlink, to the same target, through install and "
    "uninstall") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  fs::path hooks = repo.dir() / ".git" / "hooks";
  test::WriteScript(repo.dir() / "tools" / "merge-hook", kUserHook);
  fs::create_symlink("../../tools/merge-hook", hooks / "post-merge");
  fs::create_symlink("../../tools/missing", hooks / "reference-transaction");
  auto before = Snapshot(hooks);

  (void)Installed(repo.dir());
  CHECK(fs::is_symlink(hooks / "post-merge.brag-orig"));
  CHECK(fs::read_symlink(hooks / "post-merge.brag-orig") == "../../tools/merge-hook");
  CHECK(fs::is_symlink(hooks / "reference-transaction.brag-orig"));
  CHECK_FALSE(fs::is_symlink(hooks / "post-merge"));
  CHECK(IsShim(test::ReadFile(hooks / "post-merge")));

  (void)Uninstalled(repo.dir());
  CHECK(Snapshot(hooks) == before);
  CHECK(fs::read_symlink(hooks / "post-merge") == "../../tools/merge-hook");
}

TEST_CASE(
    "a foreign hook beside an existing NAME.brag-orig is refused, the rest installed") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  fs::path hooks = repo.dir() / ".git" / "hooks";
  test::WriteScript(hooks / "post-commit", kUserHook);
  test::WriteScript(hooks / "post-commit.brag-orig", "#!/bin/sh\necho older\n");
  auto before = Snapshot(hooks);

  InstallReport report = Installed(repo.dir());
  CHECK_FALSE(report.ok());
  REQUIRE(report.hooks[0].name == "post-commit");
  CHECK(report.hooks[0].kind == Change::kRefused);
  CHECK(report.hooks[0].detail.find("post-commit.brag-orig exists already") !=
        std::string::npos);
  CHECK(Changes(report) == std::vector<Change>{Change::kRefused, Change::kInstalled,
                                               Change::kInstalled, Change::kInstalled});
  auto after = Snapshot(hooks);
  CHECK(after["post-commit"] == before["post-commit"]);
  CHECK(after["post-commit.brag-orig"] == before["post-commit.brag-orig"]);
  CHECK(States(repo.dir())[0] == State::kForeign);

  // Uninstall leaves both of them alone too.
  InstallReport removed = Uninstalled(repo.dir());
  CHECK(removed.hooks[0].kind == Change::kLeftAlone);
  CHECK(Snapshot(hooks) == before);
}

TEST_CASE("a hook that replaced brag's shim after install becomes the original") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  fs::path hooks = repo.dir() / ".git" / "hooks";
  (void)Installed(repo.dir());
  test::WriteScript(hooks / "post-commit", kUserHook);
  CHECK(States(repo.dir())[0] == State::kForeign);
  InstallReport report = Installed(repo.dir());
  CHECK(report.hooks[0].kind == Change::kChained);
  CHECK(test::ReadFile(hooks / "post-commit.brag-orig") == kUserHook);
  CHECK(States(repo.dir())[0] == State::kChaining);
}

TEST_CASE("an older shim is reported outdated and replaced by install") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  fs::path hooks = repo.dir() / ".git" / "hooks";
  test::WriteScript(hooks / "post-merge",
                    "#!/bin/sh\n# brag-hook-shim v0\nbrag hook\n");
  Result<StatusReport> status = Status(repo.dir());
  REQUIRE(status.has_value());
  CHECK(status->hooks[1].kind == State::kInstalled);
  CHECK(status->hooks[1].outdated);
  InstallReport report = Installed(repo.dir());
  CHECK(report.hooks[1].kind == Change::kUpdated);
  CHECK(test::ReadFile(hooks / "post-merge") == Shims()[1].text);
  CHECK_FALSE(fs::exists(hooks / "post-merge.brag-orig"));
  CHECK_FALSE(Status(repo.dir())->hooks[1].outdated);
}

TEST_CASE("uninstall on a repo without brag's hooks changes nothing") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  fs::path hooks = repo.dir() / ".git" / "hooks";
  test::WriteScript(hooks / "post-commit", kUserHook);
  auto before = Snapshot(hooks);
  InstallReport report = Uninstalled(repo.dir());
  CHECK(report.ok());
  CHECK(Changes(report) == std::vector<Change>{Change::kLeftAlone, Change::kUnchanged,
                                               Change::kUnchanged, Change::kUnchanged});
  CHECK(Snapshot(hooks) == before);
}

TEST_CASE(
    "a missing core.hooksPath folder is created by install and left by uninstall") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  repo.Git("config core.hooksPath .githooks");
  fs::path hooks = repo.dir() / ".githooks";
  REQUIRE_FALSE(fs::exists(hooks));
  InstallReport report = Installed(repo.dir());
  CHECK(report.site.dir == hooks);
  CHECK(Snapshot(hooks).size() == 4);
  CHECK(Snapshot(repo.dir() / ".git" / "hooks").count("post-commit") == 0);
  (void)Uninstalled(repo.dir());
  CHECK(fs::is_directory(hooks));
  CHECK(Snapshot(hooks).empty());
}

TEST_CASE("a hooks folder that cannot be made is an error for the repo") {
  TempDir t("hooks-install");
  GitRepo repo = GitRepo::Init(t / "work");
  test::WriteFile(repo.dir() / "not-a-dir", "x\n");
  repo.Git("config core.hooksPath not-a-dir");
  Result<InstallReport> r = Install(repo.dir());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "io");
  CHECK(test::ReadFile(repo.dir() / "not-a-dir") == "x\n");
  Result<InstallReport> none = Install(t / "no-repo-here");
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == "not_found");
}

TEST_CASE_FIXTURE(LocalRepo,
                  "a plain install on a local filesystem writes three shims and skips "
                  "reference-transaction, saying why") {
  InstallReport report = Installed(repo.dir(), {});
  CHECK(report.ok());
  CHECK_FALSE(report.ref_hook.needed);
  CHECK(report.ref_hook.reason == "bragd sees ref changes on this filesystem");
  CHECK(Changes(report) == std::vector<Change>{Change::kInstalled, Change::kInstalled,
                                               Change::kInstalled, Change::kSkipped});
  CHECK(report.hooks[3].name == "reference-transaction");
  CHECK(report.hooks[3].detail == report.ref_hook.reason);
  auto files = Snapshot(hooks);
  CHECK(Shimmed(hooks) ==
        std::vector<std::string>{"post-commit", "post-merge", "post-rewrite"});
  CHECK(States(repo.dir()) == std::vector<State>{State::kInstalled, State::kInstalled,
                                                 State::kInstalled,
                                                 State::kNotInstalled});
  Result<StatusReport> status = Status(repo.dir());
  REQUIRE(status.has_value());
  CHECK_FALSE(status->ref_hook.needed);
  CHECK(status->hooks[0].needed);
  CHECK_FALSE(status->hooks[3].needed);

  InstallReport again = Installed(repo.dir(), {});
  CHECK(Changes(again) == std::vector<Change>{Change::kUnchanged, Change::kUnchanged,
                                              Change::kUnchanged, Change::kSkipped});
  CHECK(Snapshot(hooks) == files);
}

TEST_CASE_FIXTURE(
    LocalRepo,
    "--all-hooks, or a config that polls, installs reference-transaction too") {
  ShimChoice choice;
  std::string reason;
  SUBCASE("--all-hooks") {
    choice.all_hooks = true;
    reason = "--all-hooks";
  }
  SUBCASE("[detect] watch = \"poll\"") {
    choice.watch_poll = true;
    reason = "bragd polls every repo ([detect] watch = \"poll\")";
  }
  InstallReport report = Installed(repo.dir(), choice);
  CHECK(report.ref_hook.needed);
  CHECK(report.ref_hook.reason == reason);
  CHECK(Changes(report) == std::vector<Change>(4, Change::kInstalled));
  CHECK(Shimmed(hooks).size() == 4);
  Result<StatusReport> status = Status(repo.dir(), choice);
  REQUIRE(status.has_value());
  CHECK(status->hooks[3].needed);
}

TEST_CASE_FIXTURE(
    LocalRepo,
    "a plain install after --all-hooks leaves reference-transaction in place, "
    "unchanged, and uninstall removes all four") {
  test::WriteScript(hooks / "reference-transaction", kUserHook);
  auto before = Snapshot(hooks);
  InstallReport all = Installed(repo.dir(), kAllHooks);
  CHECK(all.hooks[3].kind == Change::kChained);
  auto installed = Snapshot(hooks);

  InstallReport plain = Installed(repo.dir(), {});
  CHECK(Changes(plain) == std::vector<Change>(4, Change::kUnchanged));
  CHECK(Snapshot(hooks) == installed);
  CHECK(States(repo.dir())[3] == State::kChaining);

  InstallReport removed = Uninstalled(repo.dir());
  CHECK(Changes(removed) == std::vector<Change>{Change::kRemoved, Change::kRemoved,
                                                Change::kRemoved, Change::kRestored});
  CHECK(Snapshot(hooks) == before);
}

TEST_CASE_FIXTURE(
    LocalRepo,
    "where reference-transaction is not needed, somebody's hook of that name is left "
    "as it is, through install and uninstall") {
  test::WriteScript(hooks / "post-commit", kUserHook);
  test::WriteScript(hooks / "reference-transaction", kUserHook);
  auto before = Snapshot(hooks);
  InstallReport report = Installed(repo.dir(), {});
  CHECK(Changes(report) == std::vector<Change>{Change::kChained, Change::kInstalled,
                                               Change::kInstalled, Change::kSkipped});
  CHECK(test::ReadFile(hooks / "reference-transaction") == kUserHook);
  CHECK_FALSE(fs::exists(hooks / "reference-transaction.brag-orig"));
  (void)Uninstalled(repo.dir());
  CHECK(Snapshot(hooks) == before);
}

TEST_CASE_FIXTURE(
    LocalRepo,
    "a reference-transaction.brag-orig left without its shim is chained again by a "
    "plain install: only the shim runs it") {
  test::WriteScript(hooks / "reference-transaction.brag-orig", kUserHook);
  InstallReport report = Installed(repo.dir(), {});
  CHECK(report.hooks[3].kind == Change::kChained);
  CHECK(States(repo.dir())[3] == State::kChaining);
}

TEST_CASE_FIXTURE(
    LocalRepo,
    "a hooks folder not made yet is judged by the nearest folder that exists") {
  Result<HookSite> site = LocateHooks(repo.dir());
  REQUIRE(site.has_value());
  CHECK(site->git_dir == repo.dir() / ".git");
  site->dir = t / "not" / "made" / "yet";
  CHECK_FALSE(NeedOfRefHook(*site, {}).needed);
  CHECK(NeedOfRefHook(*site, {.watch_poll = true}).needed);
}

}  // namespace
}  // namespace brag::hooks

namespace brag::hooks {

TEST_CASE_FIXTURE(LocalRepo, "a hooks folder others may write gets no shim, with a clear error") {
  fs::create_directories(hooks);
  fs::permissions(hooks, fs::perms::all);  // 0777
  Result<InstallReport> r = Install(repo.dir(), kAllHooks);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "forbidden");
  CHECK_MESSAGE(r.error().message.find(hooks.string()) != std::string::npos,
                r.error().message);
  CHECK_MESSAGE(r.error().message.find("writable by others") != std::string::npos,
                r.error().message);
  CHECK_FALSE(fs::exists(hooks / "post-commit"));
}

}  // namespace brag::hooks
