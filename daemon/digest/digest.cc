#include "digest/digest.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <utility>

#include "impact/note_text.h"
#include "journal/rows.h"

namespace brag::digest {
namespace {

// The text two notes of the same work share: lower case, single spaces, no
// final period.
std::string DedupeKey(std::string_view repo, std::string_view text) {
  std::string key(repo);
  key += '\n';
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && key.back() != '\n') key += ' ';
    space = false;
    key += impact::LowerAscii(c);
  }
  while (!key.empty() && (key.back() == '.' || key.back() == ' ')) key.pop_back();
  return key;
}

bool InWindow(int64_t t, const DigestWindow& w) { return t >= w.since && t < w.until; }

// A note as the digest shows it: its #tags are read as tags (TagsOf), so
// they leave the prose.
std::string Prose(std::string_view note) {
  if (note.find('#') == std::string_view::npos) return std::string(note);
  std::string prose;
  WithoutTags(note, prose);
  return prose;
}

// A note's tags: those given with it (newline-joined), then the #tags
// written in it that are not among them.
std::vector<std::string> TagsOf(std::string_view given, std::string_view note) {
  std::vector<std::string> tags = rows::SplitLines(given);
  for (std::string& tag : NoteTags(note)) {
    bool known = std::any_of(tags.begin(), tags.end(), [&](const std::string& t) {
      return impact::EqualsIgnoreCase(
          t.starts_with('#') ? std::string_view(t).substr(1) : t, tag);
    });
    if (!known) tags.push_back(std::move(tag));
  }
  return tags;
}

}  // namespace

DigestBuilder::DigestBuilder(const DigestWindow& window,
                             const std::vector<CategoryRule>& rules)
    : window_(window), rules_(rules) {}

void DigestBuilder::Reserve(size_t rows) {
  wins_.reserve(rows);
  paths_.reserve(rows);
  seen_.reserve(rows);
}

void DigestBuilder::Add(const DigestRow& row) {
  if (row.has_event) {
    AddEvent(row);
  } else {
    AddFreeNote(row);
  }
}

void DigestBuilder::AddEvent(const DigestRow& row) {
  if (!InWindow(row.commit_time, window_)) return;
  if (row.kind == "pr_merged") ++counts_.prs_merged;
  if (row.kind == "incident_closed") ++counts_.incidents_closed;
  NoteRepo(row.repo);
  if (row.note_id == 0) {
    if (row.prompt_id != 0 &&
        (row.prompt_state == "pending" || row.prompt_state == "snoozed")) {
      AddBackfill(row);
    }
    return;
  }
  if (!seen_.insert(row.note_id).second) return;
  Win& win = wins_.emplace_back();
  ++event_wins_;
  win.note_id = row.note_id;
  win.text = Prose(row.note_text);
  win.source = row.note_source;
  win.kind = row.kind;
  win.time = row.commit_time;
  win.repo = row.repo;
  win.repo_name = row.repo_name;
  win.commit = row.commit;
  win.event_id = row.event_id;
  win.pr = row.pr;
  win.forge = row.forge;
  win.title = row.title;
  win.branch = row.branch;
  win.diffstat = row.diffstat;
  if (row.kind == "incident_closed") {
    if (win.branch.empty()) win.branch = row.key;
    if (row.opened > 0 && row.commit_time >= row.opened) {
      win.incident_seconds = row.commit_time - row.opened;
    }
    win.incident_commits = row.commit_count;
  }
  win.tags = TagsOf(row.note_tags, row.note_text);
  paths_.emplace_back(row.paths);
}

void DigestBuilder::AddFreeNote(const DigestRow& row) {
  if (row.note_id == 0 || !InWindow(row.note_created, window_)) return;
  if (!seen_.insert(row.note_id).second) return;
  std::string repo(row.note_repo);
  NoteRepo(repo);
  std::string prose = Prose(row.note_text);
  if (Win* into = EventWinWithText(repo, prose)) {
    into->folded_notes.push_back(row.note_id);
    if (!row.note_commit.empty() && row.note_commit != into->commit) {
      into->folded_commits.emplace_back(row.note_commit);
    }
    return;
  }
  Win& win = wins_.emplace_back();
  win.note_id = row.note_id;
  win.text = std::move(prose);
  win.source = row.note_source;
  win.kind = "note";
  win.time = row.note_created;
  win.repo = repo;
  if (!repo.empty()) win.repo_name = row.repo_name;
  win.commit = row.note_commit;
  win.tags = TagsOf(row.note_tags, row.note_text);
  paths_.emplace_back();
}

void DigestBuilder::AddBackfill(const DigestRow& row) {
  PendingBackfill& b = unanswered_.emplace_back();
  b.shown.prompt_id = row.prompt_id;
  b.shown.state = row.prompt_state;
  b.shown.kind = row.kind;
  b.shown.time = row.commit_time;
  b.shown.repo_name = row.repo_name;
  b.shown.pr = row.pr;
  b.shown.title = row.title;
  b.shown.branch = row.branch;
  b.shown.commit = row.commit;
  b.repo = row.repo;
  b.forge = row.forge;
}

