// Every forge shape of DESIGN §5 and every negative, in one real history,
// judged by both detection passes: bragd following a mainline that moves
// over the whole history at once, and `brag scan` reading it afterwards.
// Both must find exactly the same PRs, with the same fields.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/bragd_process.h"
#include "support/git_fixture.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kMe = "me@example.com";
constexpr const char* kMyWork = "me@work.example.com";  // my second identity
constexpr const char* kOldMe = "old-me@laptop.local";   // mailmapped to kMe
constexpr const char* kMate = "mate@example.com";
constexpr const char* kMerger = "forge-bot@example.com";

// What one PR must come out as: forge, number (0: none), title, branch.
struct Expected {
  std::string forge;
  int64_t pr = 0;
  std::string title;
  std::string branch;  // "" : unknown
  std::string commit;

  auto Tie() const { return std::tie(forge, pr, title, branch, commit); }
  bool operator<(const Expected& o) const { return Tie() < o.Tie(); }
  bool operator==(const Expected& o) const { return Tie() == o.Tie(); }
};

std::ostream& operator<<(std::ostream& os, const Expected& e) {
  return os << e.forge << " #" << e.pr << " '" << e.title << "' branch '" << e.branch
            << "' " << e.commit.substr(0, 8);
}

// Builds the history on the branch checked out in `repo` ("staging"), each
// PR's commits on a branch of their own, merged with the forge's message.
class HistoryBuilder {
 public:
  HistoryBuilder(const GitRepo& repo, fs::path scratch)
      : repo_(repo), message_file_(std::move(scratch) / "message.txt") {}

  // A branch of `authors`' commits (one each) merged with --no-ff and
  // `message` by the forge's bot. Returns the merge.
  std::string Merge(const std::string& branch, const std::vector<std::string>& authors,
                    const std::string& message) {
    repo_.Git("checkout -q -b " + ShellQuote(branch) + " staging");
    for (const std::string& author : authors) Work(author);
    repo_.Git("checkout -q staging");
    WriteFile(message_file_, message);
    repo_.Git("merge -q --no-ff -F " + ShellQuote(message_file_.string()) + " " +
                  ShellQuote(branch),
              kMerger);
    return repo_.Rev();
  }

  // One commit straight on staging with `message` (a squash or rebase).
  std::string Single(const std::string& author, const std::string& message) {
    Touch();
    WriteFile(message_file_, message);
    repo_.Git("commit -q -F " + ShellQuote(message_file_.string()), author);
    return repo_.Rev();
  }

  // A commit by `author` on the current branch.
  void Work(const std::string& author) {
    Touch();
    repo_.Git("commit -q -m " + ShellQuote("step " + std::to_string(counter_)), author);
  }

 private:
  void Touch() {
    std::string file = "f" + std::to_string(++counter_) + ".txt";
    WriteFile(repo_.dir() / file, std::to_string(counter_) + "\n");
    repo_.Git("add -- " + ShellQuote(file));
  }

  const GitRepo& repo_;
  fs::path message_file_;
  int counter_ = 0;
};

struct ForgeHistory {
  std::vector<Expected> mine;    // my PRs, as they must be found
  std::vector<Expected> theirs;  // PRs of nobody of mine
};

