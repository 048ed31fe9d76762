#include "digest/digest.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>

#include "digest/forge_links.h"
#include "digest/note_text.h"

namespace brag::digest {
namespace {

// The text two notes of the same work share: lower case, single spaces, no
// final period.
std::string DedupeKey(const std::string& repo, std::string_view text) {
  std::string key = repo;
  key += '\n';
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && key.back() != '\n') key += ' ';
    space = false;
    key += LowerAscii(c);
  }
  while (!key.empty() && (key.back() == '.' || key.back() == ' ')) key.pop_back();
  return key;
}

// Forge repos by (repo path, forge hint), parsed once per digest.
class ForgeLinks {
 public:
  explicit ForgeLinks(const RemoteUrls& remotes) : remotes_(remotes) {}

  std::string For(const std::string& repo, const std::string& forge, int64_t pr,
                  const std::string& commit) {
    const std::optional<ForgeRepo>& found = Lookup(repo, forge);
    if (!found) return "";
    if (pr > 0) return PullRequestUrl(*found, pr);
    if (!commit.empty()) return CommitUrl(*found, commit);
    return "";
  }

 private:
  const std::optional<ForgeRepo>& Lookup(const std::string& repo,
                                         const std::string& forge) {
    std::string key = repo + '\n' + forge;
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    std::optional<ForgeRepo> found;
    if (auto url = remotes_.find(repo); url != remotes_.end()) {
      found = ParseRemoteUrl(url->second, forge);
    }
    return cache_.emplace(std::move(key), std::move(found)).first->second;
  }

  const RemoteUrls& remotes_;
  std::unordered_map<std::string, std::optional<ForgeRepo>> cache_;
};

bool InWindow(int64_t t, const DigestWindow& w) { return t >= w.since && t < w.until; }

Win EventWin(const LogEntry& entry, const Note& note) {
  const Event& e = *entry.event;
  Win win;
  win.note_id = note.id;
  win.text = note.text;
  win.source = note.source;
  win.kind = e.kind;
  win.time = e.commit_time;
  win.repo = entry.repo;
  win.repo_name = entry.repo_name;
  win.commit = e.commit;
  win.event_id = e.id;
  win.pr = e.pr;
  win.forge = e.forge;
  win.title = e.title;
  win.branch = e.branch;
  win.diffstat = e.diffstat;
  if (e.kind == "incident_closed") {
    if (win.branch.empty()) win.branch = e.key;
    if (e.opened > 0 && e.commit_time >= e.opened)
      win.incident_seconds = e.commit_time - e.opened;
    win.incident_commits = e.commit_count;
  }
  win.tags = note.tags;
  return win;
}

Win NoteWin(const LogEntry& entry, const Note& note) {
  Win win;
  win.note_id = note.id;
  win.text = note.text;
  win.source = note.source;
  win.kind = "note";
  win.time = note.created;
  win.repo = note.repo;
  win.repo_name = note.repo.empty() ? "" : entry.repo_name;
  win.commit = note.commit;
  win.tags = note.tags;
  return win;
}

Backfill BackfillOf(const LogEntry& entry, ForgeLinks& links) {
  const Event& e = *entry.event;
  Backfill b;
  b.prompt_id = entry.prompt->id;
  b.state = entry.prompt->state;
  b.kind = e.kind;
  b.time = e.commit_time;
  b.repo_name = entry.repo_name;
  b.pr = e.pr;
  b.title = e.title;
  b.branch = e.branch;
  b.commit = e.commit;
  b.link = links.For(entry.repo, e.forge, e.pr, e.commit);
  return b;
}

// Metrics, suggestions, category and the invisible-work flag: the costly
// part, a few microseconds per note.
void Analyse(Win* win, const Categorizer& categorizer, const std::vector<std::string>& paths) {
  win->metrics = ExtractMetrics(win->text);
  win->suggestions = Sharpen(win->text, win->metrics);
  win->category = categorizer.Categorize(win->text, win->tags, paths);
  win->invisible = IsInvisibleWork(win->text, win->tags, paths);
}

}  // namespace