void DigestBuilder::NoteRepo(std::string_view repo) {
  // Runs of rows share their repo: the last one is tried first.
  if (repo.empty() || (!repos_.empty() && repos_.back() == repo)) return;
  if (repo_set_.insert(std::string(repo)).second) repos_.emplace_back(repo);
}

// The keys are made only once a free note needs them: a free note with no
// repo (most manual notes) never folds, since every event has a repo.
Win* DigestBuilder::EventWinWithText(const std::string& repo, std::string_view text) {
  if (repo.empty()) return nullptr;
  if (!event_by_text_made_) {
    for (size_t i = 0; i < event_wins_; ++i) {
      event_by_text_.emplace(DedupeKey(wins_[i].repo, wins_[i].text), i);
    }
    event_by_text_made_ = true;
  }
  auto it = event_by_text_.find(DedupeKey(repo, text));
  return it == event_by_text_.end() ? nullptr : &wins_[it->second];
}

Digest DigestBuilder::Finish(const RemoteUrls& remotes) {
  // Metrics, suggestions, category and invisible work, each win from one
  // tokenization of its note.
  Categorizer categorizer(rules_);
  std::vector<impact::Token> tokens;
  for (size_t i = 0; i < wins_.size(); ++i) {
    Win& win = wins_[i];
    impact::TokenizeNote(win.text, tokens);
    std::vector<std::string> paths = rows::SplitLines(paths_[i]);
    win.metrics = impact::ExtractMetrics(win.text, tokens);
    win.suggestions = impact::Sharpen(win.text, tokens, win.metrics.empty());
    win.category = categorizer.Categorize(win.text, tokens, win.tags, paths);
    win.invisible = categorizer.IsInvisibleWork(win.text, tokens, win.tags, paths);
  }
  // Links: each (repo, forge hint) parsed once.
  std::map<std::pair<std::string, std::string>, std::optional<ForgeRepo>> forge_repos;
  auto link = [&](const std::string& repo, const std::string& forge, int64_t pr,
                  std::string_view commit) {
    auto [it, added] = forge_repos.try_emplace({repo, forge});
    if (added) {
      auto url = remotes.find(repo);
      if (url != remotes.end()) it->second = ParseRemoteUrl(url->second, forge);
    }
    std::string out;
    AppendLink(out, it->second ? &*it->second : nullptr, pr, commit);
    return out;
  };
  Digest digest;
  digest.window = window_;
  digest.counts = counts_;
  // Back to time order across events and notes (note ids break ties): the
  // indexes are sorted, and each Win, costly to move, moves once.
  std::vector<size_t> order(wins_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Win& a = wins_[x];
    const Win& b = wins_[y];
    return a.time != b.time ? a.time < b.time : a.note_id < b.note_id;
  });
  for (size_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    Win first = std::move(wins_[start]);
    size_t at = start;
    for (size_t from = order[at]; from != start; at = from, from = order[at]) {
      wins_[at] = std::move(wins_[from]);
      order[at] = at;
    }
    wins_[at] = std::move(first);
    order[at] = at;
  }
  digest.wins = std::move(wins_);
  // The groups: the rules, then Uncategorised unless a rule has its id.
  for (const CategoryRule& rule : rules_) {
    digest.categories.push_back(
        {rule.category, rule.title.empty() ? rule.category : rule.title, {}});
  }
  if (std::none_of(rules_.begin(), rules_.end(), [](const CategoryRule& r) {
        return r.category == kUncategorised;
      })) {
    digest.categories.push_back(
        {std::string(kUncategorised), std::string(kUncategorisedTitle), {}});
  }
  for (size_t i = 0; i < digest.wins.size(); ++i) {
    Win& win = digest.wins[i];
    win.link = link(win.repo, win.forge, win.pr, win.commit);
    auto group =
        std::find_if(digest.categories.begin(), digest.categories.end(),
                     [&](const CategoryGroup& g) { return g.id == win.category; });
    group->wins.push_back(i);
  }
  std::erase_if(digest.categories,
                [](const CategoryGroup& g) { return g.wins.empty(); });
  std::stable_sort(unanswered_.begin(), unanswered_.end(),
                   [](const PendingBackfill& a, const PendingBackfill& b) {
                     return a.shown.time < b.shown.time;
                   });
  for (PendingBackfill& b : unanswered_) {
    b.shown.link = link(b.repo, b.forge, b.shown.pr, b.shown.commit);
    digest.unanswered.push_back(std::move(b.shown));
  }
  digest.counts.notes = static_cast<int>(digest.wins.size());
  digest.counts.unanswered = static_cast<int>(digest.unanswered.size());
  return digest;
}

std::string_view ShortOid(std::string_view oid) { return oid.substr(0, 7); }

}  // namespace brag::digest
