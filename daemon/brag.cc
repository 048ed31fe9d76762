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
#include <string>
#include <string_view>

#include "quickhook/quickhook.h"

namespace {

// `brag digest` and `brag review` may hold a digest of years of notes: tens
// of MB, touched once. With 4 KiB pages, first touches are most of what such
// a run costs on a machine where a page fault is slow (a VM: ~20 us each), so
// those two run with glibc's malloc on transparent huge pages (glibc >= 2.35;
// an older glibc ignores the tunable). Other commands keep the default.
void HugePagesForLargeCommands(int argc, char** argv) {
  bool large = false;
  for (int i = 1; i < argc && !large; ++i) {
    std::string_view arg = argv[i];
    large = arg == "digest" || arg == "review";
  }
  if (!large) return;
  constexpr std::string_view kTunable = "glibc.malloc.hugetlb=1";
  const char* old = std::getenv("GLIBC_TUNABLES");
  if (old != nullptr && std::string_view(old).find("glibc.malloc.hugetlb") != std::string_view::npos)
    return;  // the user's choice stands
  std::string value = old != nullptr && *old != '\0' ? std::string(old) + ":" : std::string();
  value += kTunable;
  setenv("GLIBC_TUNABLES", value.c_str(), 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (std::optional<int> code = brag::quickhook::RunFromMain(argc, argv)) return *code;
  HugePagesForLargeCommands(argc, argv);
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::cerr << "brag: error: cannot find where brag runs from: " << ec.message() << "\n";
    return 1;
  }
  fs::path dir = self.parent_path();
  for (const fs::path& full :
       {dir / "brag-cli", dir.parent_path() / "libexec" / "brag" / "brag-cli"}) {
    execv(full.c_str(), argv);
    if (errno != ENOENT) {
      std::cerr << "brag: error: cannot run " << full.string() << ": " << std::strerror(errno)
                << "\n";
      return 1;
    }
  }
  std::cerr << "brag: error: brag-cli is missing (looked beside " << self.string()
            << " and in ../libexec/brag/): reinstall brag\n";
  return 1;
}
