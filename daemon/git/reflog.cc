#include "git/reflog.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace brag::git {
namespace {

bool IsHex(const std::string& s) {
  if (s.size() != 40 && s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// "<old> <new> <name> <<email>> <time> <tz>\t<message>"
bool ParseLine(const std::string& line, ReflogEntry* e) {
  size_t tab = line.find('\t');
  std::string head = line.substr(0, tab);
  e->message = tab == std::string::npos ? "" : line.substr(tab + 1);
  size_t sp1 = head.find(' ');
  if (sp1 == std::string::npos) return false;
  size_t sp2 = head.find(' ', sp1 + 1);
  if (sp2 == std::string::npos) return false;
  e->old_oid = head.substr(0, sp1);
  e->new_oid = head.substr(sp1 + 1, sp2 - sp1 - 1);
  if (!IsHex(e->old_oid) || !IsHex(e->new_oid)) return false;
  size_t close = head.rfind('>');
  if (close == std::string::npos) return false;
  std::istringstream when(head.substr(close + 1));
  long long time = 0;
  if (!(when >> time)) return false;
  e->time = time;
  return true;
}

}  // namespace

Result<ReflogChunk> ReadReflog(const std::filesystem::path& file, uint64_t offset) {
  ReflogChunk chunk;
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(file, ec);
  if (ec) return chunk;  // no reflog (core.logAllRefUpdates off, bare repo)
  if (size < offset) offset = 0;
  chunk.end = offset;
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError("git", "cannot read " + file.string());
  in.seekg(static_cast<std::streamoff>(offset));
  std::string data(size - offset, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  size_t pos = 0;
  for (;;) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string::npos) break;
    ReflogEntry e;
    if (ParseLine(data.substr(pos, nl - pos), &e)) chunk.entries.push_back(std::move(e));
    pos = nl + 1;
  }
  chunk.end = offset + pos;
  return chunk;
}

}  // namespace brag::git
