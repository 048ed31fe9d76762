// brag_impact reads a note's text and nothing else: it reaches core/ only,
// not the journal, the records or the digest that uses it.
#if !__has_include("impact/metrics.h") || !__has_include("core/result.h")
#error "brag_impact does not reach the folders it links: the check is broken"
#endif
#if __has_include("digest/digest.h") || __has_include("journal/journal.h") || \
    __has_include("model/records.h") || __has_include("protocol/message.h")
#error "brag_impact reaches a folder it does not link: the arrows are open again"
#endif
