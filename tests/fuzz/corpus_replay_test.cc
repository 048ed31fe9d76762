// Every file of fuzz/corpus/<target>/ (seeds, and crashers found and fixed)
// through the entry function its libFuzzer target calls: the same code,
// here under g++ and the normal build, so a fixed crash stays fixed.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/targets.h"

namespace brag::fuzz {
namespace {

namespace fs = std::filesystem;

using Entry = void (*)(const uint8_t*, size_t);

// Replays the corpus of `target`; returns how many files it had.
size_t Replay(const std::string& target, Entry entry) {
  fs::path dir = fs::path(BRAG_FUZZ_CORPUS) / target;
  REQUIRE_MESSAGE(fs::is_directory(dir), dir.string());
  size_t files = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(e.path().string());
    entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++files;
  }
  return files;
}

TEST_CASE("each fuzz corpus is non-empty and replays without a crash") {
  const std::vector<std::pair<std::string, Entry>> targets = {
      {"fuzz_protocol_lines", ProtocolLines}, {"fuzz_config_loader", ConfigLoader},
      {"fuzz_metrics", Metrics},              {"fuzz_commit_messages", CommitMessages},
      {"fuzz_git_files", GitFiles},
  };
  for (const auto& [target, entry] : targets) {
    CAPTURE(target);
    CHECK(Replay(target, entry) > 0);
  }
}

TEST_CASE("the entry functions take empty input") {
  for (Entry entry : {ProtocolLines, ConfigLoader, Metrics, CommitMessages, GitFiles}) {
    entry(nullptr, 0);
  }
}

}  // namespace
}  // namespace brag::fuzz
