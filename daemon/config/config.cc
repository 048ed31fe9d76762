#include "config/config.h"

#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "config/digest_schedule.h"
#include "config/toml_check.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/timeutil.h"

namespace brag {
namespace {

std::string Position(const std::string& file, const toml::source_position& at) {
  return file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

const char* TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::none:
      return "nothing";
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
  }
  return "?";
}

// One value being read: what it is called and where it sits, so every
// complaint about it names both.
struct Field {
  const std::string& file;
  std::string name;  // dotted: "detect.poll_interval"
  const toml::node& node;

  Error Fail(const std::string& what) const {
    return MakeError("config",
                     Position(file, node.source().begin) + ": " + name + ": " + what);
  }
  Error Expected(const std::string& what) const {
    return Fail("expected " + what + ", got " + TypeName(node.type()));
  }
};

Status ReadString(const Field& f, std::string* out) {
  const toml::value<std::string>* v = f.node.as_string();
  if (!v) return f.Expected("a string");
  *out = v->get();
  return {};
}

Status ReadPath(const Field& f, std::string* out) {
  Status s = ReadString(f, out);
  if (s) *out = ExpandHome(*out).string();
  return s;
}

Status ReadStrings(const Field& f, std::vector<std::string>* out) {
  const toml::array* array = f.node.as_array();
  if (!array) return f.Expected("an array of strings");
  std::vector<std::string> values;
  for (size_t i = 0; i < array->size(); ++i) {
    Field element{f.file, f.name + "[" + std::to_string(i) + "]", *array->get(i)};
    std::string value;
    Status s = ReadString(element, &value);
    if (!s) return s;
    values.push_back(std::move(value));
  }
  *out = std::move(values);
  return {};
}

Status ReadPaths(const Field& f, std::vector<std::string>* out) {
  Status s = ReadStrings(f, out);
  if (!s) return s;
  for (std::string& path : *out) path = ExpandHome(path).string();
  return {};
}

Status ReadBool(const Field& f, bool* out) {
  const toml::value<bool>* v = f.node.as_boolean();
  if (!v) return f.Expected("true or false");
  *out = v->get();
  return {};
}

Status ReadDuration(const Field& f, std::chrono::milliseconds* out) {
  const toml::value<std::string>* v = f.node.as_string();
  if (!v) return f.Expected("a duration string like \"30s\"");
  Result<std::chrono::milliseconds> d = ParseDuration(v->get());
  if (!d) return f.Fail(d.error().message);
  *out = *d;
  return {};
}

Status ReadPollInterval(const Field& f, Config* c) {
  Status s = ReadDuration(f, &c->poll_interval);
  if (s && c->poll_interval.count() <= 0) {
    return f.Fail("expected a duration greater than zero, got '" +
                  f.node.as_string()->get() + "'");
  }
  return s;
}

Status ReadWatchMode(const Field& f, Config* c) {
  const toml::value<std::string>* v = f.node.as_string();
  if (!v) return f.Expected("\"auto\" or \"poll\"");
  if (v->get() != "auto" && v->get() != "poll") {
    return f.Fail("expected \"auto\" or \"poll\", got '" + v->get() + "'");
  }
  c->watch = v->get() == "poll" ? Config::Watch::kPoll : Config::Watch::kAuto;
  return {};
}

Status ReadCoauthor(const Field& f, Config* c) {
  const toml::value<std::string>* v = f.node.as_string();
  if (!v) return f.Expected("\"prompt\" or \"ignore\"");
  if (v->get() != "prompt" && v->get() != "ignore") {
    return f.Fail("expected \"prompt\" or \"ignore\", got '" + v->get() + "'");
  }
  c->coauthor = v->get();
  return {};
}

Status ReadScanDepth(const Field& f, Config* c) {
  const toml::value<int64_t>* v = f.node.as_integer();
  if (!v) return f.Expected("an integer >= 1");
  if (v->get() < 1 || v->get() > std::numeric_limits<int>::max()) {
    return f.Fail("expected an integer >= 1, got " + std::to_string(v->get()));
  }
  c->scan_depth = static_cast<int>(v->get());
  return {};
}

Status ReadLogLevel(const Field& f, Config* c) {
  std::string value;
  Status s = ReadString(f, &value);
  if (!s) return s;
  LogLevel level;
  if (!ParseLogLevel(value, &level)) {
    return f.Fail("expected one of debug, info, warn, error, got '" + value + "'");
  }
  c->log_level = value;
  return {};
}

Status ReadWorkdayStart(const Field& f, Config* c) {
  std::string value;
  Status s = ReadString(f, &value);
  if (!s) return s;
  std::optional<int> minutes = ParseClock(value);
  if (!minutes) return f.Fail("expected a time of day such as \"09:00\", got '" + value + "'");
  c->workday_start = *minutes;
  return {};
}

Status ReadDigestSchedule(const Field& f, Config* c) {
  std::string value;
  Status s = ReadString(f, &value);
  if (!s) return s;
  Result<DigestSchedule> schedule = ParseDigestSchedule(value);
  if (!schedule) return f.Fail(schedule.error().message);
  c->digest_schedule = value;
  return {};
}

Status ReadDigestFormat(const Field& f, Config* c) {
  std::string value;
  Status s = ReadString(f, &value);
  if (!s) return s;
  if (value == "md") value = "markdown";
  if (value != "markdown" && value != "html" && value != "json") {
    return f.Fail("expected one of markdown, md, html, json, got '" + value + "'");
  }
  c->digest_format = value;
  return {};
}

// A key of a table and how to read it into a T.
template <typename T>
struct KeySpec {
  std::string_view key;
  Status (*read)(const Field& field, T* into);
};

constexpr KeySpec<Config> kIdentityKeys[] = {
    {"emails",
     [](const Field& f, Config* c) { return ReadStrings(f, &c->identity_emails); }},
};

constexpr KeySpec<Config> kDetectKeys[] = {
    {"mainline",
     [](const Field& f, Config* c) { return ReadStrings(f, &c->mainline); }},
    {"remotes", [](const Field& f, Config* c) { return ReadStrings(f, &c->remotes); }},
    {"incident_branches",
     [](const Field& f, Config* c) { return ReadStrings(f, &c->incident_branches); }},
    {"long_lived",
     [](const Field& f, Config* c) { return ReadStrings(f, &c->long_lived); }},
    {"coauthor", ReadCoauthor},
    {"poll_interval", ReadPollInterval},
    {"watch", ReadWatchMode},
};

constexpr KeySpec<Config> kScanKeys[] = {
    {"roots", [](const Field& f, Config* c) { return ReadPaths(f, &c->scan_roots); }},
    {"depth", ReadScanDepth},
    {"exclude", [](const Field& f, Config* c) { return ReadPaths(f, &c->scan_exclude); }},
};

constexpr KeySpec<Config> kDaemonKeys[] = {
    {"socket", [](const Field& f, Config* c) { return ReadPath(f, &c->socket); }},
    {"log_level", ReadLogLevel},
    {"notify", [](const Field& f, Config* c) { return ReadBool(f, &c->notify); }},
    {"workday_start", ReadWorkdayStart},
};

constexpr KeySpec<Config> kJournalKeys[] = {
    {"path", [](const Field& f, Config* c) { return ReadPath(f, &c->journal_path); }},
};

constexpr KeySpec<Config> kHooksKeys[] = {
    {"ask_after_pull",
     [](const Field& f, Config* c) { return ReadBool(f, &c->ask_after_pull); }},
    {"ask_timeout",
     [](const Field& f, Config* c) { return ReadDuration(f, &c->ask_timeout); }},
};

constexpr KeySpec<Config> kDigestKeys[] = {
    {"schedule", ReadDigestSchedule},
    {"dir", [](const Field& f, Config* c) { return ReadPath(f, &c->digest_dir); }},
    {"format", ReadDigestFormat},
    {"polish_command",
     [](const Field& f, Config* c) { return ReadString(f, &c->polish_command); }},
};

constexpr KeySpec<CategoryConfig> kCategoryKeys[] = {
    {"id", [](const Field& f, CategoryConfig* r) { return ReadString(f, &r->id); }},
    {"title", [](const Field& f, CategoryConfig* r) { return ReadString(f, &r->title); }},
    {"tags",
     [](const Field& f, CategoryConfig* r) {
       Status s = ReadStrings(f, &r->tags);
       for (std::string& tag : r->tags) {
         if (!tag.empty() && tag.front() == '#') tag.erase(0, 1);
       }
       return s;
     }},
    {"words", [](const Field& f, CategoryConfig* r) { return ReadStrings(f, &r->words); }},
    {"paths", [](const Field& f, CategoryConfig* r) { return ReadStrings(f, &r->paths); }},
};

constexpr std::string_view kBuiltinCategories[] = {
    "api", "performance", "data", "reliability", "leadership", "collaboration", "devex"};

bool IsCategoryId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  }
  return true;
}

