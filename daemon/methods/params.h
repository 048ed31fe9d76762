// The one reader of a request's params (docs/protocol.md). Every failure is
// a "bad_request" whose message names the method, the parameter and what
// was expected, so that a script's author can fix the call from the message
// alone. An absent parameter and one given as null both mean "not given".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace brag {

// Reads `params` of `method`; both must outlive the reader.
class ParamReader {
 public:
  ParamReader(const std::string& method, const nlohmann::json& params)
      : method_(method), params_(params) {}

  const std::string& method() const { return method_; }
  // All of them, as given (for a method that passes them on whole).
  const nlohmann::json& raw() const { return params_; }

  // Params must be an object (or absent).
  Status CheckObject() const;

  Result<int64_t> Int(const char* name, const char* what) const;
  Result<std::optional<int64_t>> OptionalInt(const char* name, const char* what) const;
  Result<std::string> String(const char* name, const char* what) const;
  Result<std::optional<std::string>> OptionalString(const char* name,
                                                    const char* what) const;
  // An array of strings; empty when not given.
  Result<std::vector<std::string>> Strings(const char* name, const char* what) const;
  // A boolean; `fallback` when not given.
  Result<bool> Bool(const char* name, bool fallback) const;
  // A time given as unix seconds or as a date string (ParseDate's forms).
  Result<std::optional<int64_t>> OptionalTime(const char* name, int64_t now) const;
  bool IsInteger(const char* name) const;

  // The raw value of a parameter of another shape, nullptr when not given.
  const nlohmann::json* Find(const char* name) const;

  // The errors, for parameters read by hand.
  Error Missing(const char* name, const char* what) const;
  Error Wrong(const char* name, const char* what) const;
  Error Invalid(const char* name, const Error& why) const;

 private:
  Result<int64_t> AsInt(const nlohmann::json& v, const char* name, const char* what) const;

  const std::string& method_;
  const nlohmann::json& params_;
};

}  // namespace brag
