// A Digest printed for people and scripts: Markdown (the weekly file), one
// self-contained HTML page (inline CSS and SVG charts, no script, nothing
// fetched), JSON (every field, each metric with value, unit, before, after,
// factor and direction), and the self-assessment draft of `brag review`.
// Pure: same digest, same bytes (dates in local time).
#pragma once

#include <functional>
#include <string>
#include <string_view>

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
  // items the second half is rendered on another thread into a buffer of its
  // own while this thread renders and hands over the first, then the buffer
  // follows: the same bytes, in about half the time on two cores. `item`
  // must append to the string it is given and read nothing it writes.
  template <typename Item>
  void Each(size_t n, const Item& item);
  // Everything rendered (without a flush).
  std::string Take() { return std::move(buf_); }

 private:
  static constexpr size_t kChunk = 256 * 1024;
  void Drain();

  std::string buf_;
  std::string beside_;  // what Each renders on the other thread
  Flush flush_;
};

// The items from which Each renders half on another thread.
inline constexpr size_t kItemsForTwoThreads = 4096;
void RunBeside(const std::function<void()>& second, const std::function<void()>& first);

template <typename Item>
void RenderOutput::Each(size_t n, const Item& item) {
  if (n < kItemsForTwoThreads) {
    for (size_t i = 0; i < n; ++i) {
      item(i, buf_);
      Checkpoint();
    }
    return;
  }
  size_t half = n / 2;
  // One buffer for every list, kept at the size of the largest so far: a
  // string grown from empty for each list would touch (fresh, so slow)
  // memory twice its size.
  std::string& rest = beside_;
  rest.clear();
  RunBeside(
      [&] {
        for (size_t i = half; i < n; ++i) item(i, rest);
      },
      [&] {
        for (size_t i = 0; i < half; ++i) {
          item(i, buf_);
          Checkpoint();
        }
      });
  Append(rest);
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
