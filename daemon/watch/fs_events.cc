#include "watch/fs_events.h"

#include <sys/vfs.h>

#include <array>

namespace brag {
namespace {

struct EventlessFilesystem {
  uint32_t magic;  // statfs(2) f_type, as in <linux/magic.h>
  std::string_view name;
};

// Changes made by other clients (or by the host of a VM share) reach this
// kernel without an inotify event.
constexpr std::array<EventlessFilesystem, 10> kWithoutEvents{{
    {0x6969, "NFS"},
    {0x517B, "SMB"},
    {0xFF534D42, "CIFS"},
    {0xFE534D42, "SMB2"},
    {0x65735546, "FUSE"},  // sshfs and friends
    {0x01021997, "9p"},    // WSL and VM shares
    {0x00C36400, "Ceph"},
    {0x5346414F, "AFS"},
    {0x73757245, "Coda"},
    {0x564C, "NCP"},
}};

}  // namespace

std::optional<std::string_view> FilesystemWithoutEvents(uint32_t f_type) {
  for (const EventlessFilesystem& fs : kWithoutEvents) {
    if (fs.magic == f_type) return fs.name;
  }
  return std::nullopt;
}

std::optional<std::string_view> FilesystemWithoutEventsAt(
    const std::filesystem::path& path) {
  struct statfs info;
  if (statfs(path.c_str(), &info) != 0) return std::nullopt;
  // The magic numbers are 32 bits; f_type is a signed word of any width.
  return FilesystemWithoutEvents(static_cast<uint32_t>(info.f_type));
}

}  // namespace brag
