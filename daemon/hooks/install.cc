#include "hooks/install.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <system_error>

#include "hooks/shims.h"
#include "watch/fs_events.h"

namespace brag::hooks {
namespace fs = std::filesystem;

namespace {

using Change = HookChange::Kind;

// Enough of a file to find a marker on its first lines.
constexpr size_t kHeadBytes = 1024;

// Up to `limit` bytes of the file at `path`; "" when it cannot be read.
std::string ReadPrefix(const fs::path& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  char buf[4096];
  while (in && text.size() < limit) {
    in.read(buf,
            static_cast<std::streamsize>(std::min(sizeof buf, limit - text.size())));
    text.append(buf, static_cast<size_t>(in.gcount()));
  }
  return text;
}

fs::path OriginalOf(const fs::path& hook) {
  return fs::path(hook.string() + std::string(kOriginalSuffix));
}

// Whether anything is at `path`, a dangling symlink included.
bool Exists(const fs::path& path) {
  std::error_code ec;
  fs::file_type type = fs::symlink_status(path, ec).type();
  return type != fs::file_type::not_found && type != fs::file_type::none;
}

std::string_view ShimText(std::string_view name) {
  for (const Shim& shim : Shims()) {
    if (shim.name == name) return shim.text;
  }
  return {};
}

HookChange Failed(std::string_view name, const std::string& what,
                  const std::error_code& ec) {
  return HookChange{std::string(name), Change::kFailed, what + ": " + ec.message()};
}

// Writes `shim` beside its hook as a hidden file (git runs only the exact
// hook names), ready to be renamed over the hook in one step, so git never
// runs half a shim.
Result<fs::path> WriteBeside(const fs::path& dir, const Shim& shim) {
  fs::path tmp = dir / ("." + std::string(shim.name) + ".brag-new");
  std::error_code ec;
  fs::remove(tmp, ec);  // a leftover of a crash, never followed if a symlink
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(shim.text.data(), static_cast<std::streamsize>(shim.text.size()));
    out.close();
    if (!out) {
      fs::remove(tmp, ec);
      return MakeError("io", "cannot write " + tmp.string());
    }
  }
  fs::permissions(tmp, fs::perms(0755), fs::perm_options::replace, ec);
  if (ec) {
    std::string why = ec.message();
    fs::remove(tmp, ec);
    return MakeError("io", "cannot make " + tmp.string() + " executable: " + why);
  }
  return tmp;
}

// Puts the shim at `hook`, replacing whatever file is there in one rename.
HookChange PlaceShim(const fs::path& dir, const Shim& shim, const fs::path& hook,
                     Change done) {
  Result<fs::path> tmp = WriteBeside(dir, shim);
  if (!tmp)
    return HookChange{std::string(shim.name), Change::kFailed, tmp.error().message};
  std::error_code ec;
  fs::rename(*tmp, hook, ec);
  if (ec) {
    HookChange failed = Failed(shim.name, "cannot create " + hook.string(), ec);
    fs::remove(*tmp, ec);
    return failed;
  }
  return HookChange{std::string(shim.name), done, ""};
}

// Moves somebody's hook to NAME.brag-orig and puts the shim in its place.
HookChange ChainForeign(const fs::path& dir, const Shim& shim, const HookState& state) {
  fs::path original = OriginalOf(state.path);
  std::string name(shim.name);
  if (state.has_original) {
    return HookChange{name, Change::kRefused,
                      original.string() + " exists already and " + state.path.string() +
                          " is not brag's: move one of them away, then install again"};
  }
  std::error_code ec;
  fs::file_type type = fs::symlink_status(state.path, ec).type();
  if (type != fs::file_type::regular && type != fs::file_type::symlink) {
    return HookChange{name, Change::kRefused,
                      state.path.string() + " is neither a file nor a symlink"};
  }
  Result<fs::path> tmp = WriteBeside(dir, shim);
  if (!tmp) return HookChange{name, Change::kFailed, tmp.error().message};
  // A rename keeps the hook as it is: symlink, mode, owner, times, links.
  fs::rename(state.path, original, ec);
  if (ec) {
    HookChange failed = Failed(
        name,
        "cannot rename " + state.path.string() + " to " + original.filename().string(),
        ec);
    fs::remove(*tmp, ec);
    return failed;
  }
  fs::rename(*tmp, state.path, ec);
  if (ec) {
    HookChange failed = Failed(name, "cannot create " + state.path.string(), ec);
    fs::rename(original, state.path, ec);  // back as it was
    fs::remove(*tmp, ec);
    return failed;
  }
  return HookChange{name, Change::kChained, ""};
}

HookChange InstallOne(const fs::path& dir, const Shim& shim) {
  HookState state = Inspect(dir, shim.name);
  switch (state.kind) {
    case HookState::Kind::kInstalled:
    case HookState::Kind::kChaining:
      if (!state.outdated)
        return HookChange{std::string(shim.name), Change::kUnchanged, ""};
      return PlaceShim(dir, shim, state.path, Change::kUpdated);
    case HookState::Kind::kForeign:
      return ChainForeign(dir, shim, state);
    case HookState::Kind::kNotInstalled:
      break;
  }
  // A NAME.brag-orig without its shim (the shim was deleted by hand) is the
  // user's hook still: the shim runs it again, uninstall restores it.
  return PlaceShim(dir, shim, state.path,
                   state.has_original ? Change::kChained : Change::kInstalled);
}

// Whether `shim` belongs in the repo: all do, but the one standing in for
// filesystem events only where bragd gets none.
bool Needed(const Shim& shim, const RefHookNeed& need) {
  return !shim.stands_in_for_events || need.needed;
}

// Where the reference-transaction shim is not needed, brag's shim stays if
// it is there (an older brag or --all-hooks put it: installing again changes
// nothing), and a leftover NAME.brag-orig is chained again (it is the user's
// hook, and only the shim runs it). Anything else is left as it is.
HookChange InstallWhereNeeded(const fs::path& dir, const Shim& shim,
                              const RefHookNeed& need) {
  if (Needed(shim, need)) return InstallOne(dir, shim);
  HookState state = Inspect(dir, shim.name);
  bool ours = state.kind == HookState::Kind::kInstalled ||
              state.kind == HookState::Kind::kChaining ||
              (state.kind == HookState::Kind::kNotInstalled && state.has_original);
  if (ours) return InstallOne(dir, shim);
  return HookChange{std::string(shim.name), Change::kSkipped, need.reason};
}

// The filesystem `path` is on when it has no reliable events, asking the
// nearest folder that exists (a hooks folder may not exist yet).
std::optional<std::string_view> EventlessFilesystemOf(fs::path path) {
  std::error_code ec;
  while (!fs::exists(path, ec) && path.has_parent_path() && path != path.root_path())
    path = path.parent_path();
  return FilesystemWithoutEventsAt(path);
}

HookChange Restore(const HookState& state) {
  std::error_code ec;
  fs::path original = OriginalOf(state.path);
  fs::rename(original, state.path, ec);
  if (ec) {
    return Failed(
        state.name,
        "cannot rename " + original.string() + " to " + state.path.filename().string(),
        ec);
  }
  return HookChange{state.name, Change::kRestored, ""};
}

HookChange UninstallOne(const fs::path& dir, std::string_view name) {
  HookState state = Inspect(dir, name);
  switch (state.kind) {
    case HookState::Kind::kChaining:
      return Restore(state);
    case HookState::Kind::kInstalled: {
      std::error_code ec;
      fs::remove(state.path, ec);
      if (ec) return Failed(name, "cannot remove " + state.path.string(), ec);
      return HookChange{state.name, Change::kRemoved, ""};
    }
    case HookState::Kind::kNotInstalled:
      if (state.has_original) return Restore(state);
      return HookChange{state.name, Change::kUnchanged, ""};
    case HookState::Kind::kForeign:
      break;
  }
  return HookChange{state.name, Change::kLeftAlone,
                    state.has_original
                        ? OriginalOf(state.path).filename().string() + " is left too"
                        : ""};
}

}  // namespace

