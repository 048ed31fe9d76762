// What a Repo owns, shared by the files that implement it (repo.cc: opening
// and refs; history.cc: commits, walks and diffs). Internal to daemon/git/.
#pragma once

#include <filesystem>
#include <string>

#include "git/handles.h"
#include "git/repo.h"

namespace brag::git {

struct Repo::Handle {
  RepositoryPtr repo;
  std::filesystem::path common_dir;
  std::filesystem::path display_path;

  // How error messages name this repo.
  std::string where() const { return display_path.string(); }
};

}  // namespace brag::git
