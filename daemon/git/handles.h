// RAII ownership of libgit2 handles for the Repo facade: one stateless deleter
// per handle type, and the conversion of libgit2's return codes into Error.
// Internal to daemon/git/; nothing else frees a libgit2 handle.
#pragma once

#include <git2.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace brag::git {

template <typename T, void (*Free)(T*)>
struct GitFree {
  void operator()(T* handle) const { Free(handle); }
};
template <typename T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitFree<T, Free>>;

using RepositoryPtr = GitPtr<git_repository, git_repository_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using DiffPtr = GitPtr<git_diff, git_diff_free>;
using DiffStatsPtr = GitPtr<git_diff_stats, git_diff_stats_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using ReferenceIteratorPtr =
    GitPtr<git_reference_iterator, git_reference_iterator_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using ConfigPtr = GitPtr<git_config, git_config_free>;
using MailmapPtr = GitPtr<git_mailmap, git_mailmap_free>;
using SignaturePtr = GitPtr<git_signature, git_signature_free>;

// Runs a libgit2 constructor `fn(&raw, args...)` and gives the handle it made
// (if any) to `out`, so no path between the call and its owner can leak it.
// Returns libgit2's code.
template <typename T, void (*Free)(T*), typename Fn, typename... Args>
int Create(GitPtr<T, Free>& out, Fn fn, Args&&... args) {
  T* raw = nullptr;
  int rc = fn(&raw, std::forward<Args>(args)...);
  out.reset(raw);
  return rc;
}

// A git_buf that is disposed of when it goes.
class Buf {
 public:
  Buf() = default;
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  ~Buf() { git_buf_dispose(&buf_); }
  git_buf* get() { return &buf_; }
  std::string str() const { return buf_.ptr ? std::string(buf_.ptr, buf_.size) : ""; }

 private:
  git_buf buf_ = GIT_BUF_INIT;
};

// A git_message_trailer_array that is freed when it goes; its keys and values
// point into storage the array owns.
class TrailerArray {
 public:
  TrailerArray() = default;
  TrailerArray(const TrailerArray&) = delete;
  TrailerArray& operator=(const TrailerArray&) = delete;
  ~TrailerArray() { git_message_trailer_array_free(&array_); }
  git_message_trailer_array* get() { return &array_; }

 private:
  git_message_trailer_array array_ = {nullptr, 0, nullptr};
};

inline std::string Hex(const git_oid* oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, oid);
  return buf;
}

// libgit2's last error as "<where>: <what>: <libgit2 message>", code "git".
inline Error Fail(std::string_view where, std::string_view what) {
  const git_error* e = git_error_last();
  std::string why = (e && e->message) ? e->message : "unknown libgit2 error";
  return MakeError("git", std::string(where) + ": " + std::string(what) + ": " + why);
}

}  // namespace brag::git