std::string_view KindName(HookState::Kind kind) {
  switch (kind) {
    case HookState::Kind::kNotInstalled:
      return "not_installed";
    case HookState::Kind::kInstalled:
      return "installed";
    case HookState::Kind::kChaining:
      return "chaining";
    case HookState::Kind::kForeign:
      return "foreign";
  }
  return "unknown";
}

RefHookNeed NeedOfRefHook(const HookSite& site, const ShimChoice& choice) {
  if (choice.all_hooks) return {true, "--all-hooks"};
  if (choice.watch_poll)
    return {true, "bragd polls every repo ([detect] watch = \"poll\")"};
  if (std::optional<std::string_view> name = EventlessFilesystemOf(site.git_dir)) {
    return {true,
            "the git dir is on " + std::string(*name) + ", without filesystem events"};
  }
  // A hooks folder shared there (core.hooksPath) may serve repos that are too.
  if (std::optional<std::string_view> name = EventlessFilesystemOf(site.dir)) {
    return {true, "the hooks folder is on " + std::string(*name) +
                      ", without filesystem events"};
  }
  return {false, "bragd sees ref changes on this filesystem"};
}

bool InstallReport::ok() const {
  return std::none_of(hooks.begin(), hooks.end(), [](const HookChange& c) {
    return c.kind == Change::kRefused || c.kind == Change::kFailed;
  });
}

