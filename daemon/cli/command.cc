#include "cli/command.h"

#include "core/timeutil.h"

#include <filesystem>
#include <system_error>

namespace brag::cli {

namespace fs = std::filesystem;

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
