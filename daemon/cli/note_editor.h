// `brag edit ID` without TEXT: the note's text in the user's editor
// ($VISUAL, else $EDITOR, else vi), as git does for a commit message.
#pragma once

#include <string>

#include "core/result.h"

namespace brag::cli {

// Writes `text` to a private temp file, runs the editor on it (through
// /bin/sh, so "code --wait" works) with this process's terminal, and
// returns what the file holds afterwards: its lines trimmed and joined with
// single spaces (a note is one line), empty when the user emptied it. An
// editor that cannot be started, is killed or exits non-zero: error code
// "editor", saying which and how. The temp file is removed either way.
Result<std::string> EditInEditor(const std::string& text);

// The editor command EditInEditor runs.
std::string EditorCommand();

}  // namespace brag::cli
