#include "model/repo_state.h"

#include <doctest/doctest.h>

#include <string_view>

namespace brag {
namespace {

TEST_CASE("each repo state has the text the journal and the wire use, and reads back") {
  // The texts of docs/protocol.md (`status`, `repos.list`) and of the
  // journal's repos.state column.
  struct Row {
    RepoState state;
    std::string_view text;
  };
  for (Row row : {Row{RepoState::kUnknown, "unknown"}, Row{RepoState::kOk, "ok"},
                  Row{RepoState::kError, "error"}}) {
    CHECK(ToString(row.state) == row.text);
    CHECK(ParseRepoState(row.text) == row.state);
  }
}

TEST_CASE("any other text reads as a state not known yet") {
  for (std::string_view text : {"", "OK", "errors", "ok ", "pending"}) {
    CHECK(ParseRepoState(text) == RepoState::kUnknown);
  }
}

}  // namespace
}  // namespace brag
