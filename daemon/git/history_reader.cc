// Repo::ReadHistory: one pass over the object database, each commit read once
// and parsed from its raw text. git_commit_lookup would parse every header
// into signatures and keep each commit in libgit2's object cache; a scan of a
// long history needs only parents, author and (for some) the message.
#include <git2/sys/odb_backend.h>

#include <cstring>
#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "git/handles.h"
#include "git/repo.h"
#include "git/repo_handle.h"

namespace brag::git {
namespace {

using OdbPtr = GitPtr<git_odb, git_odb_free>;
using OdbObjectPtr = GitPtr<git_odb_object, git_odb_object_free>;

constexpr size_t kProgressEvery = 4096;

struct BackendFree {
  void operator()(git_odb_backend* backend) const {
    if (backend->free) backend->free(backend);
  }
};
using BackendPtr = std::unique_ptr<git_odb_backend, BackendFree>;

// The bytes of one object, owned: from a backend or from the odb.
class ObjectBytes {
 public:
  ObjectBytes() = default;
  ObjectBytes(const ObjectBytes&) = delete;
  ObjectBytes& operator=(const ObjectBytes&) = delete;
  ~ObjectBytes() { Reset(); }

  void Reset() {
    if (data_) git_odb_backend_data_free(backend_, data_);
    data_ = nullptr;
    object_.reset();
  }
  void TakeBackendData(git_odb_backend* backend, void* data, size_t size,
                       git_object_t type) {
    Reset();
    backend_ = backend;
    data_ = data;
    view_ = {static_cast<const char*>(data), size};
    type_ = type;
  }
  void TakeObject(OdbObjectPtr object) {
    Reset();
    object_ = std::move(object);
    view_ = {static_cast<const char*>(git_odb_object_data(object_.get())),
             git_odb_object_size(object_.get())};
    type_ = git_odb_object_type(object_.get());
  }
  std::string_view view() const { return view_; }
  git_object_t type() const { return type_; }

 private:
  git_odb_backend* backend_ = nullptr;
  void* data_ = nullptr;
  OdbObjectPtr object_;
  std::string_view view_;
  git_object_t type_ = GIT_OBJECT_INVALID;
};

// Where a history's commits are read from. The repo's own pack and loose
// backends are asked directly: git_odb_read would re-hash every object
// (strict verification) and keep it in the odb's cache, which costs a scan
// of a long history more than inflating the objects does. What they do not
// hold (objects of alternates) is read through the odb as usual.
class ObjectSource {
 public:
  ObjectSource(git_odb* odb, const std::filesystem::path& objects_dir) : odb_(odb) {
    git_odb_backend* raw = nullptr;
    if (git_odb_backend_pack(&raw, objects_dir.c_str()) == 0) {
      backends_.emplace_back(raw);
    } else {
      git_error_clear();
    }
    raw = nullptr;
    if (git_odb_backend_loose(&raw, objects_dir.c_str(), -1, 0, 0, 0) == 0) {
      backends_.emplace_back(raw);
    } else {
      git_error_clear();
    }
  }

  // True when found; false when no source has the object.
  Result<bool> Read(const git_oid& oid, ObjectBytes* out, std::string_view where) {
    for (const BackendPtr& backend : backends_) {
      void* data = nullptr;
      size_t size = 0;
      git_object_t type = GIT_OBJECT_INVALID;
      if (backend->read &&
          backend->read(&data, &size, &type, backend.get(), &oid) == 0) {
        out->TakeBackendData(backend.get(), data, size, type);
        return true;
      }
      git_error_clear();
    }
    OdbObjectPtr object;
    int rc = Create(object, git_odb_read, odb_, &oid);
    if (rc == GIT_ENOTFOUND) {
      git_error_clear();
      return false;
    }
    if (rc < 0) return Fail(where, "cannot read commit " + Hex(&oid));
    out->TakeObject(std::move(object));
    return true;
  }

 private:
  git_odb* odb_;
  std::vector<BackendPtr> backends_;
};

// Commit oid -> index into History::commits: open addressing over the
// commits' own oids, so that a lookup is a probe or two and an insert
// allocates nothing (a node-based map was a tenth of a scan's time).
class OidIndex {
 public:
  explicit OidIndex(std::vector<History::Commit>* commits) : commits_(commits) {
    slots_.assign(1 << 12, kEmpty);
  }

