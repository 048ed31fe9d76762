// The digest as JSON for scripts: every win with its trace, and each metric
// with value, unit, before, after, factor and direction. Keys in sorted
// order, as nlohmann::json keeps them.
#include <nlohmann/json.hpp>

#include "core/timeutil.h"
#include "digest/render.h"
#include "digest/render_text.h"

namespace brag::digest {
namespace {

using nlohmann::json;

json StringOrNull(std::string_view s) { return s.empty() ? json(nullptr) : json(s); }

// `slot` = s, in the string `slot` held for the last win when it held one.
// The string `slot` holds, made one if it holds none, to be reused.
std::string& StringIn(json& slot) {
  if (!slot.is_string()) slot = std::string();
  return slot.get_ref<std::string&>();
}

void SetString(std::string_view s, json& slot) { StringIn(slot).assign(s); }

void SetStringOrNull(std::string_view s, json& slot) {
  if (!s.empty()) return SetString(s, slot);
  slot = nullptr;
}

json PositiveOrNull(int64_t v) { return v > 0 ? json(v) : json(nullptr); }

json NumberOrNull(std::optional<double> v) { return v ? json(*v) : json(nullptr); }

// Sets the members of a json object in sorted key order, reusing those it
// holds from the last win: each key is compared once where it is expected,
// not searched for.
class Members {
 public:
  explicit Members(json& j)
      : obj_((j.is_object() ? j : j = json::object()).get_ref<json::object_t&>()),
        at_(obj_.begin()) {}

  json& operator[](std::string_view key) {
    if (at_ == obj_.end() || at_->first != key)
      at_ = obj_.emplace_hint(at_, key, nullptr);
    return (at_++)->second;
  }
  // Drops `key`, which would come next, if the last win had it.
  void Drop(std::string_view key) {
    if (at_ != obj_.end() && at_->first == key) at_ = obj_.erase(at_);
  }

