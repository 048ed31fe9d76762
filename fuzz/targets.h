// The entry functions of brag's libFuzzer targets (fuzz/fuzz_*.cc), shared
// with the corpus replay test (tests/fuzz/corpus_replay_test.cc) so that it
// runs the very same code under g++. Each takes any bytes; a broken
// invariant aborts (with a message on stderr), as a crash does.
#pragma once

#include <cstddef>
#include <cstdint>

namespace brag::fuzz {

// Bytes cut into lines by protocol::LineBuffer (fed in chunks of the first
// byte's size), each line through ParseRequest and then the reply or error
// line bragd would write. Invariants: every produced line is one valid JSON
// line ending in '\n'; a line over the limit gives kTooLong, never a line.
void ProtocolLines(const uint8_t* data, size_t size);

// The bytes as a config file's text (ParseConfigText): a Config or an
// error "config", never a crash.
void ConfigLoader(const uint8_t* data, size_t size);

// The bytes as a note's text through impact::ExtractMetrics and FormatMetric.
void Metrics(const uint8_t* data, size_t size);

// The bytes as a commit message through detect's parsers: SplitMessage,
// LastParagraph, CoAuthorEmails, SummarizeMessage and ClassifyCommit (as a
// one- and a two-parent commit).
void CommitMessages(const uint8_t* data, size_t size);

// The bytes through the hook's git-file readers: as HEAD's text, as
// packed-refs, inflated as a loose object and parsed as a commit, and parsed
// directly as an inflated object.
void GitFiles(const uint8_t* data, size_t size);

}  // namespace brag::fuzz
