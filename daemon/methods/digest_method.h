// The digest and the review draft (DESIGN §9) over the journal: the rules
// and forge links a digest needs from the config and the repos, the protocol's
// `digest` method, and the weekly files bragd writes on its schedule. The
// journal is read in one pass over the window (JournalHistory::ForEachDigestRow).
// The `digest` method itself is registered in digest_method.cc (registry.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "core/result.h"
#include "digest/digest.h"
#include "digest/render.h"
#include "digest/week.h"
#include "journal/journal.h"
#include "methods/params.h"

namespace brag {

// The most text a `digest` reply carries: a protocol line holds 64 KiB.
inline constexpr size_t kMaxDigestReplyBytes = 60 * 1024;

// The built-in category rules extended by the config's [[digest.category]]
// tables (digest::MergeRules). Error code "config".
Result<std::vector<digest::CategoryRule>> CategoryRulesFor(const Config& config);

// The digest of `window`: the journal's entries in it, categorised with the
// config's rules, PRs linked through each repo's remote (the first of
// [detect] remotes it has). `journal` may be null (no journal file yet): an
// empty digest.
Result<digest::Digest> LoadDigest(Journal* journal, const Config& config,
                                  const digest::DigestWindow& window);

// `digest` rendered as "markdown" (or "md"), "html", "json" or "review".
// Error code "bad_request" for another format.
Result<std::string> RenderDigest(const digest::Digest& digest, const std::string& format);
// The same, into `out` (which may write it out in chunks as it goes).
Status RenderDigest(const digest::Digest& digest, const std::string& format,
                    digest::RenderOutput& out);

// The window a request names: `week` ("2026-W48"), or `since`/`until` (dates
// as ParseDate reads them, or unix seconds); `since` alone runs to `now`,
// `until` alone covers the 7 days before it; nothing is the current week.
// Error code "bad_request" naming the parameter.
Result<digest::DigestWindow> DigestWindowFor(const ParamReader& params, int64_t now);
Result<digest::DigestWindow> DigestWindowFor(const nlohmann::json& params, int64_t now);

// Writes the digest of `week` into `dir` (created, 0700, if missing) as
// YYYY-Www.md, and YYYY-Www.html / .json when `formats` ("markdown" or "md",
// "html", "json") ask for them, each file replaced atomically. Returns the
// files written. For bragd's schedule.
Result<std::vector<std::filesystem::path>> WriteWeeklyDigest(
    Journal& journal, const Config& config, digest::IsoWeek week,
    const std::vector<std::string>& formats, const std::filesystem::path& dir);

}  // namespace brag
