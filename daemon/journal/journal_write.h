// Journal::Write, for the journal's own .cc files: every write transaction
// of every part (journal_repos.cc, journal_prompts.cc, journal_commits.cc)
// goes through it, so that an acknowledged write is in the file at the
// journal's path (journal.h, Follow).
#pragma once

#include "journal/journal.h"
#include "journal/sqlite.h"

namespace brag {

template <typename Body>
auto Journal::Write(Body&& body) -> decltype(body()) {
  if (Status s = Follow(); !s) return s.error();
  auto result = sql::InTransaction(*db_, body);
  if (!result || StillAtPath()) return result;
  // The file was deleted or replaced while this transaction ran. Deleted:
  // Follow writes the open journal back, this write included. Replaced: the
  // write went to the old file only, so it is made again in the new one.
  std::error_code ec;
  bool deleted = !std::filesystem::exists(path_, ec);
  if (Status s = Follow(); !s) return s.error();
  if (deleted) return result;
  return sql::InTransaction(*db_, body);
}

}  // namespace brag
