// The wire form of brag's records (docs/protocol.md, "Objects"). The same
// JSON is used for pushed prompts, listings and every `--json` output.
#pragma once

#include <nlohmann/json.hpp>

#include "model/records.h"

namespace brag {

nlohmann::json PromptJson(const Prompt& prompt);
nlohmann::json NoteJson(const Note& note);
nlohmann::json LogEntryJson(const LogEntry& entry);
nlohmann::json RepoJson(const RepoRecord& repo);
// Event fields shared by prompts and log entries, merged into `out`.
void AddEventFields(const Event& event, nlohmann::json* out);
// An incident_closed event's "incident" object: opened, closed, duration_s,
// commits, merged.
nlohmann::json IncidentJson(const Event& event);

}  // namespace brag