 private:
  json::object_t& obj_;
  json::object_t::iterator at_;
};

// `list` as long as `items`, element i set by set(items[i], list[i]): the
// objects of the last win's list are reused, as the win's own are.
template <typename T, typename Set>
void SetList(json& list, const std::vector<T>& items, Set set) {
  if (!list.is_array()) list = json::array();
  list.get_ref<json::array_t&>().resize(items.size());
  for (size_t i = 0; i < items.size(); ++i) set(items[i], list[i]);
}

void SetMetricJson(const impact::Metric& m, json& slot) {
  Members j(slot);
  j["after"] = NumberOrNull(m.after);
  j["before"] = NumberOrNull(m.before);
  SetString(DirectionName(m.direction), j["direction"]);
  std::string& display = StringIn(j["display"]);
  display.clear();
  impact::AppendMetric(display, m);
  j["factor"] = m.factor > 0 ? json(m.factor) : json(nullptr);
  SetString(m.fragment, j["fragment"]);
  SetString(KindName(m.kind), j["kind"]);
  SetStringOrNull(m.noun, j["noun"]);
  SetStringOrNull(m.period, j["period"]);
  SetString(m.text, j["text"]);
  SetString(m.unit, j["unit"]);
  j["upper_bound"] = m.upper_bound;
  j["value"] = m.value;
}

void SetSuggestionJson(const impact::Suggestion& s, json& slot) {
  Members j(slot);
  SetString(s.issue, j["issue"]);
  SetStringOrNull(s.phrase, j["phrase"]);
  SetString(s.suggestion, j["suggestion"]);
}

// Win `w` into `slot`, which may hold the last win's: each key is assigned
// again, so the nodes of the object are made once for all the wins.
void SetWinJson(const Win& w, json& slot) {
  Members win(slot);
  SetStringOrNull(w.branch, win["branch"]);
  SetString(w.category, win["category"]);
  SetStringOrNull(w.commit, win["commit"]);
  Members diffstat(win["diffstat"]);
  diffstat["deletions"] = w.diffstat.deletions;
  diffstat["files"] = w.diffstat.files;
  diffstat["insertions"] = w.diffstat.insertions;
  win["event"] = PositiveOrNull(w.event_id);
  win["folded_commits"] = w.folded_commits;
  win["folded_notes"] = w.folded_notes;
  SetStringOrNull(w.forge, win["forge"]);
  if (w.kind == "incident_closed") {
    Members incident(win["incident"]);
    incident["commits"] = w.incident_commits;
    incident["duration_s"] = PositiveOrNull(w.incident_seconds);
  } else {
    win.Drop("incident");
  }
  win["invisible"] = w.invisible;
  SetString(w.kind, win["kind"]);
  SetStringOrNull(w.link, win["link"]);
  SetList(win["metrics"], w.metrics, SetMetricJson);
  win["note"] = w.note_id;
  win["pr"] = PositiveOrNull(w.pr);
  SetStringOrNull(w.repo, win["repo"]);
  SetStringOrNull(w.repo_name, win["repo_name"]);
  SetString(w.source, win["source"]);
  SetList(win["suggestions"], w.suggestions, SetSuggestionJson);
  SetList(win["tags"], w.tags, SetString);
  SetString(w.text, win["text"]);
  win["time"] = FormatIsoUtc(w.time);
  SetStringOrNull(w.title, win["title"]);
}

// The note ids of the wins `keep` picks.
template <typename Keep>
json NoteIds(const Digest& d, Keep keep) {
  json ids = json::array();
  for (const Win& w : d.wins) {
    if (keep(w)) ids.push_back(w.note_id);
  }
  return ids;
}

}  // namespace

void RenderJson(const Digest& d, RenderOutput& output) {
  json categories = json::array();
  for (const CategoryGroup& g : d.categories) {
    json notes = json::array();
    for (size_t i : g.wins) notes.push_back(d.wins[i].note_id);
    categories.push_back(
        {{"id", g.id}, {"notes", std::move(notes)}, {"title", g.title}});
  }
  json unanswered = json::array();
  for (const Backfill& b : d.unanswered) {
    unanswered.push_back({{"branch", StringOrNull(b.branch)},
                          {"commit", StringOrNull(b.commit)},
                          {"kind", b.kind},
                          {"link", StringOrNull(b.link)},
                          {"pr", PositiveOrNull(b.pr)},
                          {"prompt", b.prompt_id},
                          {"repo_name", b.repo_name},
                          {"state", b.state},
                          {"time", FormatIsoUtc(b.time)},
                          {"title", StringOrNull(b.title)}});
  }
  json doc = {
      {"categories", std::move(categories)},
      {"counts",
       {{"incidents_closed", d.counts.incidents_closed},
        {"notes", d.counts.notes},
        {"prs_merged", d.counts.prs_merged},
        {"unanswered", d.counts.unanswered}}},
      {"invisible_work", NoteIds(d, [](const Win& w) { return w.invisible; })},
      {"quantified", NoteIds(d, [](const Win& w) { return !w.metrics.empty(); })},
      {"sharpen", NoteIds(d, [](const Win& w) { return !w.suggestions.empty(); })},
      {"unanswered", std::move(unanswered)},
      {"window",
       {{"since", FormatIsoUtc(d.window.since)},
        {"until", FormatIsoUtc(d.window.until)},
        {"week", StringOrNull(d.window.label)}}},
      {"wins", json::array()}};
  // Text that is not valid UTF-8 is shown with U+FFFD rather than refused.
  std::string text = doc.dump(2, ' ', false, json::error_handler_t::replace);
  std::string& out = output.buf();
  if (d.wins.empty()) {
    out += text;
    out += '\n';
    output.Finish();
    return;
  }
  // The wins, the last member, go in one at a time: each is dumped alone and
  // indented to its place (no string holds a raw newline), so that the whole
  // list is never held as json at once.
  constexpr std::string_view kEmptyTail = "[]\n}";
  out.append(text, 0, text.size() - kEmptyTail.size());
  out += '[';
  json win_json;
  std::string win;
  for (size_t i = 0; i < d.wins.size(); ++i) {
    out += i == 0 ? "\n    " : ",\n    ";
    SetWinJson(d.wins[i], win_json);
    win = win_json.dump(2, ' ', false, json::error_handler_t::replace);
    size_t line = 0;
    for (size_t end = win.find('\n'); end != std::string::npos;
         end = win.find('\n', line)) {
      out.append(win, line, end + 1 - line);
      out += "    ";
      line = end + 1;
    }
    out.append(win, line);
    output.Checkpoint();
  }
  out += "\n  ]\n}\n";
  output.Finish();
}

std::string RenderJson(const Digest& d) {
  RenderOutput out;
  RenderJson(d, out);
  return out.Take();
}

}  // namespace brag::digest
