#include "model/prompt_state.h"

#include <doctest/doctest.h>

#include <string_view>

namespace brag {
namespace {

TEST_CASE(
    "each prompt state has the text the journal and the wire use, and reads back") {
  // The texts of docs/protocol.md and of the journal's prompts.state column.
  struct Row {
    PromptState state;
    std::string_view text;
  };
  for (Row row :
       {Row{PromptState::kPending, "pending"}, Row{PromptState::kAnswered, "answered"},
        Row{PromptState::kSnoozed, "snoozed"},
        Row{PromptState::kDismissed, "dismissed"}}) {
    CHECK(ToString(row.state) == row.text);
    CHECK(ParsePromptState(row.text) == row.state);
  }
}

TEST_CASE("any other text is no prompt state") {
  for (std::string_view text : {"", "Pending", "answer", "snoozed ", "ok"}) {
    CHECK_FALSE(ParsePromptState(text).has_value());
  }
}

}  // namespace
}  // namespace brag
