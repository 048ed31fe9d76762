// What brag expects of bragd's answers. Whatever listens on the socket may
// be another version of bragd, or not bragd at all, and answer anything: a
// result is checked against the shape docs/protocol.md gives it before any
// command reads it, so an unexpected one is an error that says so, never an
// exception or an abort.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"

namespace brag::cli {

// Error "bragd sent an unexpected reply to METHOD", code "protocol".
Error UnexpectedReply(std::string_view method);

// Ok when `result`, bragd's answer to `method`, has the members brag reads
// with their documented types (null where the protocol allows it; members
// brag does not know are let through). Methods whose result brag does not
// read are always ok.
Status CheckReply(std::string_view method, const nlohmann::json& result);

// The same for the data of a pushed "prompt" event (a prompt object).
Status CheckPushedPrompt(const nlohmann::json& data);

}  // namespace brag::cli
