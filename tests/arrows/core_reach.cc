// brag_core is the bottom layer: it reaches nothing but itself.
#if !__has_include("core/result.h")
#error "brag_core does not reach its own folder: the check is broken"
#endif
#if __has_include("model/records.h") || __has_include("config/config.h") || \
    __has_include("journal/journal.h") || __has_include("server/daemon.h")
#error "brag_core reaches a folder above it: the arrows are open again"
#endif
