// The digest as JSON for scripts: every win with its trace, and each metric
// with value, unit, before, after, factor and direction. Written straight
// into the output, byte for byte as nlohmann::json's dump(2) of the same
// document would be (keys in sorted order), without building 100k json
// objects first.
#include <nlohmann/json.hpp>

#include <charconv>
#include <cstring>
#include <ctime>

#include "core/timeutil.h"
#include "digest/render.h"
#include "digest/render_text.h"

namespace brag::digest {
namespace {

// Pretty-printed JSON as nlohmann::json::dump(2) lays it out: members one
// per line, two spaces per level, "{}" and "[]" when empty.
//
// Text goes through a small buffer of its own, into `out` a few KiB at a
// time: a win is some thirty members, and appending each piece to a string
// apart (its capacity checked, its length set) took longer than the text.
// Flush() before anything else writes to `out`; the destructor flushes.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  // A writer that goes on inside another's open array or object, `depth`
  // levels in, `first` if nothing is in it yet: one element of a long array
  // rendered apart (RenderOutput::Each).
  JsonWriter(std::string& out, size_t depth, bool first)
      : out_(out), depth_(depth), first_(first) {}
  ~JsonWriter() { Flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // Everything written so far into `out`.
  void Flush() {
    out_.append(buf_, used_);
    used_ = 0;
  }
  // Flush, then let `output` hand over what it holds (`out` is its buffer).
  void Checkpoint(RenderOutput& output) {
    Flush();
    output.Checkpoint();
  }

  size_t depth() const { return depth_; }
  // `n` elements were written into the open array by other writers.
  void Wrote(size_t n) {
    if (n > 0) first_ = false;
  }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  // The next member's key; its value follows.
  void Key(std::string_view key) {
    keyed_ = true;
    size_t indent = 2 * depth_;
    char* p = Room(indent + key.size() + 6);
    if (!p) {
      Next();
      Put('"');
      Put(key);
      Put("\": ");
      return;
    }
    char* start = p;
    if (depth_ > 0) {
      if (!first_) *p++ = ',';
      *p++ = '\n';
      std::memset(p, ' ', indent);
      p += indent;
    }
    first_ = false;
    *p++ = '"';
    std::memcpy(p, key.data(), key.size());
    p += key.size();
    *p++ = '"';
    *p++ = ':';
    *p++ = ' ';
    used_ += static_cast<size_t>(p - start);
  }

  void Null() { Value("null"); }
  void Bool(bool b) { Value(b ? "true" : "false"); }
  void Int(int64_t v) {
    Element();
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    Put(std::string_view(buf, static_cast<size_t>(end - buf)));
  }
  void Double(double v) {
    Element();
    char buf[64];
    if (!std::isfinite(v)) {
      Put("null");
      return;
    }
    // nlohmann's own shortest round-trip form ("240.0", "7.5"), so the
    // numbers read exactly as dump() writes them.
    char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
    Put(std::string_view(buf, static_cast<size_t>(end - buf)));
  }
  void String(std::string_view s) {
    Element();
    if (!Plain(s)) {
      // Escapes, UTF-8 and its repair: nlohmann's rules, for the rare
      // string that needs them.
      Put(nlohmann::json(std::string(s)).dump(-1, ' ', false,
                                              nlohmann::json::error_handler_t::replace));
    } else if (char* p = Room(s.size() + 2)) {
      p[0] = '"';
      std::memcpy(p + 1, s.data(), s.size());
      p[s.size() + 1] = '"';
      used_ += s.size() + 2;
    } else {
      Put('"');
      Put(s);
      Put('"');
    }
  }
  void StringOrNull(std::string_view s) {
    if (s.empty()) {
      Null();
    } else {
      String(s);
    }
  }

  // Convenience: Key then a value.
  void Member(std::string_view key, std::string_view s) {
    Key(key);
    String(s);
  }
  void MemberOrNull(std::string_view key, std::string_view s) {
    Key(key);
    StringOrNull(s);
  }
  void Member(std::string_view key, int64_t v) {
    Key(key);
    Int(v);
  }
  void PositiveOrNull(std::string_view key, int64_t v) {
    Key(key);
    if (v > 0) {
      Int(v);
    } else {
      Null();
    }
  }

 private:
  // Printable ASCII without quote or backslash: copied as is. Checked
  // eight bytes at a time.
  static bool Plain(std::string_view s) {
    while (s.size() >= 8) {
      uint64_t x;
      std::memcpy(&x, s.data(), 8);
      if (swar::AnyHigh(x) || swar::AnyBelow(x, 0x20) || swar::Any(x, '"') ||
          swar::Any(x, '\\')) {
        return false;
      }
      s.remove_prefix(8);
    }
    for (char c : s) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') return false;
    }
    return true;
  }

