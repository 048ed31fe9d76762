// The protocol methods that need only the journal (docs/protocol.md):
// pending, answer, snooze, dismiss, note, log, repos.list, digest. bragd's server
// dispatches them here, and `brag` calls the same code on the journal
// directly when the daemon is down, so both paths give identical results.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "core/result.h"
#include "journal/journal.h"

namespace brag {

// True for the methods CallJournalMethod handles.
bool IsJournalMethod(const std::string& method);

// Runs `method` with `params` against `journal`; returns the "result" object
// exactly as the daemon would send it, or an Error whose code is a protocol
// error code (bad_request, not_found, conflict, journal). `now` is unix
// seconds (used for relative dates, snoozes and new rows). `config` gives the
// digest its [[digest.category]] rules and [detect] remotes; null: built-in
// ones (bragd passes its config).
Result<nlohmann::json> CallJournalMethod(Journal& journal, const std::string& method,
                                         const nlohmann::json& params, int64_t now,
                                         const Config* config = nullptr);

}  // namespace brag
