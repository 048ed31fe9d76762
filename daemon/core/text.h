// Text from outside (PR titles, commit subjects, branch names, notes, repo
// paths, messages quoting repo files) made inert for a terminal or a log
// line: anything a terminal would act on is shown visibly instead, so a
// title holding "\e]0;...\a" or "\e[2J" prints as those characters and moves
// nothing. Letters of every script (é, 中, emoji) pass untouched.
#pragma once

#include <string>
#include <string_view>

namespace brag {

// `text` as one inert line: ESC as "\e"; other C0 controls and DEL as
// "\xNN"; C1 controls encoded in UTF-8 (U+0080..U+009F) as "\u00NN"; each
// byte that is not part of valid UTF-8 as "\xNN"; newline, carriage return
// and tab as a space, so a field stays on its line.
std::string InertText(std::string_view text);
void AppendInertText(std::string& out, std::string_view text);

}  // namespace brag
