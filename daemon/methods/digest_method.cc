#include "methods/digest_method.h"

#include <optional>
#include <system_error>

#include "core/atomic_file.h"
#include "core/timeutil.h"
#include "digest/render.h"
#include "digest/week.h"
#include "git/repo.h"
#include "methods/registry.h"
#include "quickhook/git_files.h"

namespace brag {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int64_t kWeekSeconds = 7 * 86400;

Error BadParam(const std::string& name, const std::string& why) {
  return MakeError("bad_request", "digest: parameter \"" + name + "\": " + why);
}

// A time parameter: unix seconds (1970..9999 only, so that the window
// arithmetic cannot overflow) or a date string.
Result<std::optional<int64_t>> TimeParam(const ParamReader& p, const char* name,
                                         int64_t now) {
  const json* v = p.Find(name);
  if (!v) return std::optional<int64_t>();
  if (v->is_number_integer()) {
    bool in_range = v->is_number_unsigned()
                        ? v->get<uint64_t>() <= static_cast<uint64_t>(kMaxUnixTime)
                        : InUnixTimeRange(v->get<int64_t>());
    if (!in_range) {
      return BadParam(name, "unix seconds out of range (" + std::to_string(kMinUnixTime) +
                                " to " + std::to_string(kMaxUnixTime) + ", years 1970 to 9999)");
    }
    return std::optional<int64_t>(v->get<int64_t>());
  }
  return p.OptionalTime(name, now);
}

// The URL of the first of `remotes` that `repo` has one for: from its config
// file, read as a plain file, or through libgit2 (whose start-up alone takes
// ~10 ms: it loads the system's TLS certificates) when the file has what
// that reader leaves to it (include sections).
std::optional<std::string> RemoteUrlOf(const std::string& repo,
                                       const std::vector<std::string>& remotes) {
  quickhook::ConfigRemotes config = quickhook::ReadConfigRemotes(repo);
  if (config.known) {
    for (const std::string& name : remotes) {
      auto url = config.urls.find(name);
      if (url != config.urls.end() && !url->second.empty()) return url->second;
    }
    return std::nullopt;
  }
  git::EnsureInit();
  Result<git::Repo> opened = git::Repo::Open(repo);
  if (!opened) return std::nullopt;  // moved or deleted since: no links, still a digest
  for (const std::string& name : remotes) {
    Result<std::optional<std::string>> url = opened->RemoteUrl(name);
    if (url && *url) return **url;
  }
  return std::nullopt;
}

std::string Extension(const std::string& format) {
  if (format == "html") return ".html";
  if (format == "json") return ".json";
  return ".md";
}

}  // namespace

Result<std::vector<digest::CategoryRule>> CategoryRulesFor(const Config& config) {
  std::vector<digest::CategoryRule> extra;
  for (const CategoryConfig& c : config.digest_categories) {
    extra.push_back({c.id, c.title, c.tags, c.words, c.paths});
  }
  return digest::MergeRules(digest::DefaultCategoryRules(), extra);
}

Result<digest::Digest> LoadDigest(Journal* journal, const Config& config,
                                  const digest::DigestWindow& window) {
  Result<std::vector<digest::CategoryRule>> rules = CategoryRulesFor(config);
  if (!rules) return rules.error();
  digest::DigestBuilder builder(window, *rules);
  if (journal) {
    Result<int64_t> rows = journal->history().DigestRowsBound();
    if (!rows) return MakeError("journal", rows.error().message);
    builder.Reserve(static_cast<size_t>(*rows));
    Status read = journal->history().ForEachDigestRow(
        window.since, window.until, [&](const DigestRow& row) { builder.Add(row); });
    if (!read) return MakeError("journal", read.error().message);
  }
  digest::RemoteUrls urls;
  for (const std::string& repo : builder.repos()) {
    if (std::optional<std::string> url = RemoteUrlOf(repo, config.remotes)) urls[repo] = *url;
  }
  return builder.Finish(urls);
}

Status RenderDigest(const digest::Digest& digest, const std::string& format,
                    digest::RenderOutput& out) {
  if (format == "markdown" || format == "md") {
    digest::RenderMarkdown(digest, out);
  } else if (format == "html") {
    digest::RenderHtml(digest, out);
  } else if (format == "json") {
    digest::RenderJson(digest, out);
  } else if (format == "review") {
    digest::RenderReview(digest, out);
  } else {
    return MakeError("bad_request", "digest: parameter \"format\": '" + format +
                                        "' is not one of markdown, md, html, json, review");
  }
  return {};
}

Result<std::string> RenderDigest(const digest::Digest& digest, const std::string& format) {
  digest::RenderOutput out;
  if (Status s = RenderDigest(digest, format, out); !s) return s.error();
  return out.Take();
}

Result<digest::DigestWindow> DigestWindowFor(const json& params, int64_t now) {
  const std::string method = "digest";
  ParamReader p(method, params);
  if (Status s = p.CheckObject(); !s) return s.error();
  return DigestWindowFor(p, now);
}