constexpr KeySpec<RepoConfig> kRepoKeys[] = {
    {"path", [](const Field& f, RepoConfig* r) { return ReadPath(f, &r->path); }},
    {"name", [](const Field& f, RepoConfig* r) { return ReadString(f, &r->name); }},
    {"mainline",
     [](const Field& f, RepoConfig* r) { return ReadStrings(f, &r->mainline); }},
    {"long_lived",
     [](const Field& f, RepoConfig* r) {
       r->long_lived.emplace();
       return ReadStrings(f, &*r->long_lived);
     }},
};

struct SectionSpec {
  std::string_view name;
  std::span<const KeySpec<Config>> keys;
};

constexpr SectionSpec kSections[] = {
    {"identity", kIdentityKeys}, {"detect", kDetectKeys},   {"scan", kScanKeys},
    {"daemon", kDaemonKeys},     {"journal", kJournalKeys}, {"hooks", kHooksKeys},
    {"digest", kDigestKeys},
};

// Reads a parsed document into a Config over the built-in defaults. Unknown
// keys are collected as warnings rather than failing, so a typo is visible
// but an older daemon still starts with a newer file.
class ConfigReader {
 public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}

  Status Read(const toml::table& root, Config* config) {
    for (const auto& [key, node] : root) {
      Status s = ReadTopLevel(key, node, config);
      if (!s) return s;
    }
    return {};
  }

  // Warnings in the order their keys appear in the file.
  std::vector<std::string> TakeWarnings() {
    std::stable_sort(warnings_.begin(), warnings_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& [where, text] : warnings_) out.push_back(std::move(text));
    return out;
  }

 private:
  Status ReadTopLevel(const toml::key& key, const toml::node& node, Config* config) {
    if (key.str() == "repo") return ReadRepos(node, config);
    for (const SectionSpec& section : kSections) {
      if (key.str() != section.name) continue;
      Field field{file_, std::string(section.name), node};
      const toml::table* table = node.as_table();
      if (!table) return field.Expected("a table");
      return ReadTable(*table, field.name, section.keys, config);
    }
    WarnUnknown(key, key.str());
    return {};
  }

  template <typename T>
  Status ReadTable(const toml::table& table, const std::string& prefix,
                   std::span<const KeySpec<T>> keys, T* into) {
    for (const auto& [key, node] : table) {
      // (clang 14 cannot capture a structured binding.)
      std::string_view key_text = key.str();
      auto spec = std::find_if(keys.begin(), keys.end(),
                               [&](const KeySpec<T>& k) { return k.key == key_text; });
      std::string name = prefix + "." + std::string(key.str());
      if constexpr (std::is_same_v<T, Config>) {
        if (name == "digest.category") {
          Status s = ReadCategories(node, into);
          if (!s) return s;
          continue;
        }
      }
      if (spec == keys.end()) {
        WarnUnknown(key, name);
        continue;
      }
      Status s = spec->read(Field{file_, name, node}, into);
      if (!s) return s;
    }
    return {};
  }

  Status ReadRepos(const toml::node& node, Config* config) {
    Field field{file_, "repo", node};
    const toml::array* array = node.as_array();
    if (!array) return field.Expected("[[repo]] tables");
    for (const toml::node& element : *array) {
      Field entry{file_, "repo", element};
      const toml::table* table = element.as_table();
      if (!table) return entry.Expected("a table");
      if (!table->contains("path")) return entry.Fail("missing required key 'path'");
      RepoConfig repo;
      Status s = ReadTable<RepoConfig>(*table, "repo", kRepoKeys, &repo);
      if (!s) return s;
      if (repo.path.empty()) {
        return Field{file_, "repo.path", *table->get("path")}.Fail(
            "expected a non-empty path");
      }
      config->repos.push_back(std::move(repo));
    }
    return {};
  }

  // [[digest.category]] tables: each extends a built-in category or adds a
  // new one, which must have a title and something to match on.
  Status ReadCategories(const toml::node& node, Config* config) {
    Field field{file_, "digest.category", node};
    const toml::array* array = node.as_array();
    if (!array) return field.Expected("[[digest.category]] tables");
    for (const toml::node& element : *array) {
      Field entry{file_, "digest.category", element};
      const toml::table* table = element.as_table();
      if (!table) return entry.Expected("a table");
      if (!table->contains("id")) return entry.Fail("missing required key 'id'");
      CategoryConfig rule;
      Status s = ReadTable<CategoryConfig>(*table, "digest.category", kCategoryKeys, &rule);
      if (!s) return s;
      if (!IsCategoryId(rule.id)) {
        return Field{file_, "digest.category.id", *table->get("id")}.Fail(
            "expected an id of lower-case letters, digits, '-' and '_', got '" + rule.id +
            "'");
      }
      bool builtin = std::find(std::begin(kBuiltinCategories), std::end(kBuiltinCategories),
                               rule.id) != std::end(kBuiltinCategories);
      if (!builtin && rule.title.empty()) {
        return entry.Fail("the new category '" + rule.id + "' needs a title");
      }
      if (!builtin && rule.tags.empty() && rule.words.empty() && rule.paths.empty()) {
        return entry.Fail("the new category '" + rule.id +
                          "' needs at least one of tags, words, paths");
      }
      config->digest_categories.push_back(std::move(rule));
    }
    return {};
  }

  void WarnUnknown(const toml::key& key, std::string_view name) {
    warnings_.emplace_back(key.source().begin, Position(file_, key.source().begin) +
                                                   ": unknown key '" +
                                                   std::string(name) + "' (ignored)");
  }

  std::string file_;
  std::vector<std::pair<toml::source_position, std::string>> warnings_;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

