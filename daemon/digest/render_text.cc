#include "digest/render_text.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "digest/render.h"
#include "digest/week.h"

namespace brag::digest {

RenderOutput::RenderOutput(Flush flush) : flush_(std::move(flush)) {
  buf_.reserve(kChunk + kChunk / 4);
}

void RenderOutput::Drain() {
  flush_(buf_);
  buf_.clear();
}

void RenderOutput::Finish() {
  if (flush_ && !buf_.empty()) Drain();
}

void RenderOutput::Append(std::string_view text) {
  while (!text.empty()) {
    size_t n = std::min(text.size(), kChunk);
    buf_.append(text.substr(0, n));
    text.remove_prefix(n);
    Checkpoint();
  }
}

void RenderOutput::EachOnTwoThreads(size_t n, const ItemFn& item) {
  // The items go in blocks, each taken by whichever thread is free first,
  // so that the two finish together however their speeds differ (a VM's
  // two vCPUs can differ by half). A block is rendered into slot
  // b % kSlots, or straight into the output when this thread takes the
  // block due next; this thread hands the slots over in order. A block is
  // sized from the text per item so far to about kBlockBytes: the slots stay
  // small (each new page of them is a page fault) and a list of mostly
  // empty items is not handed over 64 items at a time.
  constexpr size_t kSlots = 8;
  constexpr size_t kBlockBytes = 64 * 1024;
  constexpr size_t kFirstBlock = 64, kMinBlock = 16, kMaxBlock = 8192;
  slots_.resize(kSlots);
  std::mutex mu;
  std::condition_variable changed;
  // Guarded by mu. Blocks [0, taken) are taken and [0, written) handed
  // over; items [0, next) are in taken blocks; ready[s] says slot s holds
  // its block; `rendered` items gave `bytes` of text.
  size_t taken = 0, written = 0, next = 0;
  std::vector<bool> ready(kSlots, false);
  size_t rendered = 0, bytes = 0;
  // A block may be taken once the one kSlots before it, whose slot it
  // reuses, is handed over.
  auto can_take = [&] { return next < n && taken < written + kSlots; };
  struct Block {
    size_t index, begin, end;
  };
  auto take = [&] {
    size_t size = kFirstBlock;
    if (bytes > 0) size = std::clamp(kBlockBytes * rendered / bytes, kMinBlock, kMaxBlock);
    Block block{taken++, next, std::min(n, next + size)};
    next = block.end;
    return block;
  };
  auto render = [&](const Block& block, std::string& text) {
    size_t before = text.size();
    for (size_t i = block.begin; i < block.end; ++i) item(i, text);
    return text.size() - before;
  };
  std::thread beside([&] {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      changed.wait(lock, [&] { return next >= n || can_take(); });
      if (next >= n) return;
      Block block = take();
      std::string& text = slots_[block.index % kSlots];
      lock.unlock();
      text.clear();
      size_t size = render(block, text);
      lock.lock();
      rendered += block.end - block.begin;
      bytes += size;
      ready[block.index % kSlots] = true;
      changed.notify_all();
    }
  });
  std::unique_lock<std::mutex> lock(mu);
  while (next < n || written < taken) {
    size_t slot = written % kSlots;
    if (written < taken && ready[slot]) {
      lock.unlock();
      if (flush_) {
        // Handed over as it is, after what is in the buffer: not copied.
        if (!buf_.empty()) Drain();
        flush_(slots_[slot]);
      } else {
        Append(slots_[slot]);
      }
      lock.lock();
      ready[slot] = false;
      ++written;
      changed.notify_all();
    } else if (can_take()) {
      Block block = take();
      bool due = block.index == written;  // due next: straight into the output
      std::string& text = due ? buf_ : slots_[block.index % kSlots];
      lock.unlock();
      if (!due) text.clear();
      size_t size = render(block, text);
      if (due) Checkpoint();
      lock.lock();
      rendered += block.end - block.begin;
      bytes += size;
      if (due) {
        ++written;
      } else {
        ready[block.index % kSlots] = true;
      }
      changed.notify_all();
    } else {
      changed.wait(lock);
    }
  }
  lock.unlock();
  beside.join();
}

