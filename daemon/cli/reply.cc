#include "cli/reply.h"

#include <string>
#include <vector>

namespace brag::cli {
namespace {

using nlohmann::json;

enum class Type { kString, kInteger, kBool, kStrings, kObject, kObjects };

struct Member;
using Shape = std::vector<Member>;

// One member of an object: its type, and for objects (or each object of an
// array) their shape. An optional member may be absent or null.
struct Member {
  const char* key;
  Type type;
  const Shape* shape = nullptr;
  bool required = false;
};

bool Fits(const json& value, const Shape& shape);

bool HasType(const json& value, const Member& m) {
  switch (m.type) {
    case Type::kString:
      return value.is_string();
    case Type::kInteger:
      return value.is_number_integer();
    case Type::kBool:
      return value.is_boolean();
    case Type::kStrings:
      if (!value.is_array()) return false;
      for (const json& s : value) {
        if (!s.is_string()) return false;
      }
      return true;
    case Type::kObject:
      return Fits(value, *m.shape);
    case Type::kObjects:
      if (!value.is_array()) return false;
      for (const json& o : value) {
        if (!Fits(o, *m.shape)) return false;
      }
      return true;
  }
  return false;
}

bool Fits(const json& value, const Shape& shape) {
  if (!value.is_object()) return false;
  for (const Member& m : shape) {
    auto it = value.find(m.key);
    if (it == value.end() || it->is_null()) {
      if (m.required) return false;
      continue;
    }
    if (!HasType(*it, m)) return false;
  }
  return true;
}

const Shape kDiffstat{{"files", Type::kInteger},
                      {"insertions", Type::kInteger},
                      {"deletions", Type::kInteger}};
const Shape kIncident{{"opened", Type::kString},
                      {"closed", Type::kString},
                      {"duration_s", Type::kInteger},
                      {"commits", Type::kInteger},
                      {"merged", Type::kBool}};
const Shape kCommitNote{
    {"id", Type::kInteger}, {"text", Type::kString}, {"commit", Type::kString}};

// A prompt, a note or a log entry (docs/protocol.md, "Objects"): one shape,
// since they share their field names.
Shape RecordShape(bool with_id) {
  return {{"id", Type::kInteger, nullptr, with_id},
          {"kind", Type::kString},
          {"state", Type::kString},
          {"created", Type::kString},
          {"time", Type::kString},
          {"repo", Type::kString},
          {"repo_name", Type::kString},
          {"commit", Type::kString},
          {"forge", Type::kString},
          {"pr", Type::kInteger},
          {"title", Type::kString},
          {"branch", Type::kString},
          {"authors", Type::kStrings},
          {"diffstat", Type::kObject, &kDiffstat},
          {"incident", Type::kObject, &kIncident},
          {"commit_notes", Type::kObjects, &kCommitNote},
          {"snoozed_until", Type::kString},
          {"note", Type::kString},
          {"text", Type::kString},
          {"tags", Type::kStrings}};
}

const Shape kEntry = RecordShape(false);  // an event without a prompt has no id
const Shape kPrompt = RecordShape(true);
const Shape kRepo{{"id", Type::kInteger},   {"path", Type::kString},
                  {"name", Type::kString},  {"state", Type::kString},
                  {"error", Type::kString}, {"watching", Type::kString}};

struct MethodShape {
  const char* method;
  Shape result;
};

const std::vector<MethodShape>& MethodShapes() {
  static const std::vector<MethodShape> shapes{
      {"note", {{"note", Type::kObject, &kPrompt, true}}},
      {"pending",
       {{"prompts", Type::kObjects, &kPrompt, true},
        {"count", Type::kInteger},
        {"snoozed", Type::kInteger},
        {"next", Type::kString}}},
      {"log", {{"entries", Type::kObjects, &kEntry, true}, {"next", Type::kString}}},
      {"answer", {{"prompt", Type::kObject, &kPrompt, true}}},
      // One prompt named: "prompt"; several or a selection: "prompts".
      {"snooze",
       {{"prompt", Type::kObject, &kPrompt},
        {"prompts", Type::kObjects, &kPrompt},
        {"count", Type::kInteger}}},
      {"dismiss",
       {{"prompt", Type::kObject, &kPrompt},
        {"prompts", Type::kObjects, &kPrompt},
        {"count", Type::kInteger}}},
      {"repos.add", {{"repo", Type::kObject, &kRepo, true}}},
      {"repos.list", {{"repos", Type::kObjects, &kRepo, true}}},
      {"status",
       {{"running", Type::kBool, nullptr, true},
        {"pid", Type::kInteger},
        {"version", Type::kString},
        {"uptime_s", Type::kInteger},
        {"socket", Type::kString},
        {"socket_activated", Type::kBool},
        {"journal", Type::kString},
        {"config", Type::kString},
        {"identities", Type::kStrings},
        {"pending", Type::kInteger},
        {"journal_error", Type::kString},
        {"unrecorded_repos", Type::kInteger},
        {"repos", Type::kObjects, &kRepo}}},
  };
  return shapes;
}

}  // namespace

Error UnexpectedReply(std::string_view method) {
  return MakeError("protocol",
                   "bragd sent an unexpected reply to " + std::string(method));
}

Status CheckReply(std::string_view method, const json& result) {
  for (const MethodShape& m : MethodShapes()) {
    if (m.method != method) continue;
    if (!Fits(result, m.result)) return UnexpectedReply(method);
    return {};
  }
  return {};
}

Status CheckPushedPrompt(const json& data) {
  if (!Fits(data, kPrompt)) return UnexpectedReply("subscribe (a prompt event)");
  return {};
}

}  // namespace brag::cli
