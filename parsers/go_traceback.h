// Go goroutine dumps in the traceback format: /debug/pprof/goroutine?debug=2, SIGQUIT and
// GOTRACEBACK crashes, "fatal error: all goroutines are asleep - deadlock!", panics; Go 1.3 to
// 1.26. tokenize_go_line turns one line into a GoLine; the reader is a small state machine over
// those tokens. What a goroutine waits for is decided by graph/resolve_go's tables.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "parsers/parser.h"

namespace dla {

struct GoLine {
  enum class Kind : uint8_t {
    kOther,  // register dumps, "SIGQUIT: quit", "PC=…", panic values, "exit status 2"
    kBlank,
    kHeader,        // "goroutine 18 [semacquire, 5 minutes, locked to thread]:"
    kCall,          // "sync.(*Mutex).lockSlow(0x8fda50)" → text = function, detail = arguments
    kLocation,      // "\t/usr/lib/go/src/sync/mutex.go:171 +0x165" → text = file, number = line
    kCreatedBy,     // "created by main.main" (1.21+: "… in goroutine 1") → text = function
    kElided,        // "...additional frames elided...", "...55 frames elided..."
    kFatal,         // "fatal error: all goroutines are asleep - deadlock!" → text = the message
    kPanic,         // "panic: deadlock: main bubble goroutine has exited…" → text = the message
    kRuntimeStack,  // "runtime stack:": system-stack frames follow, not a goroutine's
    kSignal,        // "SIGQUIT: quit", "SIGSEGV: segmentation violation": a signal's dump starts
    kAncestor,      // "[originating from goroutine 24]:" (GODEBUG=tracebackancestors) → text = id
  };
  Kind kind = Kind::kOther;
  std::string_view text;
  std::string_view detail;
  int64_t number = 0;
  // Header fields.
  std::string_view state;          // "semacquire", "chan receive (nil chan)"
  std::optional<int64_t> minutes;  // ", 5 minutes"
  bool locked_to_thread = false;
};

GoLine tokenize_go_line(std::string_view line);

// Whether a "fatal error: …" or "panic: …" line is the runtime declaring that the goroutines it
// lists can never run again (`all goroutines are asleep - deadlock!`, synctest's `deadlock: …`).
bool declares_every_waiter_stuck(const GoLine& message);

std::unique_ptr<Parser> make_go_traceback_parser();

// Reads a Go traceback in up to `pieces` pieces of at least `min_piece_bytes`, split at goroutine
// headers and read on a thread each, into `out` exactly as the whole would be read (the parser
// does so for a big dump). False, with nothing written, when the dump cannot be read that way
// (too small, a log prefix, several dumps, goroutine 0, a crash's messages, a warning): read it
// whole then.
bool read_go_traceback_in_pieces(const Input& input, SnapshotBuilder& out, size_t pieces,
                                 size_t min_piece_bytes);

}  // namespace dla
