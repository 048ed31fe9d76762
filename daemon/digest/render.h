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
#include <thread>
#include <vector>

#include "digest/digest.h"

namespace brag::digest {

// Where a rendering goes. Renderers append to buf() and call Checkpoint()
// between wins; with a `flush`, a Checkpoint hands the text over once it
// passes a chunk (256 KiB) and reuses the buffer, so a digest of 100k wins
// is written through a few hundred KiB of memory instead of held whole.
// Without one, everything stays in the buffer for Take().
class RenderOutput {
 public:
  using Flush = std::function<void(std::string_view)>;

  RenderOutput() = default;
  explicit RenderOutput(Flush flush);

  std::string& buf() { return buf_; }
  void Checkpoint() {
    if (flush_ && buf_.size() >= kChunk) Drain();
  }
  // Hands over what is left (with a flush); call once rendering is done.
  void Finish();
  // Appends text rendered elsewhere, handing it over chunk by chunk.
  void Append(std::string_view text);

  // Renders `item(i, text)` for every i in [0, n), in order. Over many
  // items, blocks of them alternate between this thread, which renders
  // straight into the output, and another, which renders into a few
  // buffers this one hands over in turn (to the flush as they are, not
  // copied): the same bytes, in about half the time on two cores, through
  // about a MB of memory however long the list. `item` must append to the
  // string it is given and read nothing it writes.
  template <typename Item>
  void Each(size_t n, const Item& item);
  // Everything rendered (without a flush).
  std::string Take() { return std::move(buf_); }

 private:
  static constexpr size_t kChunk = 256 * 1024;
  void Drain();

  std::string buf_;
  using ItemFn = std::function<void(size_t, std::string&)>;
  void EachOnTwoThreads(size_t n, const ItemFn& item);
  std::vector<std::string> slots_;  // blocks rendered on the other thread
  Flush flush_;
};

// The items from which Each uses a second thread.
inline constexpr size_t kItemsForTwoThreads = 4096;

template <typename Item>
void RenderOutput::Each(size_t n, const Item& item) {
  if (n >= kItemsForTwoThreads && std::thread::hardware_concurrency() > 1) {
    EachOnTwoThreads(n, item);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    item(i, buf_);
    Checkpoint();
  }
}

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
