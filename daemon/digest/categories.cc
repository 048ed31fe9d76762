#include "digest/categories.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "impact/note_text.h"

namespace brag::digest {

namespace {

constexpr size_t kNoRule = static_cast<size_t>(-1);

// The lower-cased words of `text`, symbols dropped: "On-call p99" gives
// {"on", "call", "p99"}.
std::vector<std::string> LowerWords(std::string_view text) {
  std::vector<std::string> words;
  for (const impact::Token& t : impact::TokenizeNote(text)) {
    if (t.kind == impact::TokenKind::kWord) words.push_back(impact::ToLower(t.text));
  }
  return words;
}

std::string NormalizeTag(std::string_view tag) {
  if (!tag.empty() && tag[0] == '#') tag.remove_prefix(1);
  return impact::ToLower(tag);
}

bool IsTagChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// "**" at the front of `glob`: zero or more whole segments when followed by
// '/', anything otherwise.
bool MatchDoubleStar(std::string_view glob, std::string_view path);

bool MatchFrom(std::string_view glob, std::string_view path) {
  while (!glob.empty()) {
    if (glob.starts_with("**")) return MatchDoubleStar(glob.substr(2), path);
    if (glob[0] == '*') {
      glob.remove_prefix(1);
      for (size_t k = 0;; ++k) {
        if (MatchFrom(glob, path.substr(k))) return true;
        if (k == path.size() || path[k] == '/') return false;
      }
    }
    if (path.empty() || (glob[0] == '?' ? path[0] == '/' : glob[0] != path[0]))
      return false;
    glob.remove_prefix(1);
    path.remove_prefix(1);
  }
  return path.empty();
}

// `glob` matched at the start of `path` or right after any '/' in it.
bool MatchAtAnySegment(std::string_view glob, std::string_view path) {
  for (size_t k = 0; k <= path.size(); ++k) {
    if ((k == 0 || path[k - 1] == '/') && MatchFrom(glob, path.substr(k))) return true;
  }
  return false;
}

bool MatchDoubleStar(std::string_view glob, std::string_view path) {
  if (glob.starts_with("/"))
    return glob.size() == 1 || MatchAtAnySegment(glob.substr(1), path);
  if (glob.empty()) return true;
  for (size_t k = 0; k <= path.size(); ++k) {
    if (MatchFrom(glob, path.substr(k))) return true;
  }
  return false;
}

void AppendNew(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const std::string& s : from) {
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
  }
}

std::string KnownIds(const std::vector<CategoryRule>& rules) {
  std::string ids;
  for (const CategoryRule& r : rules) ids += (ids.empty() ? "" : ", ") + r.category;
  return ids;
}

// The rule with the highest positive score, the first on ties.
size_t Best(const std::vector<int>& scores) {
  size_t best = kNoRule;
  for (size_t r = 0; r < scores.size(); ++r) {
    if (scores[r] > 0 && (best == kNoRule || scores[r] > scores[best])) best = r;
  }
  return best;
}

}  // namespace

// Rules compiled into lookups: tags and the first words of phrases hashed,
// globs kept per rule.
class CategoryIndex {
 public:
  using PathMemo = Categorizer::PathMemo;

  explicit CategoryIndex(std::vector<CategoryRule> rules) : rules_(std::move(rules)) {
    for (size_t r = 0; r < rules_.size(); ++r) IndexRule(r);
  }

  const std::vector<CategoryRule>& rules() const { return rules_; }

  // The rule of the first tag that maps to one, `tags` before the note's.
  size_t ByTags(std::string_view note, const std::vector<std::string>& tags) const {
    for (const std::string& tag : tags) {
      if (size_t r = RuleOfTag(NormalizeTag(tag)); r != kNoRule) return r;
    }
    for (const std::string& tag : NoteTags(note)) {
      if (size_t r = RuleOfTag(tag); r != kNoRule) return r;
    }
    return kNoRule;
  }

