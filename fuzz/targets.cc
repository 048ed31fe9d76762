#include "fuzz/targets.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "detect/forge_marker.h"
#include "detect/impact_trailer.h"
#include "detect/message_text.h"
#include "impact/metrics.h"
#include "protocol/message.h"
#include "quickhook/git_files.h"

namespace brag::fuzz {
namespace {

using nlohmann::json;

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

void CheckLine(const std::string& out) {
  Check(!out.empty() && out.back() == '\n', "a produced line ends in '\\n'");
  std::string_view body(out.data(), out.size() - 1);
  Check(body.find('\n') == std::string_view::npos, "a produced line is one line");
  Check(json::accept(body), "a produced line is valid JSON");
}

}  // namespace

void ProtocolLines(const uint8_t* data, size_t size) {
  if (size == 0) return;
  // A small limit, so that inputs of a few KB reach kTooLong.
  constexpr size_t kLimit = 512;
  size_t chunk = data[0] % 64 + 1;
  ++data;
  --size;
  protocol::LineBuffer buffer(kLimit);
  size_t pending = 0;  // bytes appended since the last '\n'
  std::string line;
  for (size_t off = 0; off < size; off += chunk) {
    size_t n = std::min(chunk, size - off);
    buffer.Append(reinterpret_cast<const char*>(data + off), n);
    for (size_t k = 0; k < n; ++k) pending = data[off + k] == '\n' ? 0 : pending + 1;
    for (;;) {
      protocol::LineBuffer::Next next = buffer.Pop(&line);
      if (next == protocol::LineBuffer::Next::kTooLong) return;  // the buffer is done
      if (next == protocol::LineBuffer::Next::kNeedMore) {
        Check(pending <= kLimit, "a line over the limit gives kTooLong");
        break;
      }
      Check(line.size() <= kLimit, "a popped line is within the limit");
      Check(line.find('\n') == std::string::npos, "a popped line has no '\\n'");
      json id;
      Result<protocol::Request> req = protocol::ParseRequest(line, &id);
      std::string out;
      if (req) {
        Check(req->params.is_object(), "params is an object");
        out = protocol::ReplyLine(req->id, json{{"method", req->method}, {"params", req->params}});
      } else {
        Check(req.error().code == "parse_error" || req.error().code == "bad_request",
              "a refused request is parse_error or bad_request");
        out = protocol::ErrorLine(id, req.error().code, req.error().message);
      }
      CheckLine(out);
    }
  }
}

void ConfigLoader(const uint8_t* data, size_t size) {
  std::vector<std::string> warnings;
  Result<Config> config = ParseConfigText(Text(data, size), "fuzz.toml", &warnings);
  if (!config) Check(config.error().code == "config", "a config error has code config");
}

void Metrics(const uint8_t* data, size_t size) {
  std::string out;
  for (const impact::Metric& m : impact::ExtractMetrics(Text(data, size))) {
    impact::AppendMetric(out, m);
  }
}

void CommitMessages(const uint8_t* data, size_t size) {
  std::string_view message = Text(data, size);
  auto [subject, body] = detect::SplitMessage(message);
  (void)detect::LastParagraph(body);
  (void)detect::CoAuthorEmails(message);
  (void)detect::ImpactLines(message);
  (void)detect::SummarizeMessage(message);
  detect::CommitFacts commit;
  commit.oid = std::string(40, 'a');
  commit.message = std::string(message);
  commit.author_email = "me@example.com";
  // The message's last paragraph as trailers, roughly as git reads them.
  detect::ForEachLine(detect::LastParagraph(body), [&](std::string_view line) {
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      commit.trailers.emplace_back(std::string(line.substr(0, colon)),
                                   std::string(detect::Trim(line.substr(colon + 1))));
    }
  });
  const std::vector<std::string> mainlines{"main", "master"};
  for (int parents : {1, 2}) {
    commit.parent_count = parents;
    (void)detect::ClassifyCommit(commit, mainlines);
  }
}

void GitFiles(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string ref;
  std::optional<quickhook::Head> head = quickhook::ParseHeadText(bytes, &ref);
  if (head && !ref.empty()) Check(head->oid.empty(), "a symbolic HEAD has no oid yet");
  (void)quickhook::FindPackedRef(bytes, "refs/heads/main");
  if (std::optional<std::string> object = quickhook::InflateObject(bytes)) {
    Check(object->size() <= quickhook::kMaxLooseObjectBytes, "inflating is bounded");
    (void)quickhook::ParseCommitObject(*object);
  }
  (void)quickhook::ParseCommitObject(bytes);
  (void)quickhook::ParseConfigRemotes(bytes);
}

}  // namespace brag::fuzz
