#include "core/paths.h"

#include <unistd.h>

#include <cstdlib>

namespace brag {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::filesystem::path Home() {
  std::string home = Env("HOME");
  return home.empty() ? std::filesystem::path("/") : std::filesystem::path(home);
}

std::filesystem::path XdgDir(const char* var, const char* fallback) {
  std::string v = Env(var);
  // The XDG spec says relative values are invalid and must be ignored.
  if (!v.empty() && v[0] == '/') return v;
  return Home() / fallback;
}

}  // namespace

std::filesystem::path ExpandHome(const std::string& path) {
  if (path == "~") return Home();
  if (path.rfind("~/", 0) == 0) return Home() / path.substr(2);
  return path;
}

std::filesystem::path DefaultConfigPath() {
  return XdgDir("XDG_CONFIG_HOME", ".config") / "brag" / "config.toml";
}

std::filesystem::path DefaultDataDir() {
  return XdgDir("XDG_DATA_HOME", ".local/share") / "brag";
}

std::filesystem::path DefaultJournalPath() {
  return DefaultDataDir() / "journal.db";
}

std::filesystem::path DefaultDigestDir() { return DefaultDataDir() / "digests"; }

std::filesystem::path DefaultStateDir() {
  return XdgDir("XDG_STATE_HOME", ".local/state") / "brag";
}

std::filesystem::path DefaultSocketPath() {
  std::string runtime = Env("XDG_RUNTIME_DIR");
  if (!runtime.empty() && runtime[0] == '/') {
    return std::filesystem::path(runtime) / "brag" / "bragd.sock";
  }
  std::string tmp = Env("TMPDIR");
  if (tmp.empty()) tmp = "/tmp";
  return std::filesystem::path(tmp) /
         ("brag-" + std::to_string(getuid())) / "bragd.sock";
}

}  // namespace brag
