#include "journal/rows.h"

#include <filesystem>

namespace brag::rows {

std::string PromptSelect() {
  return "SELECT " + std::string(kPromptOwnColumns) + ", r.path, r.name, " +
         std::string(kEventColumns) +
         " FROM prompts p JOIN events e ON e.id = p.event_id"
         " JOIN repos r ON r.id = e.repo_id ";
}

RepoRecord ReadRepo(sql::Row& row) {
  RepoRecord repo;
  repo.id = row.Int();
  repo.path = row.Text();
  repo.name = row.Text();
  repo.source = row.Text();
  repo.state = ParseRepoState(row.Text());
  repo.error = row.Text();
  repo.added = row.Int();
  return repo;
}

Event ReadEvent(sql::Row& row) {
  Event e;
  e.id = row.Int();
  // The journal stores only the kinds it was given (InsertEvent).
  e.kind = ParseEventKind(row.Text()).value_or(EventKind::kPrMerged);
  e.repo_id = row.Int();
  e.key = row.Text();
  e.commit = row.Text();
  e.forge = row.Text();
  e.pr = row.Int();
  e.title = row.Text();
  e.branch = row.Text();
  e.authors = SplitLines(row.Text());
  e.commit_time = row.Int();
  e.diffstat.files = static_cast<int>(row.Int());
  e.diffstat.insertions = static_cast<int>(row.Int());
  e.diffstat.deletions = static_cast<int>(row.Int());
  e.paths = SplitLines(row.Text());
  e.created = row.Int();
  e.opened = row.Int();
  e.commit_count = static_cast<int>(row.Int());
  e.merged = row.Int() != 0;
  return e;
}

Prompt ReadPromptOwn(sql::Row& row) {
  Prompt p;
  p.id = row.Int();
  // The journal stores only the states it writes itself.
  p.state = ParsePromptState(row.Text()).value_or(PromptState::kPending);
  p.created = row.Int();
  p.snoozed_until = row.Int();
  p.answered = row.Int();
  p.note_id = row.OptInt();
  return p;
}

Prompt ReadPrompt(sql::Row& row) {
  Prompt p = ReadPromptOwn(row);
  p.repo = row.Text();
  p.repo_name = row.Text();
  p.event = ReadEvent(row);
  return p;
}

Note ReadNote(sql::Row& row) {
  Note n;
  n.id = row.Int();
  n.text = row.Text();
  n.created = row.Int();
  n.source = row.Text();
  n.repo = row.Text();
  n.commit = row.Text();
  n.tags = SplitLines(row.Text());
  n.prompt_id = row.OptInt();
  n.event_id = row.OptInt();
  n.edited = row.Int();
  return n;
}

std::string RepoNameFromPath(const std::string& path) {
  std::filesystem::path p = std::filesystem::path(path).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  return p.filename().string();
}

std::string JoinLines(const std::vector<std::string>& items, size_t max_items) {
  // Empty items are dropped: they could not be told apart when split.
  std::string out;
  bool first = true;
  size_t kept = 0;
  for (const std::string& item : items) {
    if (item.empty()) continue;
    if (kept++ == max_items) break;
    if (!first) out += '\n';
    out += item;
    first = false;
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t end = text.find('\n');
    items.emplace_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return items;
}

}  // namespace brag::rows
