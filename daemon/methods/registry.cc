#include "methods/registry.h"

#include <utility>

namespace brag {

using nlohmann::json;

const Config& MethodCall::config() const {
  static const Config kDefaults;
  return context.config ? *context.config : kDefaults;
}

Result<Journal*> MethodCall::journal() const {
  if (context.journal) return context.journal;
  return MakeError("journal", "no journal at " + JournalPath(config()).string());
}

Error FromJournal(const Error& e) {
  if (e.code == "not_found" || e.code == "conflict" || e.code == "bad_request") return e;
  return MakeError("journal", e.message);
}

const std::vector<MethodSpec>& AllMethods() {
  static const std::vector<MethodSpec> methods = [] {
    std::vector<MethodSpec> all;
    AddDaemonMethods(all);
    AddPromptMethods(all);
    AddJournalMethods(all);
    AddDigestMethods(all);
    AddCommitMethods(all);
    AddRepoMethods(all);
    return all;
  }();
  return methods;
}

const MethodSpec* FindMethod(std::string_view name) {
  for (const MethodSpec& spec : AllMethods()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

void CallMethod(const std::string& method, const json& params,
                const MethodContext& context, MethodReply reply) {
  const MethodSpec* spec = FindMethod(method);
  if (!spec) {
    return reply(MakeError("unknown_method",
                           "no method \"" + method + "\" (see docs/protocol.md)"));
  }
  if (spec->needs_daemon && !context.daemon) {
    return reply(MakeError("unreachable", "bragd is not running (\"" + method +
                                              "\" needs it; start bragd)"));
  }
  ParamReader reader(method, params);
  if (Status s = reader.CheckObject(); !s) return reply(s.error());
  MethodCall call{reader, context};
  if (spec->run) return reply(spec->run(call));
  spec->run_later(call, std::move(reply));
}

Result<json> CallMethod(const std::string& method, const json& params,
                        const MethodContext& context) {
  const MethodSpec* spec = FindMethod(method);
  if (spec && spec->run_later && context.daemon) {
    return MakeError("internal", "\"" + method + "\" answers later: call it with a reply");
  }
  Result<json> result = MakeError("internal", "no reply");
  CallMethod(method, params, context, [&result](Result<json> r) { result = std::move(r); });
  return result;
}

}  // namespace brag
