// brag_protocol (the wire) reaches model/ and core/, never the journal,
// git or the server that uses it.
#if !__has_include("protocol/message.h") || !__has_include("model/records.h")
#error "brag_protocol does not reach the folders it links: the check is broken"
#endif
#if __has_include("journal/journal.h") || __has_include("git/repo.h") || \
    __has_include("server/daemon.h") || __has_include("cli/app.h")
#error "brag_protocol reaches a folder it does not link: the arrows are open again"
#endif
