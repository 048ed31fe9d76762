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
  return FindPackedRef(*packed, ref);
}

}  // namespace

// zlib-inflates a whole loose object.
std::optional<std::string> InflateObject(const std::string& compressed) {
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
    if (out.size() > kMaxLooseObjectBytes) {  // a zip bomb, not a commit
      rc = Z_DATA_ERROR;
      break;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // truncated
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

namespace {

// A git config file read as git's own reader (config.c) reads one: the
// sections ("[remote \"origin\"]", the older "[remote.origin]"), the
// variables in them ("url = ..."), and the values, with their quotes,
// escapes, comments and continued lines.
class ConfigText {
 public:
  explicit ConfigText(std::string_view text) : text_(text) {
    if (text_.starts_with("\xef\xbb\xbf")) text_.remove_prefix(3);  // a UTF-8 BOM
  }

  // Calls each(section, subsection, name, value) for every variable, the
  // section and name in lower case; false when the text does not parse.
  template <typename Each>
  bool Read(Each each) {
    std::string section, subsection;
    bool comment = false;
    for (;;) {
      int c = Next();
      if (c == '\n') {
        if (at_end_) return true;
        comment = false;
        continue;
      }
      if (comment || IsSpace(c)) continue;
      if (c == '#' || c == ';') {
        comment = true;
        continue;
      }
      if (c == '[') {
        if (!Header(section, subsection)) return false;
        continue;
      }
      if (!std::isalpha(c)) return false;
      std::string name(1, static_cast<char>(std::tolower(c)));
      for (c = Next(); !at_end_ && IsKeyChar(c); c = Next()) {
        name += static_cast<char>(std::tolower(c));
      }
      while (c == ' ' || c == '\t') c = Next();
      std::string value;
      if (c != '\n') {
        if (c != '=' || !Value(value)) return false;
      }
      each(section, subsection, name, value);
      if (at_end_) return true;
    }
  }

 private:
  // The next character, "\r\n" as '\n', and '\n' at the end.
  int Next() {
    if (at_ >= text_.size()) {
      at_end_ = true;
      return '\n';
    }
    char c = text_[at_++];
    if (c == '\r' && at_ < text_.size() && text_[at_] == '\n') c = text_[at_++];
    return static_cast<unsigned char>(c);
  }

  static bool IsSpace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  }
  static bool IsKeyChar(int c) { return std::isalnum(c) || c == '-'; }

  // After '[': "name]", "name.sub]" (all lower case) or "name \"Sub\"]".
  bool Header(std::string& section, std::string& subsection) {
    std::string name;
    for (;;) {
      int c = Next();
      if (at_end_) return false;
      if (c == ']') break;
      if (IsSpace(c)) {
        do {
          if (c == '\n') return false;
          c = Next();
        } while (IsSpace(c));
        if (c != '"') return false;
        std::string sub;
        for (;;) {
          c = Next();
          if (c == '\n') return false;
          if (c == '"') break;
          if (c == '\\') {
            c = Next();
            if (c == '\n') return false;
          }
          sub += static_cast<char>(c);
        }
        if (Next() != ']') return false;
        section = name;
        subsection = sub;
        return true;
      }
      if (!IsKeyChar(c) && c != '.') return false;
      name += static_cast<char>(std::tolower(c));
    }
    size_t dot = name.find('.');
    section = name.substr(0, dot);
    subsection = dot == std::string::npos ? "" : name.substr(dot + 1);
    return true;
  }

  // After '=': the value to the end of its line, outside quotes each space
  // or tab one space, none at either end.
  bool Value(std::string& value) {
    bool quote = false, comment = false;
    size_t spaces = 0;
    for (;;) {
      int c = Next();
      if (c == '\n') return !quote;
      if (comment) continue;
      if (IsSpace(c) && !quote) {
        if (!value.empty()) ++spaces;
        continue;
      }
      if (!quote && (c == ';' || c == '#')) {
        comment = true;
        continue;
      }
      value.append(spaces, ' ');
      spaces = 0;
      if (c == '\\') {
        c = Next();
        switch (c) {
          case '\n':
            continue;  // a continued line
          case 't':
            c = '\t';
            break;
          case 'b':
            c = '\b';
            break;
          case 'n':
            c = '\n';
            break;
          case '\\':
          case '"':
            break;
          default:
            return false;
        }
        value += static_cast<char>(c);
        continue;
      }
      if (c == '"') {
        quote = !quote;
        continue;
      }
      value += static_cast<char>(c);
    }
  }

  std::string_view text_;
  size_t at_ = 0;
  bool at_end_ = false;
};

}  // namespace

ConfigRemotes ParseConfigRemotes(std::string_view text) {
  ConfigRemotes found;
  bool elsewhere = false;  // some of the config may be in another file
  bool parsed = ConfigText(text).Read([&](const std::string& section, const std::string& sub,
                                          const std::string& name, const std::string& value) {
    if (section == "include" || section == "includeif" ||
        (section == "extensions" && name == "worktreeconfig")) {
      elsewhere = true;
    }
    if (section == "remote" && name == "url") found.urls[sub] = value;
  });
  found.known = parsed && !elsewhere;
  if (!found.known) found.urls.clear();
  return found;
}

ConfigRemotes ReadConfigRemotes(const fs::path& repo) {
  std::optional<fs::path> git_dir = FindGitDir(repo, nullptr);
  if (!git_dir) return {};
  std::optional<std::string> text = Slurp(CommonDir(*git_dir) / "config");
  if (!text) return {};
  return ParseConfigRemotes(*text);
}

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

std::optional<Head> ParseHeadText(std::string_view text, std::string* ref) {
  ref->clear();
  std::string_view value = Trim(text);
  Head head;
  if (IsOid(value)) {
    head.oid = std::string(value);
    return head;
  }
  if (!value.starts_with("ref:")) return std::nullopt;
  *ref = std::string(Trim(value.substr(4)));
  constexpr std::string_view kHeads = "refs/heads/";
  if (ref->starts_with(kHeads)) head.branch = ref->substr(kHeads.size());
  return head;
}

std::string FindPackedRef(std::string_view packed, std::string_view ref) {
  std::string_view rest(packed);
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

std::optional<Head> ReadHead(const fs::path& git_dir) {
  std::optional<std::string> text = Slurp(git_dir / "HEAD");
  if (!text) return std::nullopt;
  std::string ref;
  std::optional<Head> head = ParseHeadText(*text, &ref);
  if (head && !ref.empty()) head->oid = ResolveRef(CommonDir(git_dir), ref);
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
  std::optional<std::string> object = InflateObject(*compressed);
  if (!object) return std::nullopt;
  return ParseCommitObject(*object);
}

std::optional<CommitText> ParseCommitObject(const std::string& object) {
  size_t nul = object.find('\0');
  if (nul == std::string::npos || !object.starts_with("commit ")) return std::nullopt;
  return ParseCommit(object.substr(nul + 1));
}

}  // namespace brag::quickhook