  // The commit's index, appending a new commit for an unknown oid.
  uint32_t Find(const git_oid& oid) {
    if ((commits_->size() + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t at = Hash(oid.id) & mask;; at = (at + 1) & mask) {
      uint32_t index = slots_[at];
      if (index == kEmpty) {
        index = static_cast<uint32_t>(commits_->size());
        commits_->emplace_back();
        std::memcpy(commits_->back().oid.data(), oid.id, GIT_OID_RAWSZ);
        slots_[at] = index;
        return index;
      }
      if (std::memcmp((*commits_)[index].oid.data(), oid.id, GIT_OID_RAWSZ) == 0) {
        return index;
      }
    }
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  // An oid is a hash already: its first bytes spread well.
  static size_t Hash(const unsigned char* id) {
    size_t h;
    std::memcpy(&h, id, sizeof h);
    return h;
  }

  void Grow() {
    std::vector<uint32_t> old = std::move(slots_);
    slots_.assign(old.size() * 2, kEmpty);
    size_t mask = slots_.size() - 1;
    for (uint32_t index : old) {
      if (index == kEmpty) continue;
      size_t at = Hash((*commits_)[index].oid.data()) & mask;
      while (slots_[at] != kEmpty) at = (at + 1) & mask;
      slots_[at] = index;
    }
  }

  std::vector<History::Commit>* commits_;
  std::vector<uint32_t> slots_;
};

// What a pass needs of one raw commit; views into the object's data.
struct RawCommit {
  std::vector<git_oid> parents;
  std::string_view author_name;
  std::string_view author_email;
  int64_t author_time = 0;
  int64_t commit_time = 0;
  std::string_view message;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

int64_t ParseTime(std::string_view s) {
  s = Trim(s);
  int64_t t = 0;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    t = t * 10 + (c - '0');
  }
  return t;
}

// "Name <email> 1700000000 +0000", split as libgit2 splits a signature: at
// the last '<' and the last '>'.
void ParseSignature(std::string_view s, std::string_view* name, std::string_view* email,
                    int64_t* time) {
  size_t open = s.rfind('<');
  size_t close = s.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos ||
      close < open) {
    *name = Trim(s);
    *email = {};
    return;
  }
  *name = Trim(s.substr(0, open));
  *email = Trim(s.substr(open + 1, close - open - 1));
  *time = ParseTime(s.substr(close + 1));
}

bool ParseCommit(std::string_view raw, RawCommit* out) {
  out->parents.clear();
  while (!raw.empty()) {
    size_t end = raw.find('\n');
    std::string_view line = raw.substr(0, end);
    raw.remove_prefix(end == std::string_view::npos ? raw.size() : end + 1);
    if (line.empty()) break;  // the headers end
    if (line.starts_with("parent ")) {
      git_oid oid;
      if (line.size() < 7 + GIT_OID_HEXSZ ||
          git_oid_fromstrn(&oid, line.data() + 7, GIT_OID_HEXSZ) < 0) {
        return false;
      }
      out->parents.push_back(oid);
    } else if (line.starts_with("author ")) {
      ParseSignature(line.substr(7), &out->author_name, &out->author_email,
                     &out->author_time);
    } else if (line.starts_with("committer ")) {
      std::string_view name, email;
      ParseSignature(line.substr(10), &name, &email, &out->commit_time);
    }
    // Other headers (tree, encoding, gpgsig and its continuation lines) are
    // of no use to a history pass.
  }
  // As git_commit_message: the raw message without leading newlines.
  while (!raw.empty() && raw.front() == '\n') raw.remove_prefix(1);
  out->message = raw;
  return true;
}

bool NamesCoAuthor(std::string_view message) {
  constexpr std::string_view kKey = "co-authored-by";
  for (size_t at = message.find('-'); at != std::string_view::npos;
       at = message.find('-', at + 1)) {
    if (at < 2 || message.size() - (at - 2) < kKey.size()) continue;
    std::string_view word = message.substr(at - 2, kKey.size());
    bool same = true;
    for (size_t i = 0; i < kKey.size() && same; ++i) {
      char c = word[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == kKey[i];
    }
    if (same) return true;
  }
  return false;
}

// Reads the history of one tip into a History. Single use.
class HistoryReader {
 public:
  HistoryReader(git_repository* repo, ObjectSource* objects, std::string where)
      : objects_(objects), where_(std::move(where)) {
    // Without a readable .mailmap, authors are taken as written.
    if (Create(mailmap_, git_mailmap_from_repository, repo) < 0) git_error_clear();
    history_.commits.reserve(1 << 14);
    history_.parents.reserve(1 << 14);
  }

  Result<History> Read(const git_oid& tip, const HistoryProgress& progress) {
    uint32_t root = IndexOf(tip);
    history_.commits[root].first_parent = true;
    std::vector<uint32_t> stack{root};
    std::vector<uint32_t> added;
    size_t read = 0;
    while (!stack.empty()) {
      uint32_t next = stack.back();
      stack.pop_back();
      added.clear();
      if (Status s = ReadOne(next, &added); !s) return s.error();
      // The first parent on top: the chain is read first, so each chain
      // commit is known as one before it is read.
      stack.insert(stack.end(), added.rbegin(), added.rend());
      if (++read % kProgressEvery == 0 && progress) progress(read);
    }
    if (Status s = KeepLateChainMessages(); !s) return s.error();
    return std::move(history_);
  }

 private:
  uint32_t IndexOf(const git_oid& oid) { return index_.Find(oid); }

  // Reads a commit into `bytes_`: false when the repo lacks it.
  Result<bool> Load(uint32_t index) {
    git_oid oid;
    std::memcpy(oid.id, history_.commits[index].oid.data(), GIT_OID_RAWSZ);
    Result<bool> found = objects_->Read(oid, &bytes_, where_);
    if (!found || !*found) return found;
    if (bytes_.type() != GIT_OBJECT_COMMIT) {
      return MakeError("git", where_ + ": " + Hex(&oid) + " is not a commit");
    }
    return true;
  }

  Status ReadOne(uint32_t index, std::vector<uint32_t>* added) {
    Result<bool> found = Load(index);
    if (!found) return found.error();
    if (!*found) {
      history_.commits[index].missing = true;
      return {};
    }
    if (!ParseCommit(bytes_.view(), &raw_)) {
      return MakeError("git", where_ + ": cannot parse commit " + history_.Hex(index));
    }
    auto begin = static_cast<uint32_t>(history_.parents.size());
    for (const git_oid& parent : raw_.parents) {
      size_t before = history_.commits.size();
      uint32_t p = IndexOf(parent);
      history_.parents.push_back(p);
      if (history_.commits.size() > before) added->push_back(p);
    }
    History::Commit& commit = history_.commits[index];
    commit.parents_begin = begin;
    commit.parent_count = static_cast<uint32_t>(raw_.parents.size());
    commit.author = Intern(raw_.author_name, raw_.author_email);
    commit.time = raw_.author_time;
    commit.commit_time = raw_.commit_time;
    if (commit.first_parent || NamesCoAuthor(raw_.message)) {
      commit.message = Keep(raw_.message);
    }
    if (commit.first_parent && commit.parent_count > 0) {
      uint32_t first = history_.parents[begin];
      bool fresh = !added->empty() && added->front() == first;
      if (!fresh) late_.push_back(first);
      history_.commits[first].first_parent = true;
    }
    return {};
  }

  uint32_t Keep(std::string_view message) {
    history_.messages.emplace_back(message);
    return static_cast<uint32_t>(history_.messages.size() - 1);
  }

  // A commit reached through a second parent before it showed to be on the
  // chain (a merge of an older mainline commit) was read without its
  // message: read it again, which happens for a handful of commits at most.
  Status KeepLateChainMessages() {
    for (uint32_t index : late_) {
      History::Commit& commit = history_.commits[index];
      if (commit.missing || commit.message != History::kNone) continue;
      Result<bool> found = Load(index);
      if (!found) return found.error();
      if (*found && ParseCommit(bytes_.view(), &raw_)) {
        commit.message = Keep(raw_.message);
      }
    }
    return {};
  }

  // The index of the (mailmapped) email of a raw author, resolved once per
  // distinct name and email.
  uint32_t Intern(std::string_view name, std::string_view email) {
    key_.assign(name);
    key_.push_back('\n');
    key_.append(email);
    auto found = authors_.find(key_);
    if (found != authors_.end()) return found->second;
    std::string mapped(email);
    const char* real_name = nullptr;
    const char* real_email = nullptr;
    std::string plain_name(name);
    if (git_mailmap_resolve(&real_name, &real_email, mailmap_.get(), plain_name.c_str(),
                            mapped.c_str()) == 0 &&
        real_email) {
      mapped = real_email;
    } else {
      git_error_clear();
    }
    auto [at, inserted] =
        emails_.try_emplace(mapped, static_cast<uint32_t>(history_.emails.size()));
    if (inserted) history_.emails.push_back(mapped);
    authors_.emplace(key_, at->second);
    return at->second;
  }

  ObjectSource* objects_;
  std::string where_;
  MailmapPtr mailmap_;
  ObjectBytes bytes_;
  History history_;
  OidIndex index_{&history_.commits};
  std::unordered_map<std::string, uint32_t> authors_;  // "name\nemail" -> email
  std::unordered_map<std::string, uint32_t> emails_;   // email -> index
  std::vector<uint32_t> late_;
  RawCommit raw_;
  std::string key_;
};

}  // namespace

std::string History::Hex(uint32_t commit) const {
  git_oid oid;
  std::memcpy(oid.id, commits[commit].oid.data(), GIT_OID_RAWSZ);
  return git::Hex(&oid);
}

Result<History> Repo::ReadHistory(const std::string& tip,
                                  const HistoryProgress& progress) {
  git_oid oid;
  if (tip.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, tip.c_str()) < 0) {
    git_error_clear();
    return MakeError("git", h_->where() + ": not a commit id: '" + tip + "'");
  }
  OdbPtr odb;
  if (Create(odb, git_repository_odb, h_->repo.get()) < 0) {
    return Fail(h_->where(), "cannot open the object database");
  }
  ObjectSource objects(odb.get(), h_->common_dir / "objects");
  return HistoryReader(h_->repo.get(), &objects, h_->where()).Read(oid, progress);
}

}  // namespace brag::git