void AppendInt(std::string& out, int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

std::string WinSubject(const Win& win) {
  std::string s(win.repo_name);
  std::string what;
  if (win.pr > 0) {
    what = "#" + std::to_string(win.pr);
  } else if (win.kind == "incident_closed") {
    what = win.branch;
  }
  if (!what.empty()) s += (s.empty() ? "" : " ") + what;
  return s;
}

namespace {

// What the win is about, with its link: "payments [#481 Add index](url)".
void AppendSubjectMd(std::string& out, const Win& win) {
  size_t start = out.size();
  out += win.repo_name;
  auto space = [&] {
    if (out.size() != start) out += ' ';
  };
  if (win.pr > 0) {
    space();
    bool linked = win.has_link();
    if (linked) out += '[';
    out += '#';
    AppendInt(out, win.pr);
    if (!win.title.empty()) {
      out += ' ';
      out += win.title;
    }
    if (linked) {
      out += "](";
      win.AppendLink(out);
      out += ')';
    }
  } else if (win.kind == "incident_closed") {
    space();
    out += "incident ";
    out += win.branch;
    if (win.incident_seconds > 0) {
      out += ", closed in ";
      out += DurationText(win.incident_seconds);
    }
    if (win.incident_commits > 0) {
      out += ", ";
      AppendCounted(out, win.incident_commits, "commit");
    }
  } else if (win.kind == "pr_merged" && !win.title.empty()) {
    space();
    out += win.title;
  }
}

void AppendCode(std::string& out, std::string_view oid) {
  out += '`';
  out += ShortOid(oid);
  out += '`';
}

}  // namespace

void AppendTraceMd(std::string& out, const Win& win) {
  size_t start = out.size();
  AppendSubjectMd(out, win);
  auto separate = [&] {
    if (out.size() != start) out += " · ";
  };
  if (!win.commit.empty()) {
    separate();
    if (win.pr == 0 && win.has_link()) {
      out += '[';
      AppendCode(out, win.commit);
      out += "](";
      win.AppendLink(out);
      out += ')';
    } else {
      AppendCode(out, win.commit);
    }
  }
  AppendTraceTail(out, start, win, &AppendCode);
}

void AppendTraceTail(std::string& out, size_t start, const Win& win,
                     void (*code)(std::string&, std::string_view)) {
  auto separate = [&] {
    if (out.size() != start) out += " · ";
  };
  for (const std::string& c : win.folded_commits()) {
    separate();
    out += "via ";
    code(out, c);
  }
  const Diffstat& d = win.diffstat;
  if (d.files != 0 || d.insertions != 0 || d.deletions != 0) {
    separate();
    AppendDiffstat(out, d);
  }
  separate();
  out += "note ";
  AppendInt(out, win.note_id);
  for (int64_t id : win.folded_notes()) {
    out += ", ";
    AppendInt(out, id);
  }
}

void AppendDiffstat(std::string& out, const Diffstat& d) {
  if (d.files == 0 && d.insertions == 0 && d.deletions == 0) return;
  AppendCounted(out, d.files, "file");
  out += ", +";
  AppendInt(out, d.insertions);
  out += " -";
  AppendInt(out, d.deletions);
}

std::string DiffstatText(const Diffstat& d) {
  std::string out;
  AppendDiffstat(out, d);
  return out;
}

std::string WindowDates(const DigestWindow& w) {
  return LocalDate(w.since) + " to " + LocalDate(w.until > w.since ? w.until - 1 : w.since);
}

void AppendCounted(std::string& out, int64_t count, std::string_view noun) {
  AppendInt(out, count);
  out += ' ';
  out += noun;
  if (count != 1) out += 's';
}

std::string Counted(int64_t count, std::string_view noun) {
  std::string out;
  AppendCounted(out, count, noun);
  return out;
}

std::string DurationText(int64_t seconds) {
  int64_t minutes = seconds / 60;
  int64_t hours = minutes / 60;
  int64_t days = hours / 24;
  if (days > 0) return std::to_string(days) + "d " + std::to_string(hours % 24) + "h";
  if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes % 60) + "m";
  return std::to_string(minutes) + "m";
}

const char* DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kImproved:
      return "improved";
    case Direction::kRegressed:
      return "regressed";
    case Direction::kUnknown:
      break;
  }
  return "unknown";
}

const char* KindName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kChange:
      return "change";
    case MetricKind::kMultiplier:
      return "multiplier";
    case MetricKind::kPercent:
      return "percent";
    case MetricKind::kMoney:
      return "money";
    case MetricKind::kCount:
      return "count";
    case MetricKind::kMeasure:
      break;
  }
  return "measure";
}

}  // namespace brag::digest