Result<digest::DigestWindow> DigestWindowFor(const ParamReader& p, int64_t now) {
  Result<std::optional<std::string>> given_week =
      p.OptionalString("week", "an ISO week like 2026-W48");
  if (!given_week) return given_week.error();
  std::string week = given_week->value_or("");
  Result<std::optional<int64_t>> since = TimeParam(p, "since", now);
  if (!since) return since.error();
  Result<std::optional<int64_t>> until = TimeParam(p, "until", now);
  if (!until) return until.error();
  if (!week.empty() && (*since || *until))
    return BadParam("week", "give either week or since/until, not both");
  digest::DigestWindow window;
  if (!week.empty() || (!*since && !*until)) {
    digest::IsoWeek iso = digest::IsoWeekOf(now);
    if (!week.empty()) {
      Result<digest::IsoWeek> parsed = digest::ParseIsoWeek(week);
      if (!parsed) return BadParam("week", parsed.error().message);
      iso = *parsed;
    }
    digest::TimeRange range = digest::WeekRange(iso);
    return digest::DigestWindow{range.since, range.until, digest::FormatIsoWeek(iso)};
  }
  // Until now means through the current second: the window's end is
  // exclusive, and a note filed this second is in.
  window.until = until->value_or(now + 1);
  window.since = since->value_or(window.until - kWeekSeconds);
  if (window.since >= window.until) {
    return BadParam(*since ? "since" : "until",
                    "it would start on " + digest::LocalDate(window.since) +
                        " and end on " + digest::LocalDate(window.until - 1) +
                        "; the start must come first");
  }
  return window;
}

namespace {

// The `digest` method: params {week?, since?, until?, format?} (format
// "markdown" by default); result {"format", "text", "since", "until",
// "week"}. Text longer than kMaxDigestReplyBytes is refused with code
// "too_large" (`brag digest -o FILE` writes any size).
Result<json> DigestMethod(const MethodCall& c) {
  int64_t now = c.context.now;
  Result<digest::DigestWindow> window = DigestWindowFor(c.params, now);
  if (!window) return window.error();
  Result<std::optional<std::string>> given_format =
      c.params.OptionalString("format", "markdown, md, html, json or review");
  if (!given_format) return given_format.error();
  Result<std::string> format = given_format->value_or("markdown");
  if (*format == "md") *format = "markdown";
  Result<digest::Digest> digest = LoadDigest(c.context.journal, c.config(), *window);
  if (!digest) return digest.error();
  // Rendered in chunks, keeping no more than a reply carries: a window of
  // years is refused without holding its whole text.
  std::string text;
  size_t size = 0;
  digest::RenderOutput out([&](std::string_view chunk) {
    size += chunk.size();
    if (size <= kMaxDigestReplyBytes) text.append(chunk);
  });
  if (Status s = RenderDigest(*digest, *format, out); !s) return s.error();
  if (size > kMaxDigestReplyBytes) {
    return MakeError("too_large",
                     "digest: the " + *format + " text is " + std::to_string(size) +
                         " bytes, more than a reply carries (" +
                         std::to_string(kMaxDigestReplyBytes) +
                         "); narrow the window, or run `brag digest -o FILE`");
  }
  return json{{"format", *format},
              {"text", std::move(text)},
              {"since", FormatIsoUtc(window->since)},
              {"until", FormatIsoUtc(window->until)},
              {"week", window->label.empty() ? json(nullptr) : json(window->label)}};
}

}  // namespace

void AddDigestMethods(std::vector<MethodSpec>& methods) {
  methods.push_back({.name = "digest", .run = &DigestMethod, .read_only = true});
}

Result<std::vector<fs::path>> WriteWeeklyDigest(Journal& journal, const Config& config,
                                                digest::IsoWeek week,
                                                const std::vector<std::string>& formats,
                                                const fs::path& dir) {
  digest::TimeRange range = digest::WeekRange(week);
  std::string label = digest::FormatIsoWeek(week);
  Result<digest::Digest> digest =
      LoadDigest(&journal, config, digest::DigestWindow{range.since, range.until, label});
  if (!digest) return digest.error();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return MakeError("io", "cannot create " + dir.string() + " (" + ec.message() + ")");
  }
  fs::permissions(dir, fs::perms::owner_all, ec);  // notes are private
  std::vector<std::string> wanted = formats.empty() ? std::vector<std::string>{"markdown"}
                                                    : formats;
  std::vector<fs::path> written;
  for (const std::string& format : wanted) {
    Result<std::string> text = RenderDigest(*digest, format == "review" ? "" : format);
    if (!text) return text.error();
    fs::path file = dir / (label + Extension(format));
    if (Status s = WriteFileAtomically(file, *text, 0600); !s) return s.error();
    written.push_back(file);
  }
  return written;
}

}  // namespace brag
