// The digest family: `digest` (the week's wins, or any window's) and
// `review` (the self-assessment draft). Both read the journal file directly,
// read-only, whether bragd runs or not: SQLite lets a reader in beside the
// daemon, and a digest of months can be far larger than a protocol line (64
// KiB), which the `digest` method of bragd is limited to. The same code
// (methods/digest_method.h) builds the digest either way.
#include <chrono>

#include "cli/command.h"
#include "cli/polish.h"
#include "cli/report.h"
#include "core/atomic_file.h"
#include "core/timeutil.h"
#include "digest/week.h"
#include "methods/digest_method.h"

namespace brag::cli {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kPolishTimeout{60};
constexpr const char* kReviewSince = "6 months ago";

CLI::Validator WeekValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        Result<digest::IsoWeek> week = digest::ParseIsoWeek(text);
        return week ? std::string() : week.error().message;
      },
      "YYYY-Www");
}

// The journal as it is on disk, read-only; null when there is none yet.
Result<std::unique_ptr<Journal>> OpenJournalToRead(const Config& config) {
  if (Status s = FileSpool(config); !s) return s.error();
  Result<std::unique_ptr<Journal>> journal =
      OpenJournal(JournalPath(config), Journal::Mode::kReadOnly);
  if (!journal && journal.error().code == "not_found") return std::unique_ptr<Journal>();
  return journal;
}

// The window's digest, read from the journal file.
Result<digest::Digest> ReadDigest(const CommandContext& context, const json& params) {
  Result<digest::DigestWindow> window = DigestWindowFor(params, context.now);
  if (!window) return window.error();
  Result<std::unique_ptr<Journal>> journal = OpenJournalToRead(context.config);
  if (!journal) return journal.error();
  return LoadDigest(journal->get(), context.config, *window);
}

// The window's digest rendered as `format`.
Result<std::string> DigestText(const CommandContext& context, const json& params,
                               const std::string& format) {
  Result<digest::Digest> digest = ReadDigest(context, params);
  if (!digest) return digest.error();
  return RenderDigest(*digest, format);
}

// The window's digest rendered as `format` straight to stdout, chunk by
// chunk: a digest of years is tens of MB of text, never held whole.
int PrintDigest(CommandContext& context, const json& params, const std::string& format) {
  Result<digest::Digest> digest = ReadDigest(context, params);
  if (!digest) return ReportError(context, digest.error());
  digest::RenderOutput out([&](std::string_view chunk) {
    context.out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  });
  if (Status s = RenderDigest(*digest, format, out); !s) {
    return ReportError(context, s.error());
  }
  context.out.flush();
  return kExitOk;
}

int Emit(CommandContext& context, const Args& args, const std::string& text) {
  if (args.output.empty()) {
    context.out << text;
    return kExitOk;
  }
  // Private whatever the umask: a digest or review is the user's record.
  if (Status s = WriteFileAtomically(args.output, text, 0600); !s) {
    return ReportError(context, s.error());
  }
  return kExitOk;
}

json WindowParams(const Args& args) {
  json params = json::object();
  if (!args.week.empty()) params["week"] = args.week;
  if (!args.since.empty()) params["since"] = args.since;
  if (!args.before.empty()) params["until"] = args.before;
  return params;
}

// --- digest --------------------------------------------------------------------

void DefineDigest(CLI::App& command, Args& args) {
  CLI::Option* week =
      command.add_option("--week", args.week, "An ISO week, 2026-W48 (default: this week)")
          ->check(WeekValidator());
  command.add_option("--since", args.since, "From this date (2026-11-02, monday, 7d)")
      ->check(DateValidator())
      ->excludes(week);
  command.add_option("--until", args.before, "Before this date (default: now)")
      ->check(DateValidator())
      ->excludes(week);
  command
      .add_option("--format", args.format, "md, html or json (default: [digest] format)")
      ->check(CLI::IsMember({"md", "markdown", "html", "json"}));
  command.add_option("-o,--output", args.output, "Write it to FILE (atomically)");
}

int RunDigest(CommandContext& context, const Args& args) {
  std::string format = args.format.empty() ? context.config.digest_format : args.format;
  if (args.output.empty()) return PrintDigest(context, WindowParams(args), format);
  Result<std::string> text = DigestText(context, WindowParams(args), format);
  if (!text) return ReportError(context, text.error());
  return Emit(context, args, *text);
}

// --- review --------------------------------------------------------------------

void DefineReview(CLI::App& command, Args& args) {
  command.add_option("--since", args.since, "From this date (default: 6 months ago)")
      ->check(DateValidator());
  command.add_option("--until", args.before, "Before this date (default: now)")
      ->check(DateValidator());
  command.add_option("-o,--output", args.output, "Write it to FILE (atomically)");
}

int RunReview(CommandContext& context, const Args& args) {
  json params = WindowParams(args);
  // No until: the window then runs through this second (DigestWindowFor).
  if (!params.contains("since")) params["since"] = kReviewSince;
  // A config others could have written must not choose what runs as us
  // (LoadConfigFile has warned).
  const std::string& polish = context.config.untrusted_for_programs.empty()
                                  ? context.config.polish_command
                                  : std::string();
  if (polish.empty() && args.output.empty()) return PrintDigest(context, params, "review");
  Result<std::string> draft = DigestText(context, params, "review");
  if (!draft) return ReportError(context, draft.error());
  if (polish.empty()) return Emit(context, args, *draft);
  context.out.flush();
  Result<std::string> polished = RunPolishCommand(polish, *draft, kPolishTimeout);
  if (!polished) {
    ReportWarning(context.err, "polish_command failed, the draft is as brag wrote it (" +
                                   polished.error().message + ")");
    return Emit(context, args, *draft);
  }
  return Emit(context, args, *polished);
}

}  // namespace

std::vector<CommandSpec> DigestCommands() {
  return {
      {"digest", "The week's wins by category, impact numbers and what to sharpen",
       &DefineDigest, &RunDigest},
      {"review", "Draft your self-assessment: what I did -> impact -> what's next",
       &DefineReview, &RunReview},
  };
}

}  // namespace brag::cli
