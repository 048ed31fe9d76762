// brag's configuration (DESIGN §4): the only user of toml++. Load() turns a
// TOML file into a Config, filling built-in defaults (identical to
// config/brag.toml) for every key not given.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace brag {

struct RepoConfig {
  std::string path;                   // "~" already expanded
  std::string name;                   // "" when not given
  std::vector<std::string> mainline;  // empty: use [detect] mainline
  // Given: replaces [detect] long_lived for this repo.
  std::optional<std::vector<std::string>> long_lived;

  bool operator==(const RepoConfig&) const = default;
};

// One [[digest.category]] table: more tags, words and path globs for a
// built-in category (by id), or a new category (which needs a title).
struct CategoryConfig {
  std::string id;
  std::string title;  // "" keeps a built-in category's title
  std::vector<std::string> tags;   // without '#'
  std::vector<std::string> words;
  std::vector<std::string> paths;  // globs over changed paths

  bool operator==(const CategoryConfig&) const = default;
};

// The ids of the seven built-in categories (those of
// digest::DefaultCategoryRules(), in its order): a [[digest.category]] with
// another id is a new category.
std::vector<std::string> BuiltinCategoryIds();

struct Config {
  std::filesystem::path source;  // the file loaded; empty when defaults only

  std::vector<std::string> identity_emails;  // empty: caller uses git's user.email

  std::vector<std::string> mainline{"main", "master", "trunk", "develop"};
  std::vector<std::string> remotes{"origin", "upstream"};
  std::vector<std::string> incident_branches{"incident/*", "hotfix/*", "inc-*",
                                             "sev*/*"};
  // Globs of long-lived branches, besides the mainlines: a merge of one is a
  // sync, not a PR (DESIGN §5). Same as detect::DetectOptions's defaults.
  std::vector<std::string> long_lived{"dev",     "development",   "next",
                                      "stable*", "release*",      "*maint*",
                                      "*.x",     "[0-9]*.*[0-9]", "v[0-9]*"};
  // "prompt": a PR the user only co-authored counts as theirs; "ignore": not.
  std::string coauthor = "prompt";
  std::chrono::milliseconds poll_interval{std::chrono::seconds(30)};
  // [detect] watch: "auto" (filesystem events where they work, polling
  // where they fail or the filesystem has none, as on network mounts) or
  // "poll" (always poll).
  enum class Watch { kAuto, kPoll };
  Watch watch = Watch::kAuto;

  std::vector<RepoConfig> repos;

  std::vector<std::string> scan_roots;  // "~" expanded
  int scan_depth = 3;
  // [scan] exclude: globs ("~" expanded) of repos discovery leaves alone.
  std::vector<std::string> scan_exclude;

  std::string socket;  // "" : DefaultSocketPath() (BRAG_SOCKET wins over both)
  std::string log_level = "info";
  bool notify = true;
  // [daemon] workday_start, minutes after midnight: when a snooze to a day
  // ("tomorrow", "monday") ends.
  int workday_start = 9 * 60;

  std::string journal_path;  // "": DefaultJournalPath()

  bool ask_after_pull = true;
  std::chrono::milliseconds ask_timeout{std::chrono::seconds(60)};

  std::string digest_schedule = "fri 16:00";
  std::string digest_dir;  // "": DefaultDigestDir()
  // "markdown", "html" or "json" (a file's "md" is read as "markdown").
  std::string digest_format = "markdown";
  std::string polish_command;
  // Why this file may not name a program to run (it is owned by another
  // user, or others may write it or its folder): "" when it may. Such a
  // config still configures everything else, but polish_command is not run.
  std::string untrusted_for_programs;
  std::vector<CategoryConfig> digest_categories;  // [[digest.category]], in order

  bool operator==(const Config&) const = default;
};

// Loads `file`. A syntax error, a wrong type or a bad value gives error code
// "config" with message "FILE:LINE:COLUMN: what was expected" (the exit code
// for it is 78). Unknown keys are not errors: each adds a warning naming the
// key with its dotted path and position ("FILE:3:1: unknown key 'detect.mainlin'").
Result<Config> LoadConfigFile(const std::filesystem::path& file,
                              std::vector<std::string>* warnings);

// The parsing part of LoadConfigFile, over text already read: `name` is the
// FILE of the messages. The result's `source` is empty and it is trusted
// for programs (LoadConfigFile sets both from the file).
Result<Config> ParseConfigText(std::string_view text, const std::string& name,
                               std::vector<std::string>* warnings);

// Resolves which file to load: `explicit_path` (from --config) if non-empty,
// else $BRAG_CONFIG if set, else DefaultConfigPath(). A missing default file
// gives the built-in defaults; a missing explicit or $BRAG_CONFIG file is an
// error (code "config", "FILE: no such file").
Result<Config> LoadConfig(const std::string& explicit_path,
                          std::vector<std::string>* warnings);

// Paths after defaults and environment overrides. For the socket:
// $BRAG_SOCKET (if non-empty) > [daemon] socket > DefaultSocketPath().
std::filesystem::path SocketPath(const Config& config);
std::filesystem::path JournalPath(const Config& config);
std::filesystem::path DigestDir(const Config& config);

// Whether [scan] exclude leaves `repo` (a path found under a root) alone: a
// glob matches the whole path ("~/code/vendor/*", "*/archive/*"; `*` also
// matches "/") or the repo's folder name ("linux", "*-fork").
bool IsExcluded(const Config& config, const std::filesystem::path& repo);

}  // namespace brag
