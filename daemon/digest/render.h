// A Digest printed for people and scripts: Markdown (the weekly file), one
// self-contained HTML page (inline CSS and SVG charts, no script, nothing
// fetched), JSON (every field, each metric with value, unit, before, after,
// factor, direction and the fragment of the note that states it), and the
// self-assessment draft of `brag review`. The quantified-impact section shows
// each metric once, beside its fragment rather than the whole note.
// Pure: same digest, same bytes (dates in local time).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "digest/digest.h"

namespace brag::digest {

// Where a rendering goes. Renderers append to buf() and call Checkpoint()
// between wins; with a `flush`, a Checkpoint hands the text over once it
// passes a chunk (256 KiB), so a long digest is written out as it goes.
// Without one, everything stays in the buffer for Take().
class RenderOutput {
 public:
  using Flush = std::function<void(std::string_view)>;

  RenderOutput() = default;
  explicit RenderOutput(Flush flush) : flush_(std::move(flush)) {}

  std::string& buf() { return buf_; }
  void Checkpoint() {
    if (flush_ && buf_.size() >= kChunk) Drain();
  }
  // Hands over what is left (with a flush); call once rendering is done.
  void Finish() {
    if (flush_ && !buf_.empty()) Drain();
  }
  // Everything rendered (without a flush).
  std::string Take() { return std::move(buf_); }

 private:
  static constexpr size_t kChunk = 256 * 1024;
  void Drain() {
    flush_(buf_);
    buf_.clear();
  }

  std::string buf_;
  Flush flush_;
};

void RenderMarkdown(const Digest& digest, RenderOutput& out);
void RenderHtml(const Digest& digest, RenderOutput& out);
// Pretty-printed (two spaces), ending in a newline.
void RenderJson(const Digest& digest, RenderOutput& out);
// The self-assessment draft in Markdown: wins grouped by category, each as
// what I did -> impact -> what's next with its PR/commit and note, strongest
// (quantified, largest factor) first within a category.
void RenderReview(const Digest& digest, RenderOutput& out);

// The same, as one string.
std::string RenderMarkdown(const Digest& digest);
std::string RenderHtml(const Digest& digest);
std::string RenderJson(const Digest& digest);
std::string RenderReview(const Digest& digest);

}  // namespace brag::digest