// Every shape of DESIGN §5, every negative of issue 3, and every way a PR
// is mine, on `staging`.
ForgeHistory BuildForgeHistory(const GitRepo& repo, const fs::path& scratch) {
  HistoryBuilder b(repo, scratch);
  ForgeHistory h;
  auto mine = [&](std::string forge, int64_t pr, std::string title, std::string branch,
                  std::string commit) {
    h.mine.push_back({std::move(forge), pr, std::move(title), std::move(branch),
                      std::move(commit)});
  };

  // --- every forge ------------------------------------------------------------
  mine("github", 11, "Add composite index on orders", "orders-index",
       b.Merge("orders-index", {kMe},
               "Merge pull request #11 from acme/orders-index\n\n"
               "Add composite index on orders\n"));
  mine("github", 12, "Cache the catalogue", "",
       b.Single(kMe, "Cache the catalogue (#12)\n\n* cache\n* invalidate\n"));
  mine("gitlab", 13, "Batch the ledger writes", "ledger-batch",
       b.Merge("ledger-batch", {kMe},
               "Merge branch 'ledger-batch' into 'main'\n\nBatch the ledger writes\n\n"
               "See merge request payments/ledger!13\n"));
  mine("gitlab", 14, "Stream the export", "export-stream",
       b.Merge("export-stream", {kMe},
               "Merge branch 'export-stream' into 'main'\n\nStream the export\n\n"
               "See merge request https://gitlab.example.com/payments/ledger/-/"
               "merge_requests/14\n"));
  mine("bitbucket", 15, "Retry webhooks with backoff", "webhook-retry",
       b.Merge("webhook-retry", {kMe},
               "Merged in webhook-retry (pull request #15)\n\n"
               "Retry webhooks with backoff\n\nApproved-by: Mate\n"));
  mine("bitbucket", 16, "Merge pull request #16 in PAY/ledger from pool-size to main",
       "pool-size",
       b.Merge("pool-size", {kMe},
               "Merge pull request #16 in PAY/ledger from pool-size to main\n\n"
               "* commit 'abc':\n  Size the pool\n"));
  mine("bitbucket", 17, "Drop the legacy cron", "legacy-cron",
       b.Merge("legacy-cron", {kMe},
               "Pull request #17: Drop the legacy cron\n\n"
               "Merge in PAY/ledger from legacy-cron to main\n\n"
               "* commit 'def':\n  Drop it\n"));
  mine("azure", 18, "Shard the sessions table", "",
       b.Merge("sessions-shard", {kMe},
               "Merged PR 18: Shard the sessions table\n\nSplit by tenant.\n"));
  mine("gerrit", 19, "Bound the RPC deadline", "",
       b.Single(kMe,
                "Bound the RPC deadline\n\nNo more hung workers.\n\n"
                "Change-Id: I0123456789abcdef0123456789abcdef01234567\n"
                "Reviewed-on: https://review.example.com/c/ledger/+/19\n"
                "Reviewed-by: Mate <mate@example.com>\n"));
  mine("phabricator", 20, "Index the audit log", "",
       b.Single(kMe,
                "Index the audit log\n\nSummary: faster audits.\n\n"
                "Test Plan: ran it\n\n"
                "Differential Revision: https://phab.example.com/D20\n"));
  std::string local = b.Merge("tidy-config", {kMe}, "Merge branch 'tidy-config'\n");
  mine("local", 0, "Merge branch 'tidy-config'", "tidy-config", local);

  // --- negatives ----------------------------------------------------------------
  // A sync of main into my feature branch, then the branch's PR: one PR.
  repo.Git("checkout -q -b synced staging");
  b.Work(kMe);
  repo.Git("checkout -q staging");
  b.Single(kMate, "Meanwhile on main\n");
  repo.Git("checkout -q synced");
  repo.Git("merge -q --no-ff -m \"Merge branch 'main' into synced\" staging", kMe);
  repo.Git("checkout -q staging");
  WriteFile(scratch / "m.txt", "Merge pull request #21 from acme/synced\n\nSynced work\n");
  repo.Git("merge -q --no-ff -F " + ShellQuote((scratch / "m.txt").string()) + " synced",
           kMerger);
  mine("github", 21, "Synced work", "synced", repo.Rev());
  // A `git pull` merge on main itself: a sync, not a PR.
  repo.Git("checkout -q -b upstream-main staging");
  b.Work(kMate);
  repo.Git("checkout -q staging");
  b.Work(kMe);
  repo.Git("merge -q --no-ff -m \"Merge branch 'main' of https://github.com/acme/ledger\" "
           "upstream-main",
           kMe);
  repo.Git("checkout -q -b upstream-main-2 staging");
  b.Work(kMe);
  repo.Git("checkout -q staging");
  b.Work(kMe);
  repo.Git("merge -q --no-ff -m \"Merge remote-tracking branch 'origin/main'\" "
           "upstream-main-2",
           kMe);
  // A "(#N)" that does not end the subject.
  b.Single(kMe, "Revert the (#12) cache for the docs build\n");
  // A PR merged into a side branch, which then lands as one PR: only the
  // outer PR is on the mainline's first-parent chain.
  repo.Git("checkout -q -b epic staging");
  b.Work(kMe);
  repo.Git("checkout -q -b epic-part epic");
  b.Work(kMe);
  repo.Git("checkout -q epic");
  repo.Git("merge -q --no-ff -m 'Merge pull request #31 from acme/epic-part' "
           "-m 'A part of the epic' epic-part",
           kMerger);
  repo.Git("checkout -q staging");
  WriteFile(scratch / "m.txt", "Merge pull request #32 from acme/epic\n\nThe epic\n");
  repo.Git("merge -q --no-ff -F " + ShellQuote((scratch / "m.txt").string()) + " epic",
           kMerger);
  mine("github", 32, "The epic", "epic", repo.Rev());
  // A teammate's PR.
  h.theirs.push_back({"github", 40, "Their refactor", "their-refactor",
                      b.Merge("their-refactor", {kMate},
                              "Merge pull request #40 from acme/their-refactor\n\n"
                              "Their refactor\n")});

  // --- whose work -------------------------------------------------------------
  mine("github", 50, "From my work address", "",
       b.Single("ME@Work.Example.com", "From my work address (#50)\n"));
  mine("github", 51, "From my old laptop", "old-laptop",
       b.Merge("old-laptop", {kOldMe},
               "Merge pull request #51 from acme/old-laptop\n\nFrom my old laptop\n"));
  mine("github", 52, "Paired on the parser", "",
       b.Single(kMate,
                "Paired on the parser (#52)\n\n"
                "Co-authored-by: Me <ME@example.com>\n"));
  mine("github", 53, "Their start, my finish", "their-start",
       b.Merge("their-start", {kMate, kMe},
               "Merge pull request #53 from acme/their-start\n\nTheir start, my finish\n"));
  mine("github", 54, "Both of my addresses", "two-me",
       b.Merge("two-me", {kMe, kMyWork},
               "Merge pull request #54 from acme/two-me\n\nBoth of my addresses\n"));
  return h;
}