  void Value(std::string_view literal) {
    Element();
    Put(literal);
  }

  // Room for `n` more bytes at the end of the buffer, flushing it first if
  // need be; null when `n` is more than the buffer holds.
  char* Room(size_t n) {
    if (n > sizeof buf_ - used_) {
      Flush();
      if (n > sizeof buf_) return nullptr;
    }
    return buf_ + used_;
  }

  void Put(char c) {
    if (used_ == sizeof buf_) Flush();
    buf_[used_++] = c;
  }
  void Put(std::string_view text) {
    if (text.size() > sizeof buf_ - used_) {
      Flush();
      if (text.size() > sizeof buf_) {
        out_.append(text);
        return;
      }
    }
    std::memcpy(buf_ + used_, text.data(), text.size());
    used_ += text.size();
  }
  // `n` spaces.
  void Indent(size_t n) {
    static constexpr std::string_view kSpaces = "                                ";
    for (; n > kSpaces.size(); n -= kSpaces.size()) Put(kSpaces);
    Put(kSpaces.substr(0, n));
  }

  // Before a value: a new line and indent for an array element (a member's
  // value follows its key on the same line).
  void Element() {
    if (keyed_) {
      keyed_ = false;
      return;
    }
    Next();
  }

  void Next() {
    if (depth_ > 0) {
      Put(first_ ? std::string_view("\n") : std::string_view(",\n"));
      Indent(2 * depth_);
    }
    first_ = false;
  }

  void Open(char bracket) {
    Element();
    Put(bracket);
    ++depth_;
    first_ = true;
  }

  void Close(char bracket) {
    --depth_;
    if (!first_) {
      Put('\n');
      Indent(2 * depth_);
    }
    Put(bracket);
    first_ = false;
  }

  std::string& out_;
  char buf_[4096];
  size_t used_ = 0;
  size_t depth_ = 0;
  bool first_ = true;
  bool keyed_ = false;
};

// "2025-11-24T10:00:00Z". Wins come in time order, so the date part is
// worked out once per day rather than once per win.
class IsoUtc {
 public:
  std::string_view Of(int64_t t) {
    int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    if (day != day_ || text_.empty()) {
      day_ = day;
      text_ = FormatIsoUtc(day * 86400);
    }
    int64_t s = t - day * 86400;
    char* hms = text_.data() + 11;  // "HH:MM:SS" after "YYYY-MM-DDT"
    Two(hms, s / 3600);
    Two(hms + 3, s / 60 % 60);
    Two(hms + 6, s % 60);
    return text_;
  }

 private:
  static void Two(char* at, int64_t v) {
    at[0] = static_cast<char>('0' + v / 10);
    at[1] = static_cast<char>('0' + v % 10);
  }

  int64_t day_ = 0;
  std::string text_;
};

void WriteMetric(JsonWriter& j, const Metric& m) {
  j.BeginObject();
  j.Key("after");
  if (m.after) {
    j.Double(*m.after);
  } else {
    j.Null();
  }
  j.Key("before");
  if (m.before) {
    j.Double(*m.before);
  } else {
    j.Null();
  }
  j.Member("direction", DirectionName(m.direction));
  j.Member("display", FormatMetric(m));
  j.Key("factor");
  if (m.factor > 0) {
    j.Double(m.factor);
  } else {
    j.Null();
  }
  j.Member("fragment", m.fragment);
  j.Member("kind", KindName(m.kind));
  j.MemberOrNull("noun", m.noun);
  j.MemberOrNull("period", m.period);
  j.Member("text", m.text);
  j.Member("unit", m.unit);
  j.Key("upper_bound");
  j.Bool(m.upper_bound);
  j.Key("value");
  j.Double(m.value);
  j.EndObject();
}

void WriteWin(JsonWriter& j, const Win& w, IsoUtc& iso) {
  j.BeginObject();
  j.MemberOrNull("branch", w.branch);
  j.Member("category", w.category);
  j.MemberOrNull("commit", w.commit);
  j.Key("diffstat");
  j.BeginObject();
  j.Member("deletions", w.diffstat.deletions);
  j.Member("files", w.diffstat.files);
  j.Member("insertions", w.diffstat.insertions);
  j.EndObject();
  j.PositiveOrNull("event", w.event_id);
  j.Key("folded_commits");
  j.BeginArray();
  for (const std::string& c : w.folded_commits()) j.String(c);
  j.EndArray();
  j.Key("folded_notes");
  j.BeginArray();
  for (int64_t id : w.folded_notes()) j.Int(id);
  j.EndArray();
  j.MemberOrNull("forge", w.forge);
  if (w.kind == "incident_closed") {
    j.Key("incident");
    j.BeginObject();
    j.Member("commits", w.incident_commits);
    j.PositiveOrNull("duration_s", w.incident_seconds);
    j.EndObject();
  }
  j.Key("invisible");
  j.Bool(w.invisible);
  j.Member("kind", w.kind);
  thread_local std::string link;  // reused: one per render thread
  link.clear();
  w.AppendLink(link);
  j.MemberOrNull("link", link);
  j.Key("metrics");
  j.BeginArray();
  for (const Metric& m : w.metrics) WriteMetric(j, m);
  j.EndArray();
  j.Member("note", w.note_id);
  j.PositiveOrNull("pr", w.pr);
  j.MemberOrNull("repo", w.repo);
  j.MemberOrNull("repo_name", w.repo_name);
  j.Member("source", w.source);
  j.Key("suggestions");
  j.BeginArray();
  for (const Suggestion& s : w.suggestions) {
    j.BeginObject();
    j.Member("issue", s.issue);
    j.MemberOrNull("phrase", s.phrase);
    j.Member("suggestion", s.suggestion);
    j.EndObject();
  }
  j.EndArray();
  j.Key("tags");
  j.BeginArray();
  for (const std::string& t : w.tags()) j.String(t);
  j.EndArray();
  j.Member("text", w.text);
  j.Member("time", iso.Of(w.time));
  j.MemberOrNull("title", w.title);
  j.EndObject();
}

// The note ids of the wins `keep` picks, as an array, handed over as it
// grows: 100k ids are a MB of text.
template <typename Keep>
void WriteNoteIds(JsonWriter& j, const Digest& d, RenderOutput& output, Keep keep) {
  j.BeginArray();
  size_t n = 0;
  for (const Win& w : d.wins) {
    if (!keep(w)) continue;
    j.Int(w.note_id);
    if (++n % 1024 == 0) j.Checkpoint(output);
  }
  j.EndArray();
}

}  // namespace