  // Per rule, how many words of the note start one of its phrases: once per
  // rule and word, twice for the note's first word.
  std::vector<int> WordScores(const std::vector<impact::Token>& tokens) const {
    std::vector<std::string_view> words;
    for (const impact::Token& t : tokens) {
      if (t.kind == impact::TokenKind::kWord) words.push_back(t.text);
    }
    std::vector<int> scores(rules_.size(), 0);
    std::vector<size_t> last_hit(rules_.size(), kNoRule);
    for (size_t i = 0; i < words.size(); ++i) {
      ForEachStem(words[i], [&](std::string_view stem) {
        const std::vector<Phrase>* phrases = phrases_.Find(stem);
        if (!phrases) return;
        for (const Phrase& p : *phrases) {
          if (last_hit[p.rule] == i || !RestMatches(words, i + 1, p.rest)) continue;
          last_hit[p.rule] = i;
          scores[p.rule] += i == 0 ? 2 : 1;
        }
      });
    }
    return scores;
  }

  // Per rule, how many of `paths` one of its globs matches. `memo` keeps
  // each path's matches: a repo's paths recur from note to note.
  std::vector<int> PathScores(const std::vector<std::string>& paths,
                              PathMemo& memo) const {
    std::vector<int> scores(rules_.size(), 0);
    for (const std::string& path : paths) {
      auto [it, added] = memo.try_emplace(path);
      for (size_t r = 0; added && r < rules_.size(); ++r) {
        const std::vector<std::string>& globs = rules_[r].path_globs;
        it->second.push_back(
            std::any_of(globs.begin(), globs.end(),
                        [&](const auto& g) { return MatchesGlob(g, path); }));
      }
      for (size_t r = 0; r < rules_.size(); ++r) scores[r] += it->second[r];
    }
    return scores;
  }

 private:
  // A word or phrase, keyed in phrases_ by its first word.
  struct Phrase {
    size_t rule;
    std::vector<std::string> rest;
  };

  void IndexRule(size_t r) {
    for (const std::string& tag : rules_[r].tags) tags_.emplace(NormalizeTag(tag), r);
    for (const std::string& word : rules_[r].words) {
      std::vector<std::string> parts = LowerWords(word);
      if (parts.empty()) continue;
      std::string first = parts.front();
      parts.erase(parts.begin());
      phrases_.Add(first).push_back(Phrase{r, std::move(parts)});
    }
  }

  size_t RuleOfTag(const std::string& tag) const {
    auto it = tags_.find(tag);
    return it == tags_.end() ? kNoRule : it->second;
  }

  // Calls fn with `word` and, for a plural, its singulars: "fixes" gives
  // "fixes", "fixe", "fix" (in any case: phrases_ ignores it).
  template <typename Fn>
  static void ForEachStem(std::string_view word, Fn fn) {
    fn(word);
    size_t n = word.size();
    if (n > 2 && impact::LowerAscii(word[n - 1]) == 's') fn(word.substr(0, n - 1));
    if (n > 3 && impact::LowerAscii(word[n - 1]) == 's' &&
        impact::LowerAscii(word[n - 2]) == 'e')
      fn(word.substr(0, n - 2));
  }

  static bool RestMatches(const std::vector<std::string_view>& words, size_t at,
                          const std::vector<std::string>& rest) {
    if (at + rest.size() > words.size()) return false;
    for (size_t k = 0; k < rest.size(); ++k) {
      if (!impact::IsWordForm(words[at + k], rest[k])) return false;
    }
    return true;
  }

  std::vector<CategoryRule> rules_;
  std::unordered_map<std::string, size_t> tags_;  // first rule wins
  impact::WordTable<std::vector<Phrase>> phrases_;
};

