// The seven categories of the self-assessment guide (DESIGN §9) and the rules
// that put a note in one of them. The rules are data: DefaultCategoryRules()
// holds the built-in tags, words and path globs, and the user's config
// extends them through MergeRules(). Pure: no I/O.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "impact/note_text.h"

namespace brag::digest {

// Where a note goes when no tag, word or path places it: no guessed
// category, but "Uncategorised", shown after the others (in the digest, the
// review and the JSON, by this id) so that the user files it with a #tag.
inline constexpr std::string_view kUncategorised = "uncategorised";
inline constexpr std::string_view kUncategorisedTitle = "Uncategorised";

// The rules of one category. Matching ignores ASCII case everywhere.
struct CategoryRule {
  std::string category{};  // stable id: "api", "performance", "data", ...
  std::string title{};     // shown in the digest; required for a new id
  // Tags without '#': "perf", "on-call".
  std::vector<std::string> tags{};
  // Whole words or phrases of whole words: "latency", "code review",
  // "on-call" (which also matches "on call"). A plural ending "s" or "es" in
  // the note matches too.
  std::vector<std::string> words{};
  // Globs over changed paths (see MatchesGlob): "*.proto", "migrations/**".
  std::vector<std::string> path_globs{};
};

// The seven categories in the guide's order, which is also the tie-break
// order: api ("API & service design"), performance ("Performance &
// scalability"), data ("Data modeling & storage"), reliability ("Security &
// reliability"), leadership ("Technical leadership"), collaboration
// ("Cross-team collaboration"), devex ("Developer experience & invisible
// work").
std::vector<CategoryRule> DefaultCategoryRules();

// `defaults` extended by `extra`, in order: a rule whose id is already there
// appends its tags, words and globs to that category (and renames it when it
// has a title); a rule with a new id is added at the end, after the others in
// tie-breaks, and must have a title. Error code "config" naming the id for a
// new id without a title or an empty id.
Result<std::vector<CategoryRule>> MergeRules(const std::vector<CategoryRule>& defaults,
                                             const std::vector<CategoryRule>& extra);

// The title of category `id` in `rules`; kUncategorisedTitle for
// kUncategorised when no rule has that id; else `id` itself.
std::string_view CategoryTitle(const std::vector<CategoryRule>& rules,
                               std::string_view id);

// The tags written in a note, lower-cased and without '#', in order: "#perf"
// and "#on-call" but not "#123" (a PR number).
std::vector<std::string> NoteTags(std::string_view note);
// The note's prose without those tags, into `out`: the space beside each
// tag goes with it, and none is left at the end ("Cut #perf p95 to 90ms
// #db" -> "Cut p95 to 90ms"); so do parentheses around the tag alone.
void WithoutTags(std::string_view note, std::string& out);

// Whether `path` matches `glob`. "*" and "?" stay inside one path segment;
// "**" spans any number of them ("**/*_test.*", "api/**"). A glob without '/'
// matches the last segment only ("*.md", "Dockerfile"); a glob with '/'
// matches at the root or below any folder ("migrations/**" matches
// "services/pay/migrations/001.sql"), unless it starts with '/', which
// anchors it at the root. Case-sensitive, as paths are.
bool MatchesGlob(std::string_view glob, std::string_view path);

class CategoryIndex;

// Rules compiled once for categorizing many notes: a Categorize call is then a
// few hash lookups per word of the note, however many rules there are. It
// remembers which globs match each path it sees: one thread at a time.
class Categorizer {
 public:
  explicit Categorizer(std::vector<CategoryRule> rules,
                       std::string fallback = std::string(kUncategorised));

  // Exactly one category id for a note, its tags (with or without '#') and
  // the paths its PR changed:
  // 1. tags win: the first of `tags` that maps to a category, else the first
  //    #tag written in the note that does;
  // 2. else the category whose words occur most often in the note, a word
  //    that opens the note counting twice (the leading verb says what kind
  //    of work it was: "Mentored two hires through their first on-call");
  // 3. else the category whose globs match the most of `paths`;
  // 4. else the fallback, kUncategorised unless told otherwise.
  // Ties in 2 and 3 go to the rule listed first.
  std::string Categorize(std::string_view note, const std::vector<std::string>& tags,
                         const std::vector<std::string>& paths) const;
  // The same, from the tokens TokenizeNote(note) made.
  std::string Categorize(std::string_view note,
                         const std::vector<impact::Token>& tokens,
                         const std::vector<std::string>& tags,
                         const std::vector<std::string>& paths) const;
  // IsInvisibleWork(note, tags, paths) below, from TokenizeNote(note)'s tokens.
  bool IsInvisibleWork(std::string_view note, const std::vector<impact::Token>& tokens,
                       const std::vector<std::string>& tags,
                       const std::vector<std::string>& paths) const;

  // Path -> whether each rule's globs match it.
  using PathMemo = std::unordered_map<std::string, std::vector<bool>>;

 private:
  std::shared_ptr<const CategoryIndex> index_;
  std::string fallback_;
  mutable PathMemo path_memo_;
  mutable PathMemo invisible_memo_;
};

// Categorizer(rules, fallback).Categorize(note, tags, paths), for one note;
// build a Categorizer once to categorize many.
std::string Categorize(const std::vector<CategoryRule>& rules, std::string_view note,
                       const std::vector<std::string>& tags,
                       const std::vector<std::string>& paths,
                       std::string_view fallback = kUncategorised);

// Whether a note is "invisible work" (DESIGN §9): CI, tests, observability
// (metrics, dashboards, alerts, tracing, logging), runbooks, docs and on-call
// tooling. True when one of those tags or words is in the note or `tags`, or
// when more than half of `paths` are CI, test, docs, runbook, alert or
// dashboard files (a feature PR that also touches a test is not invisible
// work).
bool IsInvisibleWork(std::string_view note, const std::vector<std::string>& tags,
                     const std::vector<std::string>& paths);

}  // namespace brag::digest
