// Go runtime knowledge as tables: what a goroutine's status means (wait reasons, from
// runtime2.go's waitReasonStrings), which sync/runtime frames mean "waits for lock X" and where
// X's address is among their arguments, and which frames are the standard library's. The Go
// parser asks classify_wait for every goroutine; each row is exercised by a dump in testdata/go/.
#pragma once

#include <optional>
#include <string_view>

#include "graph/model.h"

namespace dla::go {

// What a goroutine waits for, as far as its status and frames tell.
struct GoWait {
  ResourceKind kind = ResourceKind::kUnknown;
  std::optional<uint64_t> address;  // the lock/channel object, when an argument shows it
  std::string_view type;            // "sync.Mutex", "sync.RWMutex", "chan", …
  std::string_view mode;            // "write"/"read" for RWMutex, else empty
  bool shared = false;              // waits to take a read lock (RWMutex.RLock)
  bool writers_first = false;       // the lock queues new readers behind a waiting writer
  uint32_t frame = kNone;           // absolute index of the frame that enters the wait
  std::string_view never_wakes;     // "nil-channel", "no-cases": certain from the dump alone
  std::string_view state_words;     // what a status line would say ("sync.Mutex.Lock"), for
                                    // formats that print none
};

// Classifies `task` (its state and frames are already in `s`). nullopt: not waiting for anything
// (running, runnable, syscall, GC workers, …).
std::optional<GoWait> classify_wait(const Snapshot& s, const Task& task);

// The same from the frames alone, for pprof debug=1 records, which print no status. Waits whose
// frames the profile hides (channel operations are runtime frames) are not seen.
std::optional<GoWait> classify_wait_by_frames(const Snapshot& s, const Task& task);

// True for the standard library and the runtime: import paths whose first element has no dot
// ("sync", "net/http", "internal/poll"), except "main". The first frame that is not is the
// application's.
bool is_runtime_frame(std::string_view function);

// The first frame in [begin, end) of the snapshot's frames that is the application's (not the
// runtime's or the standard library's), or `end` when every one is the runtime's.
uint32_t first_program_frame(const Snapshot& s, uint32_t begin, uint32_t end);

// The package import path of a function name: "main" for "main.(*T).m",
// "github.com/a/b" for "github.com/a/b.F.func1".
std::string_view package_of(std::string_view function);

// Splits a Go argument list ("0x8fda50, {0x6e4323, 0xa}, 0x0?, ...") into its top-level items.
std::vector<std::string_view> split_args(std::string_view args);
// The value of one argument when it is a plain hex word the runtime vouches for: no "?"
// (possibly inaccurate), not "..." (elided), not an aggregate.
std::optional<uint64_t> exact_word(std::string_view arg);
// The arguments of a Go frame as ArgumentValues (positional, no names): exact words only.
std::vector<ArgumentValue> decode_arguments(std::string_view printed);

}  // namespace dla::go
