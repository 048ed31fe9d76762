// How a watched repository stands (DESIGN §4, `brag status`). An enum inside
// brag; its text ("ok", "error", "unknown") only in the journal's rows and on
// the wire.
#pragma once

#include <string_view>

namespace brag {

enum class RepoState {
  kUnknown,  // not scanned yet
  kOk,       // its last scan read it
  kError,    // its last scan failed; RepoRecord::error says why
};

constexpr std::string_view ToString(RepoState state) {
  switch (state) {
    case RepoState::kOk:
      return "ok";
    case RepoState::kError:
      return "error";
    case RepoState::kUnknown:
      break;
  }
  return "unknown";
}

// The state `text` names, as ToString writes it; kUnknown for any other text.
constexpr RepoState ParseRepoState(std::string_view text) {
  if (text == "ok") return RepoState::kOk;
  if (text == "error") return RepoState::kError;
  return RepoState::kUnknown;
}

}  // namespace brag