std::vector<Expected> Found(const std::vector<json>& items) {
  std::vector<Expected> found;
  for (const json& item : items) {
    CHECK(item["kind"] == "pr_merged");
    found.push_back({item["forge"].get<std::string>(),
                     item["pr"].is_null() ? 0 : item["pr"].get<int64_t>(),
                     item["title"].get<std::string>(),
                     item["branch"].is_null() ? "" : item["branch"].get<std::string>(),
                     item["commit"].get<std::string>()});
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<Expected> Sorted(std::vector<Expected> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// A world whose repo has its first commit (with the .mailmap) on main and a
// `staging` branch to build on.
struct ForgeWorld {
  World world;
  GitRepo repo = GitRepo::Init(world.repos() / "ledger");
  ForgeWorld() {
    world.WriteConfig("[identity]\nemails = [\"" + std::string(kMe) + "\", \"" +
                      kMyWork + "\"]\n");
    repo.Commit(".mailmap", "Me <me@example.com> <old-me@laptop.local>\n",
                "initial: who I am");
    repo.Git("checkout -q -b staging");
  }
};

std::vector<json> ScanJson(const World& world, const GitRepo& repo,
                           const std::string& extra = "") {
  CommandResult r =
      world.Brag("scan " + ShellQuote(repo.dir().string()) + " --json " + extra);
  REQUIRE_MESSAGE(r.code == 0, r.output);
  return JsonLines(r.output);
}

}  // namespace

TEST_CASE("brag scan finds every forge's PRs of mine and none of the negatives") {
  ForgeWorld f;
  ForgeHistory h = BuildForgeHistory(f.repo, f.world.root());
  f.repo.Git("checkout -q main");
  f.repo.Git("merge -q --ff-only staging");

  std::vector<Expected> found = Found(ScanJson(f.world, f.repo));
  std::vector<Expected> want = Sorted(h.mine);
  CHECK(found.size() == want.size());
  for (const Expected& e : want) {
    CHECK_MESSAGE(std::count(found.begin(), found.end(), e) == 1, "missing: ", e);
  }
  for (const Expected& e : found) {
    CHECK_MESSAGE(std::count(want.begin(), want.end(), e) == 1, "unexpected: ", e);
  }

  // Everyone's: the teammate's PR joins, the negatives stay out.
  std::vector<Expected> everyone = Found(ScanJson(f.world, f.repo, "--all-authors"));
  want.insert(want.end(), h.theirs.begin(), h.theirs.end());
  CHECK(everyone == Sorted(want));
}

TEST_CASE("bragd finds the same PRs as brag scan when a mainline takes the history") {
  ForgeWorld f;
  BragdProcess bragd(f.world);
  REQUIRE(bragd.WaitReady());
  protocol::Client c = bragd.Connect();
  REQUIRE(c.Call("subscribe").has_value());
  REQUIRE(c.Call("repos.add", {{"path", f.repo.dir().string()}}).has_value());

  ForgeHistory h = BuildForgeHistory(f.repo, f.world.root());
  f.repo.Git("checkout -q main");
  f.repo.Git("merge -q --ff-only staging");  // the whole history lands at once

  std::vector<json> prompts;
  while (prompts.size() < h.mine.size()) {
    json p = WaitPrompt(c, 10000);
    if (!p.is_object()) break;
    prompts.push_back(p);
  }
  // Nothing more than my PRs: a rescan answers after the pass is done.
  Result<json> rescan = c.Call("rescan", {{"repo", f.repo.dir().string()}});
  REQUIRE(rescan.has_value());
  Result<json> pending = c.Call("pending");
  REQUIRE(pending.has_value());
  std::vector<json> listed((*pending)["prompts"].begin(), (*pending)["prompts"].end());
  std::vector<Expected> from_daemon = Found(listed);
  CHECK(from_daemon == Sorted(h.mine));
  CHECK(Found(prompts) == Sorted(h.mine));

  // brag scan of the same repo agrees field by field, and --record adds
  // nothing the daemon already has.
  CHECK(Found(ScanJson(f.world, f.repo)) == from_daemon);
  CommandResult record =
      f.world.Brag("scan " + ShellQuote(f.repo.dir().string()) + " --record");
  REQUIRE_MESSAGE(record.code == 0, record.output);
  CHECK(record.output.find("recorded 0 new prompts") != std::string::npos);
  Result<json> after = c.Call("pending");
  REQUIRE(after.has_value());
  CHECK((*after)["prompts"].size() == h.mine.size());
}

}  // namespace brag::test
