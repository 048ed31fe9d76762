// Test main: every test process gets its own HOME (with a .gitconfig naming
// the test user) and XDG folders, so nothing on the developer's machine leaks
// in and nothing of theirs is touched.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

#include "support/temp_dir.h"

int main(int argc, char** argv) {
  brag::test::TempDir home("home");
  brag::test::IsolateEnvironment(home.path());
  doctest::Context context(argc, argv);
  return context.run();
}
