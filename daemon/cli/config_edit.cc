#include "cli/config_edit.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace brag::cli {
namespace {

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Whether `line` is a table's header, and then its name in `*name` ("[scan]"
// -> "scan", "[[repo]]" -> "[repo]", so that it matches no plain table).
bool IsHeader(std::string_view line, std::string* name) {
  std::string_view t = Trim(line);
  if (t.empty() || t.front() != '[') return false;
  size_t hash = t.find('#');
  if (hash != std::string_view::npos) t = Trim(t.substr(0, hash));
  if (t.size() < 2 || t.back() != ']') return false;
  *name = std::string(Trim(t.substr(1, t.size() - 2)));
  return true;
}

// Whether `line` sets `key` ("key = ...", "key=..."), not in a comment.
bool SetsKey(std::string_view line, std::string_view key) {
  std::string_view t = Trim(line);
  if (!t.starts_with(key)) return false;
  std::string_view rest = Trim(t.substr(key.size()));
  return !rest.empty() && rest.front() == '=';
}

// How many '[' minus ']' outside strings and comments: an array value that
// goes on past its line leaves this above zero.
int OpenBrackets(std::string_view line) {
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      break;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      --depth;
    }
  }
  return depth;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in{std::string(text)};
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

}  // namespace

std::string TomlStringArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ", ";
    out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "]";
}

std::string SetTomlKey(std::string_view text, std::string_view table, std::string_view key,
                       std::string_view value) {
  std::vector<std::string> lines = Lines(text);
  std::string setting = std::string(key) + " = " + std::string(value);
  std::string name;
  size_t header = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsHeader(lines[i], &name) && name == table) {
      header = i;
      break;
    }
  }
  if (header == lines.size()) {
    if (!lines.empty() && !Trim(lines.back()).empty()) lines.push_back("");
    lines.push_back("[" + std::string(table) + "]");
    lines.push_back(setting);
  } else {
    size_t end = header + 1;
    while (end < lines.size() && !IsHeader(lines[end], &name)) ++end;
    size_t at = end;
    for (size_t i = header + 1; i < end; ++i) {
      if (SetsKey(lines[i], key)) at = i;
    }
    if (at == end) {
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(header) + 1, setting);
    } else {
      size_t last = at;
      for (int depth = OpenBrackets(lines[at]); depth > 0 && last + 1 < end;) {
        depth += OpenBrackets(lines[++last]);
      }
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at) + 1,
                  lines.begin() + static_cast<std::ptrdiff_t>(last) + 1);
      lines[at] = setting;
    }
  }
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

std::string NewConfigText() {
  return "# brag's configuration, written by `brag setup`. Every key and its default:\n"
         "# brag.toml(5), or the example /usr/share/doc/brag/brag.toml.\n";
}

Status WriteFileAtomically(const std::filesystem::path& file, const std::string& text) {
  std::error_code ec;
  std::filesystem::path dir = file.parent_path();
  if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return MakeError("io", "cannot create " + dir.string() + " (" + ec.message() + ")");
    ::chmod(dir.c_str(), 0700);
  }
  mode_t mode = 0600;
  struct stat st;
  if (::stat(file.c_str(), &st) == 0) mode = st.st_mode & 07777;
  std::filesystem::path temp = file;
  temp += ".brag-new";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  auto fail = [&](const std::string& what) {
    Error e = MakeError("io", what + " " + file.string() + " (" + std::strerror(errno) + ")");
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    return e;
  };
  if (fd < 0) return fail("cannot write");
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write");
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) return fail("cannot write");
  if (::close(fd) != 0) {
    fd = -1;
    return fail("cannot write");
  }
  fd = -1;
  if (::rename(temp.c_str(), file.c_str()) != 0) return fail("cannot replace");
  return {};
}

}  // namespace brag::cli
