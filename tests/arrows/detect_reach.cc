// brag_detect is pure classification: it reaches core/ only, no git, no
// journal, no watcher.
#if !__has_include("detect/forge_marker.h") || !__has_include("core/result.h")
#error "brag_detect does not reach the folders it links: the check is broken"
#endif
#if __has_include("git/repo.h") || __has_include("journal/journal.h") || \
    __has_include("watch/ref_scan.h") || __has_include("model/records.h")
#error "brag_detect reaches a folder it does not link: the arrows are open again"
#endif
