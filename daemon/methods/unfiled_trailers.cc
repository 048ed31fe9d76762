#include "methods/unfiled_trailers.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "detect/forge_marker.h"
#include "detect/impact_trailer.h"
#include "methods/commit_methods.h"

namespace brag {

Result<int> FileUnfiledTrailers(Journal& journal, git::Repo& repo, const TrailerScan& scan,
                                std::set<std::string>* walked) {
  Result<std::map<std::string, std::string>> refs = repo.BranchRefs("refs/heads/*");
  if (!refs) return refs.error();
  Result<std::string> head_branch = repo.HeadBranch();
  std::string first = head_branch ? *head_branch : "";
  // (branch, tip): HEAD's branch first, so commits are named as the hook
  // that ran on them would have named them; a detached HEAD has no branch.
  std::vector<std::pair<std::string, std::string>> tips;
  if (first.empty()) {
    if (Result<std::string> head = repo.ResolveCommit("HEAD")) tips.emplace_back("", *head);
  } else if (auto it = refs->find("refs/heads/" + first); it != refs->end()) {
    tips.emplace_back(first, it->second);
  }
  for (const auto& [ref, oid] : *refs) {
    std::string name = ref.substr(std::string("refs/heads/").size());
    if (name != first) tips.emplace_back(name, oid);
  }

  std::vector<std::string> hide(walked->begin(), walked->end());
  size_t budget = scan.limit;
  struct Found {
    std::string branch;
    git::CommitData commit;
    std::string impact;
  };
  std::vector<Found> found;
  std::vector<std::string> read_tips;
  for (const auto& [branch, tip] : tips) {
    if (walked->count(tip) || budget == 0) continue;
    Result<std::vector<git::CommitData>> commits =
        repo.RecentCommits({tip}, hide, scan.since, budget);
    if (!commits) return commits.error();
    budget -= commits->size();
    hide.push_back(tip);
    read_tips.push_back(tip);
    for (git::CommitData& c : *commits) {
      if (!detect::IsIdentity(c.author_email, scan.identities)) continue;
      detect::MessageSummary summary = detect::SummarizeMessage(c.message);
      if (summary.impact.empty()) continue;
      found.push_back({branch, std::move(c), std::move(summary.impact)});
    }
  }

  std::string repo_path = repo.DisplayPath().string();
  std::vector<std::string> oids;
  for (const Found& f : found) oids.push_back(f.commit.oid);
  Result<std::set<std::string>> known = journal.commits().KnownCommits(repo_path, oids);
  if (!known) return known.error();
  int filed = 0;
  for (const Found& f : found) {
    if (known->count(f.commit.oid)) continue;
    nlohmann::json params{{"repo", repo_path},
                          {"branch", f.branch},
                          {"oid", f.commit.oid},
                          {"subject", detect::SummarizeMessage(f.commit.message).subject},
                          {"author", f.commit.author_email},
                          {"time", f.commit.commit_time},
                          {"impact", f.impact}};
    Result<nlohmann::json> done = RecordCommitMethod(journal, params, scan.now);
    if (!done) return done.error();
    ++filed;
  }
  // After the records, as the hooks run: post-commit, then post-rewrite.
  // All of them, in order, when any old one is held: a chain of amends
  // (A to A' to A'') moves A's row through A' to A''. Moving what is not
  // held does nothing, so a rewrite the hook filed too is no harm.
  std::vector<std::string> olds;
  for (const auto& [from, to] : scan.rewrites) olds.push_back(from);
  Result<std::set<std::string>> rewritten =
      journal.commits().KnownCommits(repo_path, olds);
  if (!rewritten) return rewritten.error();
  if (!rewritten->empty()) {
    Result<int> moved = journal.commits().RewriteCommits(repo_path, scan.rewrites);
    if (!moved) return moved.error();
  }
  walked->insert(read_tips.begin(), read_tips.end());
  return filed;
}

}  // namespace brag
