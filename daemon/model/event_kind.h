// What kind of thing the daemon noticed (DESIGN §5). An enum inside brag;
// its text ("pr_merged", "incident_closed") only at the edges: the journal's
// rows, the wire's JSON, and what a user types (`brag log --kind`).
#pragma once

#include <optional>
#include <string_view>

namespace brag {

enum class EventKind {
  kPrMerged,        // a pull/merge request merged into a mainline
  kIncidentClosed,  // an incident branch merged or deleted
};

constexpr std::string_view ToString(EventKind kind) {
  switch (kind) {
    case EventKind::kPrMerged:
      return "pr_merged";
    case EventKind::kIncidentClosed:
      return "incident_closed";
  }
  return "pr_merged";  // not reached: every kind is named above
}

// The kind `text` names, as ToString writes it; none for any other text.
constexpr std::optional<EventKind> ParseEventKind(std::string_view text) {
  if (text == "pr_merged") return EventKind::kPrMerged;
  if (text == "incident_closed") return EventKind::kIncidentClosed;
  return std::nullopt;
}

}  // namespace brag
