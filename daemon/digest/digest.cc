#include "digest/digest.h"

#include <algorithm>
#include <deque>
#include <map>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "digest/forge_links.h"
#include "digest/note_text.h"
#include "journal/rows.h"

namespace brag::digest {

// Items kept in blocks that never move, so that a span of one win's items
// stays valid while more are added; a win's items are never split across
// blocks. A block is 2 MiB (huge pages) of items.
template <typename T>
class BlockList {
 public:
  std::span<const T> Add(std::vector<T>&& items) {
    if (items.empty()) return {};
    if (blocks_.empty() || blocks_.back().size() + items.size() > blocks_.back().capacity()) {
      // A small block first: a week's digest never asks for huge pages.
      size_t block = blocks_.empty() ? kSmallBlock : kBlock;
      blocks_.emplace_back();
      blocks_.back().reserve(std::max(block, items.size()));
    }
    Block& block = blocks_.back();
    size_t at = block.size();
    for (T& item : items) block.push_back(std::move(item));
    return std::span<const T>(block.data() + at, items.size());
  }

 private:
  using Block = HugeVector<T>;
  static constexpr size_t kBlock = HugePageAllocator<T>::kHuge / sizeof(T);
  static constexpr size_t kSmallBlock = 1024;
  std::vector<Block> blocks_;
};

// What the wins of a Digest view: their strings copied into large blocks
// (one allocation per 2 MiB rather than a few per win, and no memory
// touched for nothing), the small repeated ones ("prompt", a repo's path)
// kept once, and their metrics and suggestions.
class DigestStore {
 public:
  // A copy of `text` that lives as long as the store.
  std::string_view Keep(std::string_view text) {
    if (text.empty()) return {};
    if (text.size() > free_) {
      // One 256 KiB block (a week's notes fit in it), then huge ones: more
      // small blocks would only add page faults.
      size_t size = std::max(blocks_.empty() ? kSmallBlock : kBlock, text.size());
      blocks_.emplace_back(HugePageAllocator<char>().allocate(size), BlockFree{size});
      next_ = blocks_.back().get();
      free_ = size;
    }
    std::copy(text.begin(), text.end(), next_);
    std::string_view kept(next_, text.size());
    next_ += text.size();
    free_ -= text.size();
    return kept;
  }

  // Keep, once per distinct text: for the few values many wins share.
  SharedText KeepOnce(std::string_view text) {
    auto it = shared_.find(text);
    if (it == shared_.end()) it = shared_.insert(Keep(text)).first;
    return SharedText(&*it);  // a set's elements stay where they are
  }

  // KeepOnce, trying `last` (what this field kept for the row before) first:
  // a run of rows mostly shares its repo, source and forge.
  SharedText KeepOnce(std::string_view text, SharedText& last) {
    if (text != last.view()) last = KeepOnce(text);
    return last;
  }

  // A win's tags and folded notes, kept as long as the store.
  const WinExtras* NewExtras(WinExtras extras) {
    return &extras_.emplace_back(std::move(extras));
  }

  // A repo's forge, kept as long as the store.
  const ForgeRepo* NewForgeRepo(ForgeRepo repo) {
    return &forge_repos_.emplace_back(std::move(repo));
  }

  // One pair of lists per thread that analysed wins.
  std::vector<BlockList<Metric>> metrics;
  std::vector<BlockList<Suggestion>> suggestions;
  // The wins of each category, category after category (CategoryGroup::wins).
  HugeVector<size_t> category_members;

 private:
  static constexpr size_t kBlock = HugePageAllocator<char>::kHuge;
  static constexpr size_t kSmallBlock = 256 * 1024;
  struct BlockFree {
    size_t size;
    void operator()(char* p) const { HugePageAllocator<char>().deallocate(p, size); }
  };
  std::vector<std::unique_ptr<char[], BlockFree>> blocks_;
  char* next_ = nullptr;
  size_t free_ = 0;
  std::unordered_set<std::string_view> shared_;
  std::deque<WinExtras> extras_;
  std::deque<ForgeRepo> forge_repos_;
};

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
    key += LowerAscii(c);
  }
  while (!key.empty() && (key.back() == '.' || key.back() == ' ')) key.pop_back();
  return key;
}

