// brag_journal reaches its own folder and what it links (model/, core/);
// an upward or sideways include must not resolve (docs/architecture.md).
// __has_include searches exactly the path an #include would.
#if !__has_include("journal/journal.h") || !__has_include("model/records.h") || \
    !__has_include("core/result.h")
#error "brag_journal does not reach the folders it links: the check is broken"
#endif
#if __has_include("server/daemon.h") || __has_include("methods/commit_methods.h") || \
    __has_include("git/repo.h") || __has_include("protocol/message.h") || \
    __has_include("digest/categories.h") || __has_include("cli/app.h")
#error "brag_journal reaches a folder it does not link: the arrows are open again"
#endif
