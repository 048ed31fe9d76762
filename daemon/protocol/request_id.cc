#include "protocol/request_id.h"

#include <cstddef>
#include <string>

namespace brag::protocol {
namespace {

using nlohmann::json;

// Reads a request again, as SAX events, for the text of the first number
// held as a double inside its top-level "id" member (the last one, as the
// parsed document keeps the last of repeated keys): the parsed value has
// lost it.
class IdNumberText : public nlohmann::json_sax<json> {
 public:
  const std::string& text() const { return text_; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t& sent) override {
    if (in_id_ && text_.empty()) text_ = sent;
    return true;
  }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    ++depth_;
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ == 1) {
      in_id_ = name == "id";
      if (in_id_) text_.clear();
    }
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const json::exception&) override {
    return false;
  }

 private:
  int depth_ = 0;
  bool in_id_ = false;  // the value being read belongs to the top-level "id"
  std::string text_;
};

}  // namespace

Status CheckRequestId(std::string_view line, const json& id) {
  if (!id.is_number_float() && !id.is_structured()) return {};
  IdNumberText finder;
  json::sax_parse(line, &finder);
  if (finder.text().empty()) return {};
  return MakeError("bad_request",
                   "the request id " + finder.text() +
                       " is not an integer of 64 bits: it could not be echoed back as "
                       "sent (use an integer or a string)");
}

}  // namespace brag::protocol
