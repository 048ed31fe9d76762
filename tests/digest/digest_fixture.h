// A fixed journal for the digest tests: one week (2025-W48, Monday
// 2025-11-24 in UTC) of merged PRs, an incident and notes, written to a real
// SQLite file and read back with JournalHistory::Log, as the digest reads it.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "digest/digest.h"
#include "journal/journal.h"
#include "journal/rows.h"
#include "support/temp_dir.h"

namespace brag::digest {

// The digest of `entries` (as JournalHistory::Log returns them, any order) that fall
// in `window`, made by feeding DigestBuilder the rows JournalHistory::ForEachDigestRow
// would: the tests build digests from entries they write, and
// digest_method_test checks that both reads give the same digest.
inline Digest BuildDigest(const std::vector<LogEntry>& entries, const DigestWindow& window,
                   const std::vector<CategoryRule>& rules, const RemoteUrls& remotes) {
  std::vector<const LogEntry*> sorted;
  sorted.reserve(entries.size());
  for (const LogEntry& e : entries) {
    int64_t t = e.event ? e.event->commit_time : e.note ? e.note->created : e.time;
    if (t >= window.since && t < window.until) sorted.push_back(&e);
  }
  // ForEachDigestRow's order: events first, then oldest first, keeping
  // Log's order (latest recorded first) among equal times.
  std::stable_sort(sorted.begin(), sorted.end(), [](const LogEntry* a, const LogEntry* b) {
    if (a->event.has_value() != b->event.has_value()) return a->event.has_value();
    return a->time < b->time;
  });
  DigestBuilder builder(window, rules);
  builder.Reserve(sorted.size());
  for (const LogEntry* entry : sorted) {
    DigestRow row;
    std::string paths, tags;
    if (entry->event) {
      const Event& e = *entry->event;
      row.has_event = true;
      row.repo = entry->repo;
      row.repo_name = entry->repo_name;
      row.event_id = e.id;
      row.kind = ToString(e.kind);
      row.key = e.key;
      row.commit = e.commit;
      row.forge = e.forge;
      row.pr = e.pr;
      row.title = e.title;
      row.branch = e.branch;
      row.commit_time = e.commit_time;
      row.diffstat = e.diffstat;
      paths = rows::JoinLines(e.paths);
      row.paths = paths;
      row.opened = e.opened;
      row.commit_count = e.commit_count;
      if (entry->prompt) {
        row.prompt_id = entry->prompt->id;
        row.prompt_state = ToString(entry->prompt->state);
      }
    } else {
      row.repo = entry->note ? std::string_view(entry->note->repo) : std::string_view();
      row.repo_name = entry->repo_name;
    }
    if (entry->note) {
      const Note& n = *entry->note;
      row.note_id = n.id;
      row.note_text = n.text;
      row.note_created = n.created;
      row.note_source = n.source;
      row.note_repo = n.repo;
      row.note_commit = n.commit;
      tags = rows::JoinLines(n.tags);
      row.note_tags = tags;
    }
    builder.Add(row);
  }
  return builder.Finish(remotes);
}

}  // namespace brag::digest

namespace brag::test {

inline constexpr int64_t kMonday = 1763942400;  // 2025-11-24T00:00:00Z
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86400;
inline const std::string kPayments = "/home/me/code/payments";
inline const std::string kPaymentsRemote = "git@github.com:acme/payments.git";

// The week 2025-W48 in UTC.
inline digest::DigestWindow FixedWeek() {
  return {kMonday, kMonday + 7 * kDay, "2025-W48"};
}

inline constexpr int64_t kSnoozedUntil = 4102444800;  // 2100-01-01T00:00:00Z

class FixedJournal {
 public:
  FixedJournal() {
    Result<std::unique_ptr<Journal>> j =
        Journal::Open(dir_.path() / "journal.db", Journal::Mode::kReadWrite);
    REQUIRE_MESSAGE(j.has_value(), (j ? "" : j.error().message));
    journal_ = std::move(*j);
    Fill();
  }

  Journal& journal() { return *journal_; }

  std::vector<LogEntry> Entries() {
    Result<std::vector<LogEntry>> entries = journal_->history().Log(LogQuery{});
    REQUIRE(entries.has_value());
    return *entries;
  }

  digest::Digest Build() {
    return digest::BuildDigest(Entries(), FixedWeek(), digest::DefaultCategoryRules(),
                               {{kPayments, kPaymentsRemote}});
  }

 private:
  static std::string Oid(char c) { return std::string(40, c); }

  static Event Pr(const std::string& oid, int64_t pr, const std::string& title, int64_t t,
                  std::vector<std::string> paths, Diffstat diffstat) {
    Event e;
    e.kind = EventKind::kPrMerged;
    e.key = e.commit = oid;
    e.forge = "github";
    e.pr = pr;
    e.title = title;
    e.branch = "pr-" + std::to_string(pr);
    e.authors = {"me@example.com"};
    e.commit_time = t;
    e.diffstat = diffstat;
    e.paths = std::move(paths);
    return e;
  }

