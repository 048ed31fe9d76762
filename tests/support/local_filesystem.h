// For the cases about where the reference-transaction hook is needed: they
// assume that TMPDIR, where their repos are made, has filesystem events.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "watch/fs_events.h"

namespace brag::test {

// Stops the case, saying why, when `dir` is on a filesystem without events.
inline void RequireLocalFilesystem(const std::filesystem::path& dir) {
  std::optional<std::string_view> name = FilesystemWithoutEventsAt(dir);
  REQUIRE_MESSAGE(!name, "TMPDIR is on " << std::string(name.value_or(""))
                                         << ": these cases need a local filesystem");
}

}  // namespace brag::test
