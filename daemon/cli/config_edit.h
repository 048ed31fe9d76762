// Small edits of the user's config file that keep everything else in it:
// comments, order, blank lines. `brag setup` writes [identity] emails and
// [scan] roots this way, never by re-serialising the TOML.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace brag::cli {

// A TOML array of basic strings: ["a", "b \"c\""].
std::string TomlStringArray(const std::vector<std::string>& values);

// `text` with `key` of the table `[table]` set to `value` (TOML, one line):
// the key's line is replaced (an array written over several lines with it);
// a missing key goes right under the table's header; a missing table is
// appended. Lines inside other tables, comments and a commented-out
// "# key = ..." stay as they were.
std::string SetTomlKey(std::string_view text, std::string_view table, std::string_view key,
                       std::string_view value);

// The first lines of a config file `brag setup` creates.
std::string NewConfigText();

// Writes `text` to `file` whole or not at all (a temporary file beside it,
// fsynced, renamed over it), creating its folder 0700; a new file gets mode
// 0600, an existing one keeps its mode.
Status WriteFileAtomically(const std::filesystem::path& file, const std::string& text);

}  // namespace brag::cli
