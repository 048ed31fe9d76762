// brag: the command-line client of bragd (DESIGN §8). This executable stays
// small on purpose: git's hooks run it on every commit, so it serves those
// hooks itself (quickhook/, no libgit2 or SQLite to load) and hands every
// other command, arguments untouched, to the full client `brag-cli`, found
// beside it (the build tree) or in ../libexec/brag/ (an installed tree).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

#include "quickhook/quickhook.h"

int main(int argc, char** argv) {
  if (std::optional<int> code = brag::quickhook::RunFromMain(argc, argv)) return *code;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::cerr << "brag: error: cannot find where brag runs from (" << ec.message()
              << ")\n";
    return 1;
  }
  fs::path dir = self.parent_path();
  for (const fs::path& full :
       {dir / "brag-cli", dir.parent_path() / "libexec" / "brag" / "brag-cli"}) {
    execv(full.c_str(), argv);
    if (errno != ENOENT) {
      std::cerr << "brag: error: cannot run " << full.string() << " ("
                << std::strerror(errno) << ")\n";
      return 1;
    }
  }
  std::cerr << "brag: error: brag-cli is missing beside " << self.string()
            << " and in ../libexec/brag/ (reinstall brag)\n";
  return 1;
}
