#include "methods/params.h"

#include <limits>

#include "core/timeutil.h"

namespace brag {

using nlohmann::json;

Status ParamReader::CheckObject() const {
  if (params_.is_object() || params_.is_null()) return {};
  return MakeError("bad_request", method_ + ": params must be an object");
}

const json* ParamReader::Find(const char* name) const {
  if (!params_.is_object()) return nullptr;
  auto it = params_.find(name);
  if (it == params_.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<int64_t> ParamReader::Int(const char* name, const char* what) const {
  const json* v = Find(name);
  if (!v) return Missing(name, what);
  return AsInt(*v, name, what);
}

Result<std::optional<int64_t>> ParamReader::OptionalInt(const char* name,
                                                        const char* what) const {
  const json* v = Find(name);
  if (!v) return std::optional<int64_t>();
  Result<int64_t> i = AsInt(*v, name, what);
  if (!i) return i.error();
  return std::optional<int64_t>(*i);
}

Result<std::string> ParamReader::String(const char* name, const char* what) const {
  const json* v = Find(name);
  if (!v) return Missing(name, what);
  if (!v->is_string()) return Wrong(name, what);
  return v->get<std::string>();
}

Result<std::optional<std::string>> ParamReader::OptionalString(const char* name,
                                                               const char* what) const {
  const json* v = Find(name);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return Wrong(name, what);
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::vector<std::string>> ParamReader::Strings(const char* name,
                                                      const char* what) const {
  std::vector<std::string> out;
  const json* v = Find(name);
  if (!v) return out;
  if (!v->is_array()) return Wrong(name, what);
  for (const json& item : *v) {
    if (!item.is_string()) return Wrong(name, what);
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<bool> ParamReader::Bool(const char* name, bool fallback) const {
  const json* v = Find(name);
  if (!v) return fallback;
  if (!v->is_boolean()) return Wrong(name, "true or false");
  return v->get<bool>();
}

Result<std::optional<int64_t>> ParamReader::OptionalTime(const char* name,
                                                         int64_t now) const {
  constexpr const char* kWhat = "a date string (2026-11-02, monday, 7d) or unix seconds";
  const json* v = Find(name);
  if (!v) return std::optional<int64_t>();
  if (v->is_number_integer()) {
    Result<int64_t> i = AsInt(*v, name, kWhat);
    if (!i) return i.error();
    return std::optional<int64_t>(*i);
  }
  if (!v->is_string()) return Wrong(name, kWhat);
  Result<int64_t> t = ParseDate(v->get<std::string>(), now);
  if (!t) return Invalid(name, t.error());
  return std::optional<int64_t>(*t);
}

bool ParamReader::IsInteger(const char* name) const {
  const json* v = Find(name);
  return v && v->is_number_integer();
}

Result<int64_t> ParamReader::AsInt(const json& v, const char* name,
                                   const char* what) const {
  if (!v.is_number_integer()) return Wrong(name, what);
  if (v.is_number_unsigned() &&
      v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
    return Wrong(name, what);
  }
  return v.get<int64_t>();
}

Error ParamReader::Missing(const char* name, const char* what) const {
  return MakeError("bad_request", method_ + ": missing parameter \"" + name +
                                      "\" (expected " + what + ")");
}

Error ParamReader::Wrong(const char* name, const char* what) const {
  return MakeError("bad_request", method_ + ": parameter \"" + name + "\" must be " + what);
}

Error ParamReader::Invalid(const char* name, const Error& why) const {
  return MakeError("bad_request", method_ + ": parameter \"" + name + "\": " + why.message);
}

}  // namespace brag
