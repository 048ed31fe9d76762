// Finds git repositories under the `[scan] roots` (DESIGN §4): work trees
// (a `.git` folder or file) and bare repos, at most `depth` folders down.
// Does not descend into a repository once found, nor into hidden folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace brag {

std::vector<std::filesystem::path> DiscoverRepos(
    const std::vector<std::string>& roots, int depth);

}  // namespace brag
