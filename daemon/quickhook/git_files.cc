#include "quickhook/git_files.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>

namespace brag::quickhook {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

bool IsOid(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;
  for (char c : s) {
    bool lower_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!lower_hex) return false;
  }
  return true;
}

bool IsFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

bool IsDir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// The commit `ref` ("refs/heads/x") points at: its loose file, else its line
// in packed-refs.
std::string ResolveRef(const fs::path& common, const std::string& ref) {
  if (std::optional<std::string> loose = Slurp(common / ref)) {
    std::string_view value = Trim(*loose);
    return IsOid(value) ? std::string(value) : std::string();
  }
  std::optional<std::string> packed = Slurp(common / "packed-refs");
  if (!packed) return "";
  std::string_view rest(*packed);
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    size_t space = line.find(' ');
    if (space == std::string_view::npos || line.front() == '#' || line.front() == '^') continue;
    if (Trim(line.substr(space + 1)) == ref && IsOid(line.substr(0, space))) {
      return std::string(line.substr(0, space));
    }
  }
  return "";
}

// zlib-inflates a whole loose object.
std::optional<std::string> Inflate(const std::string& compressed) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // truncated
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

}  // namespace

std::optional<fs::path> FindGitDir(const fs::path& cwd, const char* git_dir_env) {
  if (git_dir_env && *git_dir_env) {
    fs::path dir(git_dir_env);
    return dir.is_absolute() ? dir : cwd / dir;
  }
  fs::path dot = cwd / ".git";
  if (IsDir(dot)) return dot;
  if (IsFile(dot)) {
    std::optional<std::string> text = Slurp(dot);
    if (!text) return std::nullopt;
    std::string_view line = Trim(*text);
    if (!line.starts_with("gitdir:")) return std::nullopt;
    fs::path dir(std::string(Trim(line.substr(7))));
    return dir.is_absolute() ? dir : cwd / dir;
  }
  if (IsFile(cwd / "HEAD") && IsDir(cwd / "objects")) return cwd;
  return std::nullopt;
}

fs::path CommonDir(const fs::path& git_dir) {
  std::optional<std::string> text = Slurp(git_dir / "commondir");
  if (!text) return git_dir;
  fs::path dir(std::string(Trim(*text)));
  return dir.is_absolute() ? dir : git_dir / dir;
}

std::optional<Head> ReadHead(const fs::path& git_dir) {
  std::optional<std::string> text = Slurp(git_dir / "HEAD");
  if (!text) return std::nullopt;
  std::string_view value = Trim(*text);
  Head head;
  if (IsOid(value)) {
    head.oid = std::string(value);
    return head;
  }
  if (!value.starts_with("ref:")) return std::nullopt;
  std::string ref(Trim(value.substr(4)));
  constexpr std::string_view kHeads = "refs/heads/";
  if (ref.starts_with(kHeads)) head.branch = ref.substr(kHeads.size());
  head.oid = ResolveRef(CommonDir(git_dir), ref);
  return head;
}

std::optional<CommitText> ParseCommit(const std::string& body) {
  CommitText commit;
  size_t pos = 0;
  bool headers_done = false;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string::npos) end = body.size();
    std::string_view line(body.data() + pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      headers_done = true;
      break;
    }
    // "author NAME <EMAIL> TIME TZ", "committer ..." (continuation lines of
    // a gpgsig header start with a space and are skipped).
    bool author = line.starts_with("author ");
    bool committer = line.starts_with("committer ");
    if (!author && !committer) continue;
    size_t open = line.rfind('<'), close = line.rfind('>');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
      return std::nullopt;
    }
    if (author) commit.author_email = std::string(line.substr(open + 1, close - open - 1));
    if (committer) {
      std::string when(Trim(line.substr(close + 1)));
      commit.commit_time = std::strtoll(when.c_str(), nullptr, 10);
    }
  }
  if (!headers_done) return std::nullopt;
  commit.message = body.substr(pos > body.size() ? body.size() : pos);
  return commit;
}

std::optional<CommitText> ReadLooseCommit(const fs::path& common_dir, const std::string& oid) {
  if (!IsOid(oid)) return std::nullopt;
  std::optional<std::string> compressed =
      Slurp(common_dir / "objects" / oid.substr(0, 2) / oid.substr(2));
  if (!compressed) return std::nullopt;
  std::optional<std::string> object = Inflate(*compressed);
  if (!object) return std::nullopt;
  size_t nul = object->find('\0');
  if (nul == std::string::npos || !object->starts_with("commit ")) return std::nullopt;
  return ParseCommit(object->substr(nul + 1));
}

}  // namespace brag::quickhook
