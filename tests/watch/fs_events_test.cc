#include "watch/fs_events.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string_view>

#include "support/temp_dir.h"

namespace brag {
namespace {

TEST_CASE("network, FUSE and VM-share filesystems are named by their statfs magic") {
  struct Case {
    uint32_t magic;
    std::string_view name;
  };
  for (Case c :
       {Case{0x6969, "NFS"}, Case{0x517B, "SMB"}, Case{0xFF534D42, "CIFS"},
        Case{0xFE534D42, "SMB2"}, Case{0x65735546, "FUSE"}, Case{0x01021997, "9p"},
        Case{0x00C36400, "Ceph"}, Case{0x5346414F, "AFS"}, Case{0x73757245, "Coda"},
        Case{0x564C, "NCP"}}) {
    CAPTURE(c.name);
    CHECK(FilesystemWithoutEvents(c.magic) == c.name);
  }
}

TEST_CASE("local filesystems have events: ext4, tmpfs, btrfs, xfs, overlayfs") {
  for (uint32_t magic : {0xEF53u, 0x01021994u, 0x9123683Eu, 0x58465342u, 0x794C7630u}) {
    CAPTURE(magic);
    CHECK_FALSE(FilesystemWithoutEvents(magic).has_value());
  }
}

TEST_CASE("a path statfs cannot read is taken to have events") {
  test::TempDir t("fs-events");
  CHECK_FALSE(FilesystemWithoutEventsAt(t / "missing" / "deeper").has_value());
}

}  // namespace
}  // namespace brag