std::string ShortOid(const std::string& oid) { return oid.substr(0, 7); }

Digest BuildDigest(const std::vector<LogEntry>& entries, const DigestWindow& window,
                   const std::vector<CategoryRule>& rules, const RemoteUrls& remotes) {
  Digest digest;
  digest.window = window;
  ForgeLinks links(remotes);
  Categorizer categorizer(rules);
  std::vector<const LogEntry*> sorted;
  sorted.reserve(entries.size());
  for (const LogEntry& e : entries) {
    int64_t t = e.event ? e.event->commit_time : e.note ? e.note->created : e.time;
    if (InWindow(t, window)) sorted.push_back(&e);
  }
  // Events first, so that free notes fold into them; then oldest first.
  std::stable_sort(sorted.begin(), sorted.end(), [](const LogEntry* a, const LogEntry* b) {
    if (a->event.has_value() != b->event.has_value()) return a->event.has_value();
    return a->time < b->time;
  });

  std::unordered_map<int64_t, size_t> by_note;     // note id -> win
  std::unordered_map<std::string, size_t> by_text;  // repo + text -> event win
  std::vector<const std::vector<std::string>*> paths;  // per win
  static const std::vector<std::string> kNoPaths;
  for (const LogEntry* entry : sorted) {
    if (entry->event) {
      const Event& e = *entry->event;
      if (e.kind == "pr_merged") ++digest.counts.prs_merged;
      if (e.kind == "incident_closed") ++digest.counts.incidents_closed;
      if (!entry->note) {
        if (entry->prompt &&
            (entry->prompt->state == "pending" || entry->prompt->state == "snoozed")) {
          digest.unanswered.push_back(BackfillOf(*entry, links));
        }
        continue;
      }
      if (by_note.contains(entry->note->id)) continue;
      by_note.emplace(entry->note->id, digest.wins.size());
      by_text.emplace(DedupeKey(entry->repo, entry->note->text), digest.wins.size());
      digest.wins.push_back(EventWin(*entry, *entry->note));
      paths.push_back(&e.paths);
      continue;
    }
    if (!entry->note || by_note.contains(entry->note->id)) continue;
    const Note& note = *entry->note;
    auto same = by_text.find(DedupeKey(note.repo, note.text));
    if (same != by_text.end()) {
      Win& into = digest.wins[same->second];
      into.folded_notes.push_back(note.id);
      if (!note.commit.empty() && note.commit != into.commit)
        into.folded_commits.push_back(note.commit);
      by_note.emplace(note.id, same->second);
      continue;
    }
    by_note.emplace(note.id, digest.wins.size());
    digest.wins.push_back(NoteWin(*entry, note));
    paths.push_back(&kNoPaths);
  }

  // Back to time order across events and notes, keeping each win's paths.
  std::vector<size_t> order(digest.wins.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Win& x = digest.wins[a];
    const Win& y = digest.wins[b];
    return x.time != y.time ? x.time < y.time : x.note_id < y.note_id;
  });
  std::vector<Win> wins;
  wins.reserve(order.size());
  for (size_t i : order) {
    Win& win = digest.wins[i];
    Analyse(&win, categorizer, *paths[i]);
    win.link = links.For(win.repo, win.forge, win.pr, win.commit);
    wins.push_back(std::move(win));
  }
  digest.wins = std::move(wins);
  digest.counts.notes = static_cast<int>(digest.wins.size());
  digest.counts.unanswered = static_cast<int>(digest.unanswered.size());
  std::stable_sort(digest.unanswered.begin(), digest.unanswered.end(),
                   [](const Backfill& a, const Backfill& b) { return a.time < b.time; });

  for (const CategoryRule& rule : rules) {
    CategoryGroup group{rule.category, rule.title.empty() ? rule.category : rule.title, {}};
    for (size_t i = 0; i < digest.wins.size(); ++i) {
      if (digest.wins[i].category == rule.category) group.wins.push_back(i);
    }
    if (!group.wins.empty()) digest.categories.push_back(std::move(group));
  }
  return digest;
}

}  // namespace brag::digest