void RenderJson(const Digest& d, RenderOutput& output) {
  JsonWriter j(output.buf());
  IsoUtc iso;
  j.BeginObject();
  j.Key("categories");
  j.BeginArray();
  for (const CategoryGroup& g : d.categories) {
    j.BeginObject();
    j.Member("id", g.id);
    j.Key("notes");
    j.BeginArray();
    size_t n = 0;
    for (size_t i : g.wins) {
      j.Int(d.wins[i].note_id);
      if (++n % 1024 == 0) j.Checkpoint(output);
    }
    j.EndArray();
    j.Member("title", g.title);
    j.EndObject();
    j.Checkpoint(output);
  }
  j.EndArray();
  j.Key("counts");
  j.BeginObject();
  j.Member("incidents_closed", d.counts.incidents_closed);
  j.Member("notes", d.counts.notes);
  j.Member("prs_merged", d.counts.prs_merged);
  j.Member("unanswered", d.counts.unanswered);
  j.EndObject();
  j.Key("invisible_work");
  WriteNoteIds(j, d, output, [](const Win& w) { return w.invisible; });
  j.Key("quantified");
  WriteNoteIds(j, d, output, [](const Win& w) { return !w.metrics.empty(); });
  j.Key("sharpen");
  WriteNoteIds(j, d, output, [](const Win& w) { return !w.suggestions.empty(); });
  j.Checkpoint(output);
  j.Key("unanswered");
  j.BeginArray();
  for (const Backfill& b : d.unanswered) {
    j.BeginObject();
    j.MemberOrNull("branch", b.branch);
    j.MemberOrNull("commit", b.commit);
    j.Member("kind", b.kind);
    j.MemberOrNull("link", b.link);
    j.PositiveOrNull("pr", b.pr);
    j.Member("prompt", b.prompt_id);
    j.Member("repo_name", b.repo_name);
    j.Member("state", b.state);
    j.Member("time", iso.Of(b.time));
    j.MemberOrNull("title", b.title);
    j.EndObject();
    j.Checkpoint(output);
  }
  j.EndArray();
  j.Key("window");
  j.BeginObject();
  j.Member("since", FormatIsoUtc(d.window.since));
  j.Member("until", FormatIsoUtc(d.window.until));
  j.MemberOrNull("week", d.window.label);
  j.EndObject();
  j.Key("wins");
  j.BeginArray();
  j.Flush();
  output.Each(d.wins.size(), [&, depth = j.depth()](size_t i, std::string& text) {
    thread_local IsoUtc win_iso;  // one per thread: it caches the day
    JsonWriter item(text, depth, i == 0);
    WriteWin(item, d.wins[i], win_iso);
  });
  j.Wrote(d.wins.size());
  j.EndArray();
  j.EndObject();
  j.Flush();
  output.buf() += '\n';
  output.Finish();
}

std::string RenderJson(const Digest& d) {
  RenderOutput out;
  RenderJson(d, out);
  return out.Take();
}

}  // namespace brag::digest
