// Request ids that come back as they were sent. bragd echoes a request's
// `id`, and nlohmann holds any number that is not an integer of 64 bits
// (1.5, 1e2, a 30-digit integer) as a double, which it would write back
// rewritten ("1.2345678901234568e+29"): a client could not match its reply.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"

namespace brag::protocol {

// Ok unless `id`, the "id" member parsed from the request `line`, holds such
// a number; then "bad_request", quoting the number as it is in `line`.
Status CheckRequestId(std::string_view line, const nlohmann::json& id);

}  // namespace brag::protocol