Error FileError(const std::filesystem::path& file, int err) {
  if (err == ENOENT) return MakeError("config", file.string() + ": no such file");
  return MakeError("config",
                   file.string() + ": cannot read (" + std::strerror(err) + ")");
}

Result<std::string> ReadText(const std::filesystem::path& file) {
  struct stat st;
  if (stat(file.c_str(), &st) != 0) return FileError(file, errno);
  if (S_ISDIR(st.st_mode)) return FileError(file, EISDIR);
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(file.c_str(), "rb"));
  if (!f) return FileError(file, errno);
  std::string text;
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) text.append(buf, n);
  if (std::ferror(f.get())) return FileError(file, errno);
  return text;
}

Result<toml::table> Parse(std::string_view text, const std::string& file) {
  // Only checked text reaches toml++ (see toml_check.h).
  Result<std::string_view> checked = CheckTomlText(text, file);
  if (!checked) return checked.error();
  try {
    return toml::parse(*checked, std::string_view(file));
  } catch (const toml::parse_error& err) {
    return MakeError("config", Position(file, err.source().begin) + ": " +
                                   std::string(err.description()));
  }
}

// Who else than this user (or root) could have written `file`: "" when
// nobody, else a sentence naming the file or folder and why.
std::string OthersMayWrite(const std::filesystem::path& file) {
  uid_t me = ::getuid();
  auto owner_ok = [me](const struct stat& st) { return st.st_uid == me || st.st_uid == 0; };
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return "";
  if (!owner_ok(st)) {
    return file.string() + " is owned by uid " + std::to_string(st.st_uid) + ", not by you";
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) return file.string() + " is writable by others";
  std::filesystem::path dir = file.parent_path().empty() ? "." : file.parent_path();
  if (::stat(dir.c_str(), &st) != 0) return "";
  if (!owner_ok(st)) {
    return "its folder " + dir.string() + " is owned by uid " + std::to_string(st.st_uid);
  }
  // Others may then replace the file; a sticky folder (/tmp) forbids that.
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
    return "its folder " + dir.string() + " is writable by others";
  }
  return "";
}

}  // namespace

