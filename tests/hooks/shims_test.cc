#include "hooks/shims.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace brag::hooks {
namespace {

namespace fs = std::filesystem;

// hooks/ of the source tree (this file is tests/hooks/shims_test.cc).
fs::path SourceHooks() {
  return fs::path(__FILE__).parent_path().parent_path().parent_path() / "hooks";
}

TEST_CASE(
    "each embedded shim is hooks/NAME byte for byte, and that file is executable") {
  REQUIRE(Shims().size() == 4);
  for (const Shim& shim : Shims()) {
    fs::path file = SourceHooks() / std::string(shim.name);
    INFO(file.string());
    REQUIRE(fs::exists(file));
    CHECK(test::ReadFile(file) == shim.text);
    CHECK((fs::status(file).permissions() & fs::perms::owner_exec) != fs::perms::none);
  }
}

TEST_CASE("the shims are the four hooks brag needs, each a marked sh script") {
  const char* expected[] = {"post-commit", "post-merge", "post-rewrite",
                            "reference-transaction"};
  size_t i = 0;
  for (const Shim& shim : Shims()) {
    CHECK(shim.name == expected[i++]);
    CHECK(shim.text.starts_with("#!/bin/sh\n" + std::string(kShimMarker) + "\n"));
    CHECK(shim.text.find("brag hook " + std::string(shim.name) + " \"$@\"") !=
          std::string::npos);
    CHECK(IsShim(shim.text));
  }
}

TEST_CASE("a marker of any shim version makes a shim; anything else does not") {
  CHECK(IsShim("#!/bin/sh\n# brag-hook-shim v7\nexit 0\n"));
  CHECK(IsShim("#!/bin/sh\n# brag-hook-shim v1"));
  CHECK_FALSE(IsShim("#!/bin/sh\nexec npx husky run post-commit\n"));
  CHECK_FALSE(IsShim("#!/bin/sh\necho '# brag-hook-shim v1'\n"));
  CHECK_FALSE(IsShim(""));
}

}  // namespace
}  // namespace brag::hooks
