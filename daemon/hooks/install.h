// Installing brag's shims (shims.h) in a repository's hooks folder, keeping
// whatever hook was there: it is renamed NAME.brag-orig (a symlink stays a
// symlink; mode, owner and times go with the rename) and the shim runs it.
// Uninstalling renames it back, so the folder is as it was, byte for byte.
// The hooks folder is created when missing and left in place by Uninstall.
// The reference-transaction shim only stands in for filesystem events, so it
// is installed where bragd cannot rely on them (RefHookNeed), or on request.
// Nothing here holds state: every call looks at the files afresh.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hooks/hooks_dir.h"

namespace brag::hooks {

// What one hook of a repo is now.
struct HookState {
  enum class Kind {
    kNotInstalled,  // no hook file at all
    kInstalled,     // brag's shim, with no original to run
    kChaining,      // brag's shim, running NAME.brag-orig first
    kForeign,       // somebody else's hook (a file, a symlink, ...)
  };
  std::string name;            // "post-commit"
  std::filesystem::path path;  // <hooks dir>/post-commit
  Kind kind = Kind::kNotInstalled;
  // NAME.brag-orig exists (for kNotInstalled and kForeign: a leftover).
  bool has_original = false;
  // For a shim: another version's text (`brag hooks install` updates it).
  bool outdated = false;
  // False when bragd does without this hook in this repo (RefHookNeed).
  bool needed = true;
};

// "not_installed", "installed", "chaining", "foreign" (the --json words).
std::string_view KindName(HookState::Kind kind);

// What Install or Uninstall did to one hook.
struct HookChange {
  enum class Kind {
    kInstalled,  // shim written where there was no hook
    kChained,    // shim written; the hook that was there (or a leftover
                 // NAME.brag-orig) is now run by it
    kUpdated,    // an older shim replaced by this version's
    kUnchanged,  // Install: this shim already; Uninstall: no shim to remove
    kRemoved,    // shim deleted, nothing to restore
    kRestored,   // NAME.brag-orig renamed back to NAME
    kLeftAlone,  // Uninstall: NAME is somebody else's hook
    kRefused,    // Install: NAME is somebody else's and NAME.brag-orig exists
    kSkipped,    // Install: not needed in this repo; `detail` says why
    kFailed,     // a file operation failed; `detail` says which
  };
  std::string name;
  Kind kind = Kind::kUnchanged;
  std::string detail;  // why, for kRefused, kFailed and kSkipped
};

// What decides whether a repo gets the reference-transaction shim.
struct ShimChoice {
  bool all_hooks = false;   // every shim, wherever the repo is (--all-hooks)
  bool watch_poll = false;  // bragd polls every repo ([detect] watch = "poll")
};

// Whether bragd needs the reference-transaction shim in a repo: where it
// polls the repo (its git dir or hooks folder is on a filesystem without
// reliable events, see watch/fs_events.h, or the config says "poll"), a ref
// moved by `git fetch` or `update-ref` is seen only through the shim's nudge.
struct RefHookNeed {
  bool needed = false;
  std::string reason;  // "the git dir is on NFS, ...", for people
};
RefHookNeed NeedOfRefHook(const HookSite& site, const ShimChoice& choice);

struct InstallReport {
  HookSite site;
  RefHookNeed ref_hook;
  std::vector<HookChange> hooks;  // in Shims() order
  // No hook was refused or failed.
  bool ok() const;
};

struct StatusReport {
  HookSite site;
  RefHookNeed ref_hook;
  std::vector<HookState> hooks;  // in Shims() order
};

// Installs the shims in the repo at `repo` (see LocateHooks): all of them
// where NeedOfRefHook says so, else all but reference-transaction, which is
// kSkipped unless brag's shim is there already (it stays, kept current). A
// hook that cannot be installed is reported as kRefused or kFailed and the
// others are still installed; an Error only when the repo or its hooks
// folder is unusable. Installing twice changes nothing.
Result<InstallReport> Install(const std::filesystem::path& repo,
                              const ShimChoice& choice = {});

// Removes brag's shims, renaming each NAME.brag-orig back. Hooks that are
// not brag's are left alone; on a repo without shims nothing changes.
Result<InstallReport> Uninstall(const std::filesystem::path& repo);

// Each shim's state in the repo at `repo`, and whether it is needed there
// (NeedOfRefHook); changes nothing.
Result<StatusReport> Status(const std::filesystem::path& repo,
                            const ShimChoice& choice = {});

// The state of hook `name` in `dir`; changes nothing.
HookState Inspect(const std::filesystem::path& dir, std::string_view name);

}  // namespace brag::hooks
