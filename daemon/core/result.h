// Result<T>: a value or an Error, with std::expected's member names so the
// switch to std::expected (C++23) is a one-line alias. Every fallible call in
// brag returns one; exceptions never cross a folder's API.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace brag {

// What went wrong. `code` is a short machine word (also the wire error code,
// see docs/protocol.md); `message` says what and where, for a human.
struct Error {
  std::string code;
  std::string message;
};

inline Error MakeError(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace brag