namespace {

// The items of a list written "a, b, c".
std::vector<std::string> Items(std::string_view list) {
  std::vector<std::string> items;
  for (size_t comma; (comma = list.find(", ")) != std::string_view::npos;
       list.remove_prefix(comma + 2)) {
    items.emplace_back(list.substr(0, comma));
  }
  items.emplace_back(list);
  return items;
}

// A built-in rule; its tags, words and globs are each one list of Items.
CategoryRule Rule(std::string_view id, std::string_view title, std::string_view tags,
                  std::string_view words, std::string_view globs) {
  return CategoryRule{std::string(id), std::string(title), Items(tags), Items(words),
                      Items(globs)};
}

// What makes work "invisible" (DESIGN §9), as one rule.
const CategoryIndex& InvisibleWorkIndex() {
  static const CategoryIndex index({Rule(
      "invisible", "Invisible work",
      "ci, tests, test, testing, docs, doc, documentation, observability, o11y, "
      "monitoring, metrics, dashboards, alerts, alerting, tracing, logging, "
      "runbook, runbooks, oncall, on-call, flaky, invisible",
      "ci, pipeline, github actions, test, tests, testing, test suite, flaky, "
      "flake, coverage, observability, monitoring, metrics, dashboard, alert, "
      "alerting, tracing, traces, logging, logs, runbook, playbook, docs, "
      "documentation, readme, on-call, oncall, pager, pagerduty, lint, linter",
      ".github/workflows/**, .gitlab-ci.yml, .circleci/**, Jenkinsfile, tests/**, "
      "test/**, **/*_test.*, **/*.test.*, **/*_spec.*, spec/**, docs/**, *.md, "
      "runbooks/**, alerts/**, dashboards/**, monitoring/**, grafana/**, "
      "prometheus/**")});
  return index;
}

}  // namespace

std::vector<CategoryRule> DefaultCategoryRules() {
  return {
      Rule("api", "API & service design",
           "api, endpoint, grpc, rest, graphql, service, sdk, contract",
           "api, endpoint, grpc, rest, graphql, protobuf, proto, openapi, swagger, "
           "contract, versioning, backward compatible, pagination, webhook, sdk, "
           "client library, interface, service, microservice, rpc, idempotency, "
           "idempotent, request, response",
           "*.proto, api/**, proto/**, openapi/**, *.openapi.yaml, swagger/**, "
           "*.graphql"),
      Rule("performance", "Performance & scalability",
           "perf, performance, scale, scalability, latency, speed, optimization",
           "latency, p50, p95, p99, throughput, faster, slow, slower, speed, speedup, "
           "performance, perf, cache, caching, optimize, optimized, optimization, "
           "profile, profiling, profiler, scale, scaling, scalability, load test, "
           "benchmark, memory, cpu, qps, rps, bottleneck, hot path, latencies, "
           "cold start, warm start, startup time, page load, load time, response time, "
           "ttfb, time to first byte, ms, millisecond, milliseconds, µs, microseconds, "
           "quicker, sped up, p90, p999, capacity, rightsizing, rightsized, "
           "autoscaling, cost, costs",
           "bench/**, benchmarks/**, **/*_bench.*, **/*_benchmark.*, perf/**, "
           "loadtest/**, load-tests/**, k6/**"),
      Rule("data", "Data modeling & storage",
           "db, data, database, migration, schema, sql, storage",
           "database, db, schema, migration, migrated, table, index, query, queries, "
           "sql, postgres, mysql, sqlite, redis, kafka, replication, replica, "
           "partition, partitioning, sharding, shard, backfill, etl, warehouse, "
           "column, rows, records, storage, s3, bigquery, dynamodb, mongodb, "
           "data model, retention",
           "migrations/**, *.sql, schema/**, db/**, dbt/**, models/**"),
      Rule("reliability", "Security & reliability",
           "security, sec, reliability, oncall, on-call, incident, sre, outage, "
           "postmortem, vuln, cve, auth",
           "security, vulnerability, cve, auth, authentication, authorization, oauth, "
           "tls, encryption, secret, permission, xss, csrf, injection, incident, "
           "outage, postmortem, on-call, oncall, pager, sla, slo, uptime, "
           "availability, reliability, failover, retry, retries, backoff, 5xx, "
           "restore, recovery, mttr, rto, rpo, timeout, rollback, backup, "
           "disaster recovery, redundancy, crash, resilience, circuit breaker, audit, "
           "alert, error, sev1, sev2",
           "security/**, **/auth/**, terraform/**, alerts/**, runbooks/**, "
           "SECURITY.md, .snyk"),
      Rule("leadership", "Technical leadership",
           "mentoring, mentor, leadership, review, reviews, docs, doc, adr, rfc, "
           "design-doc, hiring, interview, onboarding",
           "mentored, mentoring, mentor, mentee, coached, coaching, reviewed, "
           "code review, design doc, rfc, adr, architecture decision, documented, "
           "documentation, docs, onboarding, onboarded, interview, interviewed, "
           "hiring, tech talk, presented, brown bag, taught, workshop, roadmap, "
           "proposal, guidelines, standards, led",
           "docs/**, *.md, adr/**, adrs/**, rfcs/**, design/**"),
      Rule("collaboration", "Cross-team collaboration",
           "collab, collaboration, cross-team, partnership, xfn",
           "cross-team, partnered, partner, collaborated, collaboration, coordinated, "
           "coordination, aligned, alignment, stakeholder, product manager, pm, "
           "designer, customer, support team, sales, unblocked, handoff, other team, "
           "teams, vendor, org-wide, together with",
           "CODEOWNERS, OWNERS"),
      Rule("devex", "Developer experience & invisible work",
           "ci, tests, test, devex, dx, tooling, build, observability, dashboards, "
           "flaky, refactor, cleanup, deps, invisible",
           "ci, pipeline, build, tooling, tool, script, lint, linter, formatter, "
           "flaky, flake, test, tests, testing, coverage, refactor, refactored, "
           "cleanup, dead code, tech debt, toil, dependency, dependencies, upgrade, "
           "upgraded, dashboard, logging, tracing, observability, monitoring, "
           "devcontainer, makefile, local dev, developer experience, dx, docker, "
           "dockerfile, pre-commit, github actions, runbook",
           ".github/workflows/**, .gitlab-ci.yml, .circleci/**, Jenkinsfile, "
           "Dockerfile, Makefile, tests/**, test/**, **/*_test.*, **/*.test.*, "
           "**/*_spec.*, spec/**, scripts/**, tools/**, .pre-commit-config.yaml, "
           "docker-compose*.yml, dashboards/**"),
  };
}

