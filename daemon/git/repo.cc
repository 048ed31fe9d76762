// Opening a repository, its paths, its refs and the global config.
#include "git/repo.h"

#include <mutex>
#include <system_error>

#include "git/handles.h"
#include "git/repo_handle.h"

namespace brag::git {
namespace fs = std::filesystem;

void EnsureInit() {
  static std::once_flag once;
  // Never shut down: handles may live until exit, and init is cheap to hold.
  std::call_once(once, [] { git_libgit2_init(); });
}

namespace {

// libgit2 hands folders back with a trailing slash; brag compares paths as
// strings (journal rows, watch keys), so they are normalised once here.
fs::path DirPath(const char* dir) {
  std::string s = dir ? dir : "";
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  std::error_code ec;
  fs::path abs = fs::absolute(s, ec);
  return ec ? fs::path(s) : abs.lexically_normal();
}

// A linked worktree is known by its main work tree, so that every worktree of
// one repo is the same watched repo; a bare main repo is known by its dir.
fs::path DisplayPathOf(git_repository* repo, const fs::path& common_dir) {
  if (git_repository_is_bare(repo)) return DirPath(git_repository_path(repo));
  if (git_repository_is_worktree(repo)) {
    return common_dir.filename() == ".git" ? common_dir.parent_path() : common_dir;
  }
  return DirPath(git_repository_workdir(repo));
}

bool IsBranchRef(std::string_view name) {
  return name.starts_with("refs/heads/") || name.starts_with("refs/remotes/");
}

// A ref's commit, or nullopt when it names something else (a tree, a blob):
// such a ref is no branch brag can follow, but no corruption either.
Result<std::optional<std::string>> PeelToCommit(git_reference* ref,
                                                std::string_view where) {
  ObjectPtr commit;
  int rc = Create(commit, git_reference_peel, ref, GIT_OBJECT_COMMIT);
  if (rc == GIT_EPEEL || rc == GIT_EINVALIDSPEC) {
    git_error_clear();
    return std::optional<std::string>();
  }
  if (rc < 0) {
    return Fail(where, std::string("cannot read ") + git_reference_name(ref));
  }
  return std::optional<std::string>(Hex(git_object_id(commit.get())));
}

}  // namespace

Repo::Repo(std::unique_ptr<Handle> h) : h_(std::move(h)) {}
Repo::Repo(Repo&&) noexcept = default;
Repo& Repo::operator=(Repo&&) noexcept = default;
Repo::~Repo() = default;

Result<Repo> Repo::Open(const fs::path& path) {
  EnsureInit();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return MakeError("not_found", path.string() + ": no such file or directory");
  }
  auto h = std::make_unique<Handle>();
  // NO_SEARCH: a folder inside some other repo must not open that repo.
  int rc = Create(h->repo, git_repository_open_ext, path.c_str(),
                  GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    // libgit2 cannot tell "no repo here" from "may not look": say which.
    for (const fs::path& dir : {path, path / ".git"}) {
      std::error_code denied;
      fs::directory_iterator probe(dir, denied);
      if (denied == std::errc::permission_denied) {
        return MakeError("git", dir.string() + ": permission denied");
      }
    }
    return MakeError("not_found", path.string() + ": not a git repository");
  }
  if (rc < 0) return Fail(path.string(), "cannot open the repository");
  h->common_dir = DirPath(git_repository_commondir(h->repo.get()));
  h->display_path = DisplayPathOf(h->repo.get(), h->common_dir);
  return Repo(std::move(h));
}

fs::path Repo::CommonDir() const { return h_->common_dir; }

fs::path Repo::DisplayPath() const { return h_->display_path; }

Result<std::map<std::string, std::string>> Repo::BranchRefs(const std::string& glob) {
  ReferenceIteratorPtr iter;
  int rc = glob.empty()
               ? Create(iter, git_reference_iterator_new, h_->repo.get())
               : Create(iter, git_reference_iterator_glob_new, h_->repo.get(),
                        glob.c_str());
  if (rc < 0) return Fail(h_->where(), "cannot list refs");
  std::map<std::string, std::string> refs;
  for (;;) {
    ReferencePtr ref;
    int rc = Create(ref, git_reference_next, iter.get());
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) return Fail(h_->where(), "cannot list refs");
    std::string name = git_reference_name(ref.get());
    // Symbolic refs (origin/HEAD) alias a branch that is listed anyway.
    if (!IsBranchRef(name) || git_reference_type(ref.get()) == GIT_REFERENCE_SYMBOLIC) {
      continue;
    }
    Result<std::optional<std::string>> tip = PeelToCommit(ref.get(), h_->where());
    if (!tip) return tip.error();
    if (*tip) refs.emplace(std::move(name), std::move(**tip));
  }
  return refs;
}

Result<std::optional<std::string>> Repo::RefTip(const std::string& refname) {
  ReferencePtr ref;
  int rc = Create(ref, git_reference_lookup, h_->repo.get(), refname.c_str());
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
    git_error_clear();
    return std::optional<std::string>();
  }
  if (rc < 0) return Fail(h_->where(), "cannot read " + refname);
  return PeelToCommit(ref.get(), h_->where());
}

Result<std::string> Repo::ResolveCommit(const std::string& rev) {
  ObjectPtr object;
  if (Create(object, git_revparse_single, h_->repo.get(), rev.c_str()) < 0) {
    git_error_clear();
    return MakeError("not_found", "no commit \"" + rev + "\" in " + h_->where());
  }
  ObjectPtr commit;
  if (Create(commit, git_object_peel, object.get(), GIT_OBJECT_COMMIT) < 0) {
    git_error_clear();
    return MakeError("not_found", "\"" + rev + "\" names no commit in " + h_->where());
  }
  return Hex(git_object_id(commit.get()));
}

std::optional<std::string> GlobalUserEmail() {
  EnsureInit();
  ConfigPtr config;
  if (Create(config, git_config_open_default) < 0) {
    git_error_clear();
    return std::nullopt;
  }
  Buf email;
  if (git_config_get_string_buf(email.get(), config.get(), "user.email") < 0) {
    git_error_clear();
    return std::nullopt;
  }
  std::string value = email.str();
  size_t first = value.find_first_not_of(" \t");
  if (first == std::string::npos) return std::nullopt;
  return value.substr(first, value.find_last_not_of(" \t") - first + 1);
}

}  // namespace brag::git
