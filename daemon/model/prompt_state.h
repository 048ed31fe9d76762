// Where a prompt stands (DESIGN §5). An enum inside brag; its text
// ("pending", "answered", "snoozed", "dismissed") only in the journal's rows
// and on the wire.
#pragma once

#include <optional>
#include <string_view>

namespace brag {

enum class PromptState {
  kPending,    // waiting for the user
  kAnswered,   // has its note
  kSnoozed,    // pending again once snoozed_until has passed
  kDismissed,  // the user said it needs no note
};

constexpr std::string_view ToString(PromptState state) {
  switch (state) {
    case PromptState::kPending:
      return "pending";
    case PromptState::kAnswered:
      return "answered";
    case PromptState::kSnoozed:
      return "snoozed";
    case PromptState::kDismissed:
      return "dismissed";
  }
  return "pending";  // not reached: every state is named above
}

// The state `text` names, as ToString writes it; none for any other text.
constexpr std::optional<PromptState> ParsePromptState(std::string_view text) {
  for (PromptState s : {PromptState::kPending, PromptState::kAnswered,
                        PromptState::kSnoozed, PromptState::kDismissed}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace brag
