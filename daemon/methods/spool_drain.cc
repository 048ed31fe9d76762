#include "methods/spool_drain.h"

#include <string>

#include "methods/commit_methods.h"

namespace brag {

Result<spool::DrainReport> DrainHookSpool(Journal& journal,
                                          const std::filesystem::path& journal_path,
                                          int64_t now) {
  auto apply = [&](const std::string& method, const nlohmann::json& params,
                   std::string* why) {
    Result<nlohmann::json> done = MakeError("bad_request", "not a hook's method: " + method);
    if (method == "commit.record") done = RecordCommitMethod(journal, params, now);
    if (method == "commit.rewrite") done = RewriteCommitsMethod(journal, params, now);
    if (done) return spool::Applied::kDone;
    *why = done.error().message;
    return done.error().code == "bad_request" ? spool::Applied::kRejected
                                              : spool::Applied::kRetry;
  };
  return spool::Drain(spool::SpoolPath(journal_path), spool::RejectedPath(journal_path),
                      apply);
}

}  // namespace brag