Result<std::vector<CategoryRule>> MergeRules(const std::vector<CategoryRule>& defaults,
                                             const std::vector<CategoryRule>& extra) {
  std::vector<CategoryRule> merged = defaults;
  for (const CategoryRule& rule : extra) {
    if (rule.category.empty()) return MakeError("config", "a category rule has no id");
    auto it = std::find_if(merged.begin(), merged.end(), [&](const CategoryRule& r) {
      return r.category == rule.category;
    });
    if (it != merged.end()) {
      if (!rule.title.empty()) it->title = rule.title;
      AppendNew(it->tags, rule.tags);
      AppendNew(it->words, rule.words);
      AppendNew(it->path_globs, rule.path_globs);
    } else if (rule.title.empty()) {
      return MakeError("config", "unknown category \"" + rule.category +
                                     "\" (known: " + KnownIds(merged) +
                                     "); a new category needs a title");
    } else {
      merged.push_back(rule);
    }
  }
  return merged;
}

std::string_view CategoryTitle(const std::vector<CategoryRule>& rules,
                               std::string_view id) {
  for (const CategoryRule& r : rules) {
    if (r.category == id) return r.title.empty() ? id : std::string_view(r.title);
  }
  return id == kUncategorised ? kUncategorisedTitle : id;
}

namespace {

// The end of the tag at note[at], or `at` when none starts there.
size_t TagEnd(std::string_view note, size_t at) {
  bool starts = note[at] == '#' && (at == 0 || !IsTagChar(note[at - 1]));
  if (!starts || at + 1 >= note.size() || !IsLetter(note[at + 1])) return at;
  size_t end = at + 1;
  while (end < note.size() && IsTagChar(note[end])) ++end;
  return end;
}

}  // namespace

