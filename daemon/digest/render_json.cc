// The digest as JSON for scripts: every win with its trace, and each metric
// with value, unit, before, after, factor and direction.
#include <nlohmann/json.hpp>

#include "core/timeutil.h"
#include "digest/render.h"
#include "digest/render_text.h"

namespace brag::digest {
namespace {

using nlohmann::json;

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json MetricJson(const Metric& m) {
  json o{{"text", m.text},
         {"kind", KindName(m.kind)},
         {"value", m.value},
         {"unit", m.unit},
         {"before", m.before ? json(*m.before) : json(nullptr)},
         {"after", m.after ? json(*m.after) : json(nullptr)},
         {"factor", m.factor > 0 ? json(m.factor) : json(nullptr)},
         {"direction", DirectionName(m.direction)},
         {"upper_bound", m.upper_bound},
         {"period", OrNull(m.period)},
         {"noun", OrNull(m.noun)},
         {"display", FormatMetric(m)}};
  return o;
}

json WinJson(const Win& w) {
  json metrics = json::array();
  for (const Metric& m : w.metrics) metrics.push_back(MetricJson(m));
  json suggestions = json::array();
  for (const Suggestion& s : w.suggestions) {
    suggestions.push_back(
        {{"issue", s.issue}, {"phrase", OrNull(s.phrase)}, {"suggestion", s.suggestion}});
  }
  json o{{"note", w.note_id},
         {"text", w.text},
         {"source", w.source},
         {"kind", w.kind},
         {"time", FormatIsoUtc(w.time)},
         {"repo", OrNull(w.repo)},
         {"repo_name", OrNull(w.repo_name)},
         {"commit", OrNull(w.commit)},
         {"event", w.event_id > 0 ? json(w.event_id) : json(nullptr)},
         {"pr", w.pr > 0 ? json(w.pr) : json(nullptr)},
         {"forge", OrNull(w.forge)},
         {"title", OrNull(w.title)},
         {"branch", OrNull(w.branch)},
         {"link", OrNull(w.link)},
         {"diffstat",
          {{"files", w.diffstat.files},
           {"insertions", w.diffstat.insertions},
           {"deletions", w.diffstat.deletions}}},
         {"category", w.category},
         {"invisible", w.invisible},
         {"tags", w.tags},
         {"folded_notes", w.folded_notes},
         {"folded_commits", w.folded_commits},
         {"metrics", std::move(metrics)},
         {"suggestions", std::move(suggestions)}};
  if (w.kind == "incident_closed") {
    o["incident"] = {{"duration_s", w.incident_seconds > 0 ? json(w.incident_seconds)
                                                           : json(nullptr)},
                     {"commits", w.incident_commits}};
  }
  return o;
}

}  // namespace

std::string RenderJson(const Digest& d) {
  json wins = json::array();
  for (const Win& w : d.wins) wins.push_back(WinJson(w));
  json categories = json::array();
  for (const CategoryGroup& g : d.categories) {
    json notes = json::array();
    for (size_t i : g.wins) notes.push_back(d.wins[i].note_id);
    categories.push_back({{"id", g.id}, {"title", g.title}, {"notes", notes}});
  }
  json quantified = json::array();
  json sharpen = json::array();
  json invisible = json::array();
  for (const Win& w : d.wins) {
    if (!w.metrics.empty()) quantified.push_back(w.note_id);
    if (!w.suggestions.empty()) sharpen.push_back(w.note_id);
    if (w.invisible) invisible.push_back(w.note_id);
  }
  json unanswered = json::array();
  for (const Backfill& b : d.unanswered) {
    unanswered.push_back({{"prompt", b.prompt_id},
                          {"state", b.state},
                          {"kind", b.kind},
                          {"time", FormatIsoUtc(b.time)},
                          {"repo_name", b.repo_name},
                          {"pr", b.pr > 0 ? json(b.pr) : json(nullptr)},
                          {"title", OrNull(b.title)},
                          {"branch", OrNull(b.branch)},
                          {"commit", OrNull(b.commit)},
                          {"link", OrNull(b.link)}});
  }
  json out{{"window",
            {{"since", FormatIsoUtc(d.window.since)},
             {"until", FormatIsoUtc(d.window.until)},
             {"week", OrNull(d.window.label)}}},
           {"counts",
            {{"prs_merged", d.counts.prs_merged},
             {"incidents_closed", d.counts.incidents_closed},
             {"notes", d.counts.notes},
             {"unanswered", d.counts.unanswered}}},
           {"wins", std::move(wins)},
           {"categories", std::move(categories)},
           {"quantified", std::move(quantified)},
           {"sharpen", std::move(sharpen)},
           {"invisible_work", std::move(invisible)},
           {"unanswered", std::move(unanswered)}};
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace brag::digest
