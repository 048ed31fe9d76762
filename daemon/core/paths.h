// Where brag's files live by default (DESIGN §3): XDG base directories with
// the documented fallbacks. Every function reads the environment at call time.
#pragma once

#include <filesystem>
#include <string>

namespace brag {

// "~" and "~/x" become $HOME and $HOME/x; anything else is returned as is.
std::filesystem::path ExpandHome(const std::string& path);

// $XDG_CONFIG_HOME/brag/config.toml, else ~/.config/brag/config.toml.
std::filesystem::path DefaultConfigPath();
// $XDG_DATA_HOME/brag, else ~/.local/share/brag.
std::filesystem::path DefaultDataDir();
std::filesystem::path DefaultJournalPath();
std::filesystem::path DefaultDigestDir();
// $XDG_STATE_HOME/brag, else ~/.local/state/brag: what brag keeps between
// runs that is neither config nor journal (the prompt's line history).
std::filesystem::path DefaultStateDir();
// $XDG_RUNTIME_DIR/brag/bragd.sock, else $TMPDIR/brag-$UID/bragd.sock
// (TMPDIR defaulting to /tmp).
std::filesystem::path DefaultSocketPath();

}  // namespace brag