// Forge repos by (repo path, forge hint), parsed once per digest and kept
// in the store.
class ForgeLinks {
 public:
  ForgeLinks(const RemoteUrls& remotes, DigestStore& store) : remotes_(remotes), store_(store) {}

  // The forge repo of `repo` for a merge commit of `forge`, or null. Runs
  // of wins share their repo and forge: the last answer is tried first.
  const ForgeRepo* Lookup(std::string_view repo, std::string_view forge) {
    if (remotes_.empty()) return nullptr;
    if (last_ && repo == last_->repo && forge == last_->forge) return last_->found;
    last_ = Last{std::string(repo), std::string(forge), Find(repo, forge)};
    return last_->found;
  }

  // The link of PR `pr`, else of `commit`: "" off a known forge.
  std::string For(std::string_view repo, std::string_view forge, int64_t pr,
                  std::string_view commit) {
    std::string url;
    AppendLink(url, Lookup(repo, forge), pr, commit);
    return url;
  }

 private:
  const ForgeRepo* Find(std::string_view repo, std::string_view forge) {
    std::string key = std::string(repo) + '\n' + std::string(forge);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    const ForgeRepo* found = nullptr;
    if (auto url = remotes_.find(std::string(repo)); url != remotes_.end()) {
      if (std::optional<ForgeRepo> parsed = ParseRemoteUrl(url->second, forge)) {
        found = store_.NewForgeRepo(std::move(*parsed));
      }
    }
    return cache_.emplace(std::move(key), found).first->second;
  }

  const RemoteUrls& remotes_;
  DigestStore& store_;
  std::unordered_map<std::string, const ForgeRepo*> cache_;
  struct Last {
    std::string repo, forge;
    const ForgeRepo* found;
  };
  std::optional<Last> last_;
};

bool InWindow(int64_t t, const DigestWindow& w) { return t >= w.since && t < w.until; }

}  // namespace

class DigestBuilder::State {
 public:
  State(const DigestWindow& window, const std::vector<CategoryRule>& rules)
      : window_(window),
        rules_(rules),
        categorizer_(rules),
        store_(std::make_shared<DigestStore>()) {
    for (const CategoryRule& rule : rules_) {
      categories_.emplace(rule.category, store_->KeepOnce(rule.category));
    }
    categories_.emplace(kUncategorised, store_->KeepOnce(kUncategorised));
    // Lists 0 for this thread, 1 for the pipeline's worker.
    store_->metrics.resize(2);
    store_->suggestions.resize(2);
  }

  void Add(const DigestRow& row) {
    if (row.has_event) {
      AddEvent(row);
    } else {
      AddFreeNote(row);
    }
  }

  const std::vector<std::string>& repos() const { return repo_list_; }