HookState Inspect(const fs::path& dir, std::string_view name) {
  HookState state;
  state.name = std::string(name);
  state.path = dir / state.name;
  state.has_original = Exists(OriginalOf(state.path));
  if (!Exists(state.path)) return state;
  std::error_code ec;
  fs::file_type type = fs::symlink_status(state.path, ec).type();
  state.kind = HookState::Kind::kForeign;
  // A symlink is never brag's: brag writes its shims as plain files.
  if (type != fs::file_type::regular || !IsShim(ReadPrefix(state.path, kHeadBytes))) {
    return state;
  }
  state.kind =
      state.has_original ? HookState::Kind::kChaining : HookState::Kind::kInstalled;
  std::string_view text = ShimText(name);
  state.outdated = ReadPrefix(state.path, text.size() + 1) != text;
  return state;
}

// git runs what is in the hooks folder as the user: a folder another user
// owns or may write could swap brag's shims (or the hooks they chain to) for
// anything. brag installs nothing there.
brag::Status CheckPrivate(const fs::path& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return {};
  uid_t me = ::getuid();
  if (st.st_uid != me && st.st_uid != 0) {
    return MakeError("forbidden", "the hooks folder " + dir.string() + " is owned by uid " +
                                      std::to_string(st.st_uid) +
                                      ", not by you; brag installs no hook there");
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return MakeError("forbidden", "the hooks folder " + dir.string() +
                                      " is writable by others; brag installs no hook "
                                      "there (chmod go-w it first)");
  }
  return {};
}

Result<InstallReport> Install(const fs::path& repo, const ShimChoice& choice) {
  Result<HookSite> site = LocateHooks(repo);
  if (!site) return site.error();
  std::error_code ec;
  fs::create_directories(site->dir, ec);
  if (ec) {
    return MakeError("io", "cannot create the hooks folder " + site->dir.string() +
                               ": " + ec.message());
  }
  if (brag::Status s = CheckPrivate(site->dir); !s) return s.error();
  InstallReport report{*site, NeedOfRefHook(*site, choice), {}};
  for (const Shim& shim : Shims())
    report.hooks.push_back(InstallWhereNeeded(site->dir, shim, report.ref_hook));
  return report;
}

Result<InstallReport> Uninstall(const fs::path& repo) {
  Result<HookSite> site = LocateHooks(repo);
  if (!site) return site.error();
  InstallReport report{*site, {}, {}};
  for (const Shim& shim : Shims()) {
    report.hooks.push_back(UninstallOne(site->dir, shim.name));
  }
  return report;
}

Result<StatusReport> Status(const fs::path& repo, const ShimChoice& choice) {
  Result<HookSite> site = LocateHooks(repo);
  if (!site) return site.error();
  StatusReport report{*site, NeedOfRefHook(*site, choice), {}};
  for (const Shim& shim : Shims()) {
    HookState state = Inspect(site->dir, shim.name);
    state.needed = Needed(shim, report.ref_hook);
    report.hooks.push_back(state);
  }
  return report;
}

}  // namespace brag::hooks
