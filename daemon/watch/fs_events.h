// Which filesystems bragd can follow with inotify. On network, FUSE and
// VM-share filesystems a change made by another machine (or by the host)
// raises no event here, so bragd polls repos on them and `brag hooks
// install` adds the reference-transaction shim there (DESIGN §5).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace brag {

// The name of the filesystem with statfs(2) magic `f_type` when inotify is
// not reliable on it ("NFS", "FUSE", ...); nullopt for the others. Pure.
std::optional<std::string_view> FilesystemWithoutEvents(uint32_t f_type);

// FilesystemWithoutEvents of the filesystem `path` is on; nullopt also when
// statfs fails (whoever uses `path` next reports why).
std::optional<std::string_view> FilesystemWithoutEventsAt(
    const std::filesystem::path& path);

}  // namespace brag