std::vector<std::string> NoteTags(std::string_view note) {
  std::vector<std::string> tags;
  if (note.find('#') == std::string_view::npos) return tags;
  for (size_t i = 0; i < note.size(); ++i) {
    size_t end = TagEnd(note, i);
    if (end == i) continue;
    tags.push_back(impact::ToLower(note.substr(i + 1, end - i - 1)));
    i = end - 1;
  }
  return tags;
}

void WithoutTags(std::string_view note, std::string& out) {
  out.clear();
  size_t kept = 0;  // note[kept, i) is yet to be copied
  for (size_t i = note.find('#'); i != std::string_view::npos;
       i = note.find('#', i + 1)) {
    size_t end = TagEnd(note, i);
    if (end == i) continue;
    out.append(note.substr(kept, i - kept));
    if (!out.empty() && out.back() == '(' && end < note.size() && note[end] == ')') {
      out.pop_back();  // "on call (#on-call) today": no "()" left behind
      ++end;
    }
    bool after_space = out.empty() || out.back() == ' ' || out.back() == '(';
    if (after_space && end < note.size() && note[end] == ' ') {
      ++end;  // "cut #perf p95": one space left, not two
    } else if (!out.empty() && out.back() == ' ' && end < note.size() &&
               std::string_view(",.;:!?").find(note[end]) != std::string_view::npos) {
      out.pop_back();  // "240ms #db, see": "240ms, see"
    }
    kept = end;
    i = end - 1;
  }
  out.append(note.substr(kept));
  while (!out.empty() && out.back() == ' ') out.pop_back();
}

bool MatchesGlob(std::string_view glob, std::string_view path) {
  if (glob.find('/') == std::string_view::npos) {
    size_t slash = path.rfind('/');
    return MatchFrom(glob,
                     slash == std::string_view::npos ? path : path.substr(slash + 1));
  }
  if (glob.starts_with("/")) return MatchFrom(glob.substr(1), path);
  return MatchAtAnySegment(glob, path);
}

Categorizer::Categorizer(std::vector<CategoryRule> rules, std::string fallback)
    : index_(std::make_shared<const CategoryIndex>(std::move(rules))),
      fallback_(std::move(fallback)) {}

std::string Categorizer::Categorize(std::string_view note,
                                    const std::vector<std::string>& tags,
                                    const std::vector<std::string>& paths) const {
  return Categorize(note, impact::TokenizeNote(note), tags, paths);
}

std::string Categorizer::Categorize(std::string_view note,
                                    const std::vector<impact::Token>& tokens,
                                    const std::vector<std::string>& tags,
                                    const std::vector<std::string>& paths) const {
  size_t r = index_->ByTags(note, tags);
  if (r == kNoRule) r = Best(index_->WordScores(tokens));
  if (r == kNoRule) r = Best(index_->PathScores(paths, path_memo_));
  return r == kNoRule ? fallback_ : index_->rules()[r].category;
}

std::string Categorize(const std::vector<CategoryRule>& rules, std::string_view note,
                       const std::vector<std::string>& tags,
                       const std::vector<std::string>& paths,
                       std::string_view fallback) {
  return Categorizer(rules, std::string(fallback)).Categorize(note, tags, paths);
}

bool Categorizer::IsInvisibleWork(std::string_view note,
                                  const std::vector<impact::Token>& tokens,
                                  const std::vector<std::string>& tags,
                                  const std::vector<std::string>& paths) const {
  const CategoryIndex& index = InvisibleWorkIndex();
  if (index.ByTags(note, tags) != kNoRule || index.WordScores(tokens)[0] > 0)
    return true;
  return !paths.empty() &&
         static_cast<size_t>(index.PathScores(paths, invisible_memo_)[0]) * 2 >
             paths.size();
}

bool IsInvisibleWork(std::string_view note, const std::vector<std::string>& tags,
                     const std::vector<std::string>& paths) {
  return Categorizer({}).IsInvisibleWork(note, impact::TokenizeNote(note), tags, paths);
}

}  // namespace brag::digest
