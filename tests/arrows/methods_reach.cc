// brag_methods serves the protocol below the server and the CLI: neither
// of them is reachable from it.
#if !__has_include("methods/commit_methods.h") || !__has_include("journal/journal.h")
#error "brag_methods does not reach the folders it links: the check is broken"
#endif
#if __has_include("server/daemon.h") || __has_include("cli/app.h") || \
    __has_include("watch/ref_scan.h")
#error "brag_methods reaches a folder it does not link: the arrows are open again"
#endif
