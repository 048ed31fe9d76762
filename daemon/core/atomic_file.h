// Writing a whole file so that readers see the old content or the new, never
// a part: write a temp file beside it, fsync, rename over.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "core/result.h"

namespace brag {

// Replaces `path` with `data` atomically. The temp file is created in the
// same folder and removed on failure. The file gets exactly `mode`, whatever
// the umask and whatever the file it replaces had: by default 0600, since
// what brag writes (digests, reviews, the spool) is the user's private
// record. Error code "io", message naming the file and the system's reason.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data,
                           mode_t mode = 0600);

}  // namespace brag
