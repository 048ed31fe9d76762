// A repo's history as a compact graph (Repo::ReadHistory): every commit
// reachable from one tip, read once, its parents given as indices, so that a
// pass over all merges reads nothing twice. Plain data: no libgit2 here.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace brag::git {

struct History {
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Commit {
    std::array<unsigned char, 20> oid{};
    uint32_t parents_begin = 0;  // into History::parents
    uint32_t parent_count = 0;
    uint32_t author = kNone;    // into emails (after the repo's .mailmap)
    uint32_t message = kNone;   // into messages; kNone when not kept
    int64_t time = 0;           // author time, unix seconds
    int64_t commit_time = 0;    // committer time
    bool first_parent = false;  // on the tip's first-parent chain
    // Named as a parent but absent (a shallow clone's boundary): no data.
    bool missing = false;
  };

  std::vector<Commit> commits;  // [0] is the tip
  std::vector<uint32_t> parents;
  std::vector<std::string> emails;  // each author email once
  std::vector<std::string> messages;

  std::span<const uint32_t> ParentsOf(uint32_t commit) const {
    const Commit& c = commits[commit];
    return {parents.data() + c.parents_begin, c.parent_count};
  }
  // The commit's message, or "" when it was not kept.
  const std::string& MessageOf(uint32_t commit) const {
    static const std::string kEmpty;
    uint32_t m = commits[commit].message;
    return m == kNone ? kEmpty : messages[m];
  }
  // The commit's full hex oid.
  std::string Hex(uint32_t commit) const;
};

// Called now and then while a history is read, with the commits read so far.
using HistoryProgress = std::function<void(size_t commits_read)>;

}  // namespace brag::git
