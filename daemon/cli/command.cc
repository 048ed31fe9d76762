#include "cli/command.h"

#include <charconv>
#include <filesystem>
#include <system_error>

#include "cli/report.h"
#include "core/text.h"
#include "core/timeutil.h"

namespace brag::cli {

namespace fs = std::filesystem;

bool JudgesConfig(std::string_view path) { return path == "doctor"; }

int ReportError(const CommandContext& context, const Error& error) {
  return ReportError(context.err, error, context.command, context.json);
}

Result<nlohmann::json> Request(const CommandContext& context, Access access,
                               const std::string& method,
                               const nlohmann::json& params) {
  Result<std::unique_ptr<Backend>> backend =
      OpenBackend(context.config, access, &context.err);
  if (!backend) return backend.error();
  return (*backend)->Call(method, params);
}

CLI::Validator DateValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        Result<int64_t> t = ParseDate(text, UnixNow());
        return t ? std::string() : t.error().message;
      },
      "DATE");
}

std::string PromptIdProblem(const std::string& text) {
  int64_t id = 0;
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, id);
  if (ec == std::errc() && stop == end && id > 0) return std::string();
  return "\"" + InertText(text) + "\" is not a prompt id";
}

CLI::Validator PromptIdValidator() {
  return CLI::Validator([](std::string& text) { return PromptIdProblem(text); }, "ID");
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string RepoArgument(const std::string& typed) {
  std::error_code ec;
  if (typed.empty() || !fs::exists(typed, ec)) return typed;
  fs::path absolute = fs::absolute(typed, ec);
  return ec ? typed : absolute.lexically_normal().string();
}

void PrintJsonLines(std::ostream& out, const nlohmann::json& items) {
  if (!items.is_array()) return;
  for (const nlohmann::json& item : items) out << JsonLine(item);
}

}  // namespace brag::cli
