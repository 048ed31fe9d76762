#include "digest/render_text.h"

#include "digest/week.h"

namespace brag::digest {

std::string WinSubject(const Win& win) {
  std::string s = win.repo_name;
  std::string what;
  if (win.pr > 0) {
    what = "#" + std::to_string(win.pr);
  } else if (win.kind == "incident_closed") {
    what = win.branch;
  }
  if (!what.empty()) s += (s.empty() ? "" : " ") + what;
  return s;
}

std::string DiffstatText(const Diffstat& d) {
  if (d.files == 0 && d.insertions == 0 && d.deletions == 0) return "";
  return Counted(d.files, "file") + ", +" + std::to_string(d.insertions) + " -" +
         std::to_string(d.deletions);
}

std::string WindowDates(const DigestWindow& w) {
  return LocalDate(w.since) + " to " + LocalDate(w.until > w.since ? w.until - 1 : w.since);
}

std::string Counted(int count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
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
