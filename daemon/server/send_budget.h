// The bytes bragd holds for its clients: replies and pushed events queued by
// every session and not yet written, summed against one limit. Past it,
// sessions read no more requests until writes bring the sum back under, so
// no mix of clients can make bragd grow without bound. io thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>

namespace brag {

class SendBudget {
 public:
  // `on_exceeded` runs when the sum passes `limit`, `on_relieved` when it
  // falls back to `limit` or under; neither may call Add or Release.
  SendBudget(size_t limit, std::function<void()> on_exceeded,
             std::function<void()> on_relieved)
      : limit_(limit),
        on_exceeded_(std::move(on_exceeded)),
        on_relieved_(std::move(on_relieved)) {}

  void Add(size_t bytes) {
    bool was_over = exceeded();
    queued_ += bytes;
    if (!was_over && exceeded() && on_exceeded_) on_exceeded_();
  }
  void Release(size_t bytes) {
    bool was_over = exceeded();
    queued_ -= bytes;
    if (was_over && !exceeded() && on_relieved_) on_relieved_();
  }
  bool exceeded() const { return queued_ > limit_; }
  size_t queued() const { return queued_; }

 private:
  size_t limit_;
  size_t queued_ = 0;
  std::function<void()> on_exceeded_;
  std::function<void()> on_relieved_;
};

}  // namespace brag