  ~State() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(pipe_.mu);
      pipe_.closed = true;
      pipe_.published = pipe_.next;  // nothing more to analyse: the digest is dropped
    }
    pipe_.ready.notify_all();
    worker_.join();
  }

  // Room for `rows` wins; with many, the analysis starts beside the read.
  void Reserve(size_t rows) {
    wins_.reserve(rows);
    paths_.reserve(rows);
    event_wins_.reserve(rows);
    constexpr size_t kWinsForTwoThreads = 8192;
    if (rows >= kWinsForTwoThreads && std::thread::hardware_concurrency() > 1 &&
        !worker_.joinable() && wins_.empty()) {
      StartPipeline();
    }
  }

  Digest Finish(const RemoteUrls& remotes) {
    Digest digest;
    digest.window = window_;
    digest.counts = counts_;
    AnalyseAll();
    AttachFolded();
    SortByTime();
    // The groups: the rules, then Uncategorised unless a rule has its id. A
    // win's category is the text kept for its group, so the text's address
    // tells the group.
    struct Group {
      std::string_view id, title;
    };
    std::vector<Group> groups;
    for (const CategoryRule& rule : rules_) groups.push_back({rule.category, rule.title});
    if (std::none_of(groups.begin(), groups.end(),
                     [](const Group& g) { return g.id == kUncategorised; })) {
      groups.push_back({kUncategorised, kUncategorisedTitle});
    }
    std::vector<const char*> kept;
    for (const Group& g : groups) kept.push_back(categories_.at(g.id).view().data());
    auto rule_of = [&](const Win& win) {
      return static_cast<size_t>(std::find(kept.begin(), kept.end(), win.category.view().data()) -
                                 kept.begin());
    };
    // One pass links each win and counts the groups' wins; a second fills
    // the groups, in rule order, into one array the store keeps.
    ForgeLinks links(remotes, *store_);
    std::vector<size_t> starts(groups.size() + 2);
    for (Win& win : wins_) {
      win.forge_repo = links.Lookup(win.repo, win.forge);
      ++starts[rule_of(win) + 2];
    }
    for (size_t r = 2; r < starts.size(); ++r) starts[r] += starts[r - 1];
    HugeVector<size_t>& members = store_->category_members;
    members.resize(wins_.size());
    for (size_t i = 0; i < wins_.size(); ++i) members[starts[rule_of(wins_[i]) + 1]++] = i;
    for (size_t r = 0; r < groups.size(); ++r) {
      if (starts[r + 1] == starts[r]) continue;
      const Group& g = groups[r];
      digest.categories.push_back({std::string(g.id),
                                   std::string(g.title.empty() ? g.id : g.title),
                                   std::span<const size_t>(members).subspan(
                                       starts[r], starts[r + 1] - starts[r])});
    }
    for (PendingBackfill& b : unanswered_) {
      b.shown.link = store_->Keep(links.For(b.repo, b.forge, b.shown.pr, b.shown.commit));
    }
    // The events come in time order, so these do: sorted only if not.
    auto earlier = [](const PendingBackfill& a, const PendingBackfill& b) {
      return a.shown.time < b.shown.time;
    };
    if (!std::is_sorted(unanswered_.begin(), unanswered_.end(), earlier)) {
      std::stable_sort(unanswered_.begin(), unanswered_.end(), earlier);
    }
    digest.counts.notes = static_cast<int>(wins_.size());
    digest.counts.unanswered = static_cast<int>(unanswered_.size());
    digest.unanswered.reserve(unanswered_.size());
    for (const PendingBackfill& b : unanswered_) digest.unanswered.push_back(b.shown);
    digest.wins = std::move(wins_);
    digest.store = std::move(store_);
    return digest;
  }

 private:
  // A prompt to backfill, with what its link is made from.
  struct PendingBackfill {
    Backfill shown;
    SharedText repo;
    SharedText forge;
  };

  void AddEvent(const DigestRow& row) {
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
    if (!FirstSight(row.note_id)) return;
    BeforeAppend();
    event_wins_.push_back(wins_.size());
    Win& win = wins_.emplace_back();  // filled in place: a Win is large
    win.note_id = row.note_id;
    win.text = store_->Keep(Prose(row.note_text));
    win.source = store_->KeepOnce(row.note_source, last_.source);
    win.kind = store_->KeepOnce(row.kind, last_.kind);
    win.time = row.commit_time;
    win.repo = store_->KeepOnce(row.repo, last_.repo);
    win.repo_name = store_->KeepOnce(row.repo_name, last_.repo_name);
    win.commit = store_->Keep(row.commit);
    win.event_id = row.event_id;
    win.pr = row.pr;
    win.forge = store_->KeepOnce(row.forge, last_.forge);
    win.title = store_->Keep(row.title);
    win.branch = store_->Keep(row.branch);
    win.diffstat = row.diffstat;
    if (row.kind == "incident_closed") {
      if (win.branch.empty()) win.branch = store_->Keep(row.key);
      if (row.opened > 0 && row.commit_time >= row.opened)
        win.incident_seconds = row.commit_time - row.opened;
      win.incident_commits = row.commit_count;
    }
    SetTags(win, row.note_tags, row.note_text);
    paths_.push_back(store_->Keep(row.paths));
    AfterAppend();
  }

  void AddFreeNote(const DigestRow& row) {
    if (row.note_id == 0 || !InWindow(row.note_created, window_)) return;
    if (!FirstSight(row.note_id)) return;
    NoteRepo(row.note_repo);
    std::string_view prose = Prose(row.note_text);
    if (size_t into = EventWinWithText(row.note_repo, prose); into != kNoWin) {
      // Kept aside until the analysis, which may be reading that win, is done.
      WinExtras& folded = folded_[into];
      folded.folded_notes.push_back(row.note_id);
      if (!row.note_commit.empty() && row.note_commit != wins_[into].commit)
        folded.folded_commits.emplace_back(row.note_commit);
      return;
    }
    BeforeAppend();
    Win& win = wins_.emplace_back();
    win.note_id = row.note_id;
    win.text = store_->Keep(prose);
    win.source = store_->KeepOnce(row.note_source, last_.source);
    win.kind = store_->KeepOnce("note", last_.kind);
    win.time = row.note_created;
    win.repo = store_->KeepOnce(row.note_repo, last_.repo);
    if (!row.note_repo.empty()) win.repo_name = store_->KeepOnce(row.repo_name, last_.repo_name);
    win.commit = store_->Keep(row.note_commit);
    SetTags(win, row.note_tags, row.note_text);
    paths_.emplace_back();
    AfterAppend();
  }

  void AddBackfill(const DigestRow& row) {
    PendingBackfill& b = unanswered_.emplace_back();
    b.shown.prompt_id = row.prompt_id;
    b.shown.state = store_->KeepOnce(row.prompt_state);
    b.shown.kind = store_->KeepOnce(row.kind, last_.kind);
    b.shown.time = row.commit_time;
    b.shown.repo_name = store_->KeepOnce(row.repo_name, last_.repo_name);
    b.shown.pr = row.pr;
    b.shown.title = store_->Keep(row.title);
    b.shown.branch = store_->Keep(row.branch);
    b.shown.commit = store_->Keep(row.commit);
    b.repo = store_->KeepOnce(row.repo, last_.repo);
    b.forge = store_->KeepOnce(row.forge, last_.forge);
  }

  // Metrics, suggestions, category and the invisible-work flag of wins
  // [begin, end), each from one tokenization of its note: the costly part,
  // a few microseconds a note. Runs on two threads at once: it only reads
  // the rules, categories_ and the wins' note, tags and paths, and writes
  // their analysis fields and its own lists.
  void Analyse(size_t begin, size_t end, NoteClassifier& classifier,
               BlockList<Metric>& metric_list, BlockList<Suggestion>& suggestion_list) {
    for (size_t i = begin; i < end; ++i) {
      Win& win = wins_[i];
      std::vector<Token> tokens = TokenizeNote(win.text);
      std::vector<Metric> metrics = ExtractMetrics(win.text, tokens);
      bool no_metrics = metrics.empty();
      win.suggestions = suggestion_list.Add(Sharpen(win.text, tokens, no_metrics));
      win.metrics = metric_list.Add(std::move(metrics));
      NoteClassifier::Result found = classifier.Classify(win.text, tokens, win.tags(), paths_[i]);
      win.category = categories_.at(found.category);
      win.invisible = found.invisible;
    }
  }

  // The analysis runs beside the read: Add publishes wins in batches, and a
  // second thread analyses them while this one steps through the journal;
  // Finish then helps with what is left. Each win's result depends on its
  // note alone, so who analysed it changes nothing in the digest. Wins are
  // analysed in place, so the pipeline only runs while wins_ and paths_ stay
  // within the room Reserve made (it stops, and Finish does the rest, when a
  // journal grew between its count and its read).
  static constexpr size_t kBatch = 512;

  void StartPipeline() {
    worker_ = std::thread([this] { AnalyseBatches(1); });
  }

  // Wins [0, wins_.size()) may be analysed now.
  void Publish() {
    {
      std::lock_guard<std::mutex> lock(pipe_.mu);
      pipe_.published = wins_.size();
    }
    pipe_.ready.notify_one();
  }

  // Claims and analyses batches until the pipeline is closed and drained;
  // `lists` picks this thread's metric and suggestion lists.
  void AnalyseBatches(size_t lists) {
    NoteClassifier classifier(categorizer_);
    for (;;) {
      size_t begin, end;
      {
        std::unique_lock<std::mutex> lock(pipe_.mu);
        pipe_.ready.wait(lock, [&] { return pipe_.next < pipe_.published || pipe_.closed; });
        if (pipe_.next >= pipe_.published) return;  // closed, nothing left
        begin = pipe_.next;
        end = std::min(pipe_.published, begin + kBatch);
        pipe_.next = end;
      }
      Analyse(begin, end, classifier, store_->metrics[lists], store_->suggestions[lists]);
    }
  }

  // Ends the pipeline at what was published: the worker finishes its batch
  // and the batches left, this thread helping, and stops.
  void DrainPipeline() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(pipe_.mu);
      pipe_.closed = true;
    }
    pipe_.ready.notify_all();
    AnalyseBatches(0);
    worker_.join();
  }

  // Keeps the wins in place while the worker may read them: called before a
  // win is added.
  void BeforeAppend() {
    if (!worker_.joinable()) return;
    if (wins_.size() == wins_.capacity() || paths_.size() == paths_.capacity()) {
      DrainPipeline();  // the rest is analysed by Finish
    }
  }

  void AfterAppend() {
    if (worker_.joinable() && wins_.size() - pipe_published_hint_ >= kBatch) {
      pipe_published_hint_ = wins_.size();
      Publish();
    }
  }

  // Analyses every win no batch has: all of them when no worker ran, those
  // after the pipeline's end when it stopped early, none when it ran to the
  // end (pipe_.next is where the batches stopped).
  void AnalyseAll() {
    if (worker_.joinable()) {
      Publish();
      DrainPipeline();
    }
    NoteClassifier classifier(categorizer_);
    Analyse(pipe_.next, wins_.size(), classifier, store_->metrics[0], store_->suggestions[0]);
  }

  // False when the note was seen already. Note ids are row ids, dense from
  // 1: a bit each, with a set for any beyond a sane bound.
  bool FirstSight(int64_t note_id) {
    constexpr int64_t kMaxBit = int64_t{1} << 28;
    if (note_id < 0 || note_id >= kMaxBit) return seen_far_.insert(note_id).second;
    auto bit = static_cast<size_t>(note_id);
    if (bit >= seen_.size()) seen_.resize(std::max(bit + 1, seen_.size() * 2));
    if (seen_[bit]) return false;
    seen_[bit] = true;
    return true;
  }

  void NoteRepo(std::string_view repo) {
    // last_.repo is a repo noted already.
    if (repo.empty() || repo == last_.repo || repo_set_.contains(repo)) return;
    repo_list_.emplace_back(repo);
    repo_set_.insert(store_->KeepOnce(repo).view());
  }

  // The first event win in the same repo with the same text, if any. The
  // keys are made only once a free note needs them: a free note with no repo
  // (most manual notes) never folds, since every event has a repo.
  static constexpr size_t kNoWin = static_cast<size_t>(-1);
  size_t EventWinWithText(std::string_view repo, std::string_view text) {
    if (repo.empty()) return kNoWin;
    if (!by_text_) {
      by_text_.emplace();
      for (size_t i : event_wins_) {
        by_text_->emplace(DedupeKey(wins_[i].repo, wins_[i].text), i);
      }
    }
    auto it = by_text_->find(DedupeKey(repo, text));
    return it == by_text_->end() ? kNoWin : it->second;
  }

  // A note as the digest shows it: its #tags are read as tags (SetTags), so
  // they leave the prose. A view of `note` or of prose_, valid until the
  // next call.
  std::string_view Prose(std::string_view note) {
    if (note.find('#') == std::string_view::npos) return note;
    WithoutTags(note, prose_);
    return prose_;
  }

  // The win's tags, when the note has any: those given with it, then the
  // #tags written in it that are not among them.
  void SetTags(Win& win, std::string_view tags, std::string_view note) {
    std::vector<std::string> written;
    if (note.find('#') != std::string_view::npos) written = NoteTags(note);
    if (tags.empty() && written.empty()) return;
    std::vector<std::string> all = rows::SplitLines(tags);
    for (std::string& tag : written) {
      bool given = std::any_of(all.begin(), all.end(), [&](const std::string& t) {
        return EqualsIgnoreCase(t.starts_with('#') ? std::string_view(t).substr(1) : t, tag);
      });
      if (!given) all.push_back(std::move(tag));
    }
    win.extras = store_->NewExtras(WinExtras{std::move(all), {}, {}});
  }

  // The notes folded into wins, now that no thread reads the wins.
  void AttachFolded() {
    for (auto& [i, folded] : folded_) {
      Win& win = wins_[i];
      if (win.extras) folded.tags = win.extras->tags;
      win.extras = store_->NewExtras(std::move(folded));
    }
    folded_.clear();
  }

  // Wins back to time order across events and notes (note ids break ties).
  // The events' wins come first and the free notes' after, each in time
  // order but for ties, so most often the order is a merge of two runs:
  // done from the back, the notes' wins set aside first, so that each event
  // win moves once, in order, by as many note wins as come after it.
  void SortByTime() {
    auto before = [](const Win& x, const Win& y) {
      return x.time != y.time ? x.time < y.time : x.note_id < y.note_id;
    };
    auto split = wins_.begin() + static_cast<ptrdiff_t>(event_wins_.size());
    if (!std::is_sorted(wins_.begin(), split, before) ||
        !std::is_sorted(split, wins_.end(), before)) {
      std::sort(wins_.begin(), wins_.end(), before);
      return;
    }
    if (split == wins_.begin() || split == wins_.end() || !before(*split, *(split - 1))) return;
    HugeVector<Win> notes(std::make_move_iterator(split), std::make_move_iterator(wins_.end()));
    size_t events = event_wins_.size(), left = notes.size(), at = wins_.size();
    while (left > 0) {
      if (events > 0 && before(notes[left - 1], wins_[events - 1])) {
        wins_[--at] = std::move(wins_[--events]);
      } else {
        wins_[--at] = std::move(notes[--left]);
      }
    }
  }

  DigestWindow window_;
  const std::vector<CategoryRule>& rules_;
  Categorizer categorizer_;
  std::shared_ptr<DigestStore> store_;
  DigestCounts counts_;
  WinList wins_;
  HugeVector<std::string_view> paths_;  // per win, newline-joined
  std::unordered_map<std::string_view, SharedText> categories_;  // id -> kept
  HugeVector<size_t> event_wins_;  // the wins of events, by index
  std::vector<PendingBackfill> unanswered_;
  std::vector<bool> seen_;
  std::unordered_set<int64_t> seen_far_;
  // What KeepOnce kept last, per field.
  struct {
    SharedText source, kind, repo, repo_name, forge;
  } last_;
  std::optional<std::unordered_map<std::string, size_t>> by_text_;
  // Notes folded into event wins (by index), attached once analysed.
  std::map<size_t, WinExtras> folded_;
  // The analysis pipeline (see StartPipeline).
  struct {
    std::mutex mu;
    std::condition_variable ready;
    size_t published = 0;  // wins [0, published) may be analysed
    size_t next = 0;       // the first win no thread has claimed
    bool closed = false;   // nothing more will be published
  } pipe_;
  size_t pipe_published_hint_ = 0;  // pipe_.published as this thread last set it
  std::thread worker_;
  std::vector<std::string> repo_list_;
  std::unordered_set<std::string_view> repo_set_;
  std::string prose_;  // Prose's buffer
};

DigestBuilder::DigestBuilder(const DigestWindow& window, const std::vector<CategoryRule>& rules)
    : state_(std::make_unique<State>(window, rules)) {}

DigestBuilder::~DigestBuilder() = default;

void DigestBuilder::Reserve(size_t rows) { state_->Reserve(rows); }

void DigestBuilder::Add(const DigestRow& row) { state_->Add(row); }

const std::vector<std::string>& DigestBuilder::repos() const { return state_->repos(); }

Digest DigestBuilder::Finish(const RemoteUrls& remotes) { return state_->Finish(remotes); }

std::string Win::link() const {
  std::string url;
  AppendLink(url);
  return url;
}

std::string_view ShortOid(std::string_view oid) { return oid.substr(0, 7); }

}  // namespace brag::digest
