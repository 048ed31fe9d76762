#include "core/atomic_file.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace brag {
namespace {

namespace fs = std::filesystem;

// Sets the process umask for the life of the object.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("a file written atomically is private whatever the umask") {
  test::TempDir dir("atomic");
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}, mode_t{0277}}) {
    ScopedUmask umask(mask);
    fs::path file = dir / ("digest-" + std::to_string(mask) + ".md");
    REQUIRE(WriteFileAtomically(file, "# week\n").has_value());
    CHECK_MESSAGE(ModeOf(file) == 0600, "umask ", mask);
    CHECK(test::ReadFile(file) == "# week\n");
  }
}

TEST_CASE("replacing a file others could read leaves it private") {
  test::TempDir dir("atomic");
  ScopedUmask umask(022);
  fs::path file = dir / "review.md";
  test::WriteFile(file, "old\n");
  fs::permissions(file, fs::perms(0644));
  REQUIRE(WriteFileAtomically(file, "new\n").has_value());
  CHECK(ModeOf(file) == 0600);
  CHECK(test::ReadFile(file) == "new\n");
}

TEST_CASE("a file written atomically gets exactly the mode asked for") {
  test::TempDir dir("atomic");
  ScopedUmask umask(077);
  fs::path file = dir / "shared.txt";
  REQUIRE(WriteFileAtomically(file, "x", 0640).has_value());
  CHECK(ModeOf(file) == 0640);
}

}  // namespace
}  // namespace brag