  void Answer(const Prompt& p, const std::string& text, int64_t at) {
    Result<Note> n = journal_->prompts().Answer(p.id, text, at);
    REQUIRE_MESSAGE(n.has_value(), (n ? "" : n.error().message));
  }

  void AddNote(const std::string& text, const std::string& source, const std::string& repo,
               const std::string& commit, std::vector<std::string> tags, int64_t at) {
    NewNote note;
    note.text = text;
    note.source = source;
    note.repo = repo;
    note.commit = commit;
    note.tags = std::move(tags);
    Result<Note> n = journal_->prompts().AddNote(note, at);
    REQUIRE_MESSAGE(n.has_value(), (n ? "" : n.error().message));
  }

  void Fill() {
    // A commit's Impact: trailer, filed before its PR landed: the same work
    // as PR #481's note below, so it must not count twice.
    AddNote("Cut checkout p95 from 1.8s to 240ms with a composite index #perf", "hook",
            kPayments, Oid('1'), {}, kMonday + 8 * kHour);
    Result<RepoRecord> repo =
        journal_->repos().AddRepo(kPayments, "payments", "added", kMonday - kDay);
    REQUIRE(repo.has_value());
    Event incident;
    incident.kind = EventKind::kIncidentClosed;
    incident.key = incident.branch = "incident/db-failover";
    incident.commit = Oid('c');
    incident.forge = "local";
    incident.title = "incident/db-failover";
    incident.commit_time = kMonday + 2 * kDay + 15 * kHour;
    incident.opened = incident.commit_time - 3 * kHour - 20 * 60;
    incident.commit_count = 5;
    incident.merged = true;
    incident.diffstat = {2, 30, 4};
    incident.paths = {"db/failover.go", "runbooks/db-failover.md"};
    std::vector<Event> events = {
        Pr(Oid('a'), 481, "Add composite index on orders", kMonday + 10 * kHour,
           {"db/migrations/042_orders_index.sql", "app/orders/query.go"}, {3, 42, 7}),
        Pr(Oid('b'), 483, "Retry webhooks with backoff", kMonday + kDay + 11 * kHour,
           {"app/webhooks/retry.go"}, {2, 80, 12}),
        incident,
        Pr(Oid('d'), 490, "Fix flaky checkout tests", kMonday + 3 * kDay + 9 * kHour,
           {"app/checkout/checkout_test.go", ".github/workflows/ci.yml"}, {2, 25, 31}),
        Pr(Oid('e'), 485, "Bump linter", kMonday + 3 * kDay + 12 * kHour, {".golangci.yml"},
           {1, 1, 1}),
        Pr(Oid('f'), 492, "Cache the catalog", kMonday + 4 * kDay + 16 * kHour,
           {"app/catalog/cache.go"}, {4, 120, 10}),
        // Merged the week before: outside the window.
        Pr(Oid('9'), 470, "Old work", kMonday - 2 * kDay, {"app/old.go"}, {1, 1, 1}),
    };
    Result<std::vector<Prompt>> prompts =
        journal_->repos().RecordScan(repo->id, {}, events, kMonday + 17 * kHour);
    REQUIRE_MESSAGE(prompts.has_value(), (prompts ? "" : prompts.error().message));
    REQUIRE(prompts->size() == events.size());
    const std::vector<Prompt>& p = *prompts;
    Answer(p[0], "Cut checkout p95 from 1.8s to 240ms with a composite index #perf",
           kMonday + 18 * kHour);
    Answer(p[2],
           "Restored writes after the primary failover; error rate from 12% to 0.1% in "
           "40 minutes; next: automate the failover drill",
           kMonday + 3 * kDay);
    Answer(p[3], "Helped with the flaky CI tests", kMonday + 4 * kDay);
    REQUIRE(journal_->prompts().Dismiss(p[4].id).has_value());
    // Snoozed to a time still to come whenever the test runs (2100-01-01): a
    // snooze that has run out reads as pending.
    REQUIRE(journal_->prompts().Snooze(p[5].id, kSnoozedUntil).has_value());
    Answer(p[6], "Old work, 2x faster", kMonday + 5 * kDay);
    AddNote("Mentored Sam through their first on-call rotation", "manual", "", "",
            {"leadership"}, kMonday + 3 * kDay + 14 * kHour);
    AddNote("Wrote the runbook for rotating the payment API keys", "manual", kPayments,
            Oid('7'), {}, kMonday + 4 * kDay + 10 * kHour);
    // Filed the week after: outside the window.
    AddNote("Next week's note", "manual", "", "", {}, kMonday + 8 * kDay);
  }

  TempDir dir_{"digest"};
  std::unique_ptr<Journal> journal_;
};

}  // namespace brag::test