Result<Config> ParseConfigText(std::string_view text, const std::string& name,
                               std::vector<std::string>* warnings) {
  Result<toml::table> root = Parse(text, name);
  if (!root) return root.error();
  Config config;
  ConfigReader reader(name);
  Status s = reader.Read(*root, &config);
  if (!s) return s.error();
  if (warnings) {
    for (std::string& w : reader.TakeWarnings()) warnings->push_back(std::move(w));
  }
  return config;
}

Result<Config> LoadConfigFile(const std::filesystem::path& file,
                              std::vector<std::string>* warnings) {
  Result<std::string> text = ReadText(file);
  if (!text) return text.error();
  Result<Config> config = ParseConfigText(*text, file.string(), warnings);
  if (!config) return config.error();
  config->source = file;
  config->untrusted_for_programs = OthersMayWrite(file);
  if (warnings) {
    if (!config->polish_command.empty() && !config->untrusted_for_programs.empty()) {
      warnings->push_back(file.string() + ": [digest] polish_command will not be run: " +
                          config->untrusted_for_programs + " (chmod go-w it)");
    }
  }
  return config;
}

Result<Config> LoadConfig(const std::string& explicit_path,
                          std::vector<std::string>* warnings) {
  if (!explicit_path.empty())
    return LoadConfigFile(ExpandHome(explicit_path), warnings);
  const char* env = std::getenv("BRAG_CONFIG");
  if (env && *env) return LoadConfigFile(ExpandHome(env), warnings);
  std::filesystem::path file = DefaultConfigPath();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec) && !ec) return Config{};
  return LoadConfigFile(file, warnings);
}

std::vector<std::string> BuiltinCategoryIds() {
  return {std::begin(kBuiltinCategories), std::end(kBuiltinCategories)};
}

std::filesystem::path SocketPath(const Config& config) {
  const char* env = std::getenv("BRAG_SOCKET");
  if (env && *env) return env;
  if (!config.socket.empty()) return config.socket;
  return DefaultSocketPath();
}

std::filesystem::path JournalPath(const Config& config) {
  if (!config.journal_path.empty()) return config.journal_path;
  return DefaultJournalPath();
}

std::filesystem::path DigestDir(const Config& config) {
  if (!config.digest_dir.empty()) return config.digest_dir;
  return DefaultDigestDir();
}

bool IsExcluded(const Config& config, const std::filesystem::path& repo) {
  std::string path = repo.lexically_normal().string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::string name = std::filesystem::path(path).filename().string();
  for (const std::string& glob : config.scan_exclude) {
    if (fnmatch(glob.c_str(), path.c_str(), 0) == 0) return true;
    if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

}  // namespace brag
