#include "model/event_kind.h"

#include <doctest/doctest.h>

#include <string_view>

namespace brag {
namespace {

TEST_CASE("each event kind has the text the journal and the wire use, and reads back") {
  // The texts of docs/protocol.md and of the journal's events.kind column.
  struct Row {
    EventKind kind;
    std::string_view text;
  };
  for (Row row : {Row{EventKind::kPrMerged, "pr_merged"},
                  Row{EventKind::kIncidentClosed, "incident_closed"}}) {
    CHECK(ToString(row.kind) == row.text);
    CHECK(ParseEventKind(row.text) == row.kind);
  }
}

TEST_CASE("any other text is no event kind") {
  for (std::string_view text :
       {"", "note", "PR_MERGED", "pr_merged ", "incident", "pr"}) {
    CHECK_FALSE(ParseEventKind(text).has_value());
  }
}

}  // namespace
}  // namespace brag
