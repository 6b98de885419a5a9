// The model every parser fills and every analysis reads: one Snapshot per input. Plain data, no
// behaviour beyond lookups; the fields say where their values come from. Nothing here names an
// input format: format-specific facts arrive as ResourceKind, Evidence and strings.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "graph/diagnostics.h"
#include "graph/string_pool.h"

namespace dla {

using TaskIndex = uint32_t;      // position in Snapshot::tasks
using ResourceIndex = uint32_t;  // position in Snapshot::resources
inline constexpr uint32_t kNone = UINT32_MAX;

// One stack frame, innermost first within its task.
struct Frame {
  StrId function =
      kNoString;             // "MonitorCycle.transfer", "sync.(*Mutex).Lock", "pthread_mutex_lock"
  StrId file = kNoString;    // source file as printed ("MonitorCycle.java", "/src/app/main.go")
  StrId module = kNoString;  // shared object, jar or Java module ("java.base@17.0.15")
  StrId args = kNoString;    // raw argument text as printed, for parsers' tables to read
  int32_t line = 0;          // source line; 0 when not printed
  uint64_t pc = 0;           // program counter or offset where printed; 0 otherwise
  bool native = false;       // "(Native Method)", a C frame in a Go dump, …
};

// A goroutine, a thread, or an aggregated record of identical goroutines (Go debug=1).
struct Task {
  StrId id = kNoString;  // exactly as the dump prints it: goroutine number, Java thread name, gdb
                         // thread number, LWP for a core; "@N" for a debug=1 record
  std::optional<int64_t> lwp;  // OS thread id (Java nid, gdb LWP) where printed
  StrId name = kNoString;      // thread name where distinct from id
  StrId state = kNoString;     // raw state as printed ("BLOCKED (on object monitor)", "semacquire")
  std::optional<double> parked_minutes;   // Go "[…, N minutes]"
  std::optional<double> elapsed_seconds;  // HotSpot "elapsed=2.15s"
  uint32_t count = 1;        // how many identical tasks this stands for (Go debug=1 records)
  uint32_t first_frame = 0;  // frames are Snapshot::frames[first_frame, first_frame+frame_count)
  uint32_t frame_count = 0;
  // The innermost frame that is not the runtime's own (index within the task's frames), where a
  // user looks first; kNone when every frame is the runtime's. Set by the parser from its table.
  uint32_t app_frame = kNone;
  StrId created_by = kNoString;
  StrId created_file = kNoString;  // where the task was started (Go: the `go` statement's file
  int32_t created_line = 0;        // and line, printed under "created by")
  uint32_t input_line = 0;         // 1-based line of the task's header in the input, for messages
};

// What a task can wait for. The string names are part of the JSON contract.
enum class ResourceKind : uint8_t {
  kMutex,
  kRwlock,
  kMonitor,
  kOwnableSynchronizer,
  kCondition,
  kChannel,
  kWaitgroup,
  kSemaphore,
  kSelect,
  kIo,
  kSleep,
  kUnknown,
};
const char* to_string(ResourceKind kind);

struct Resource {
  ResourceKind kind = ResourceKind::kUnknown;
  StrId address =
      kNoString;  // address or object id exactly as first printed ("0x000000062a8b0c28")
  uint64_t address_value = 0;  // the same, as a number, for matching differently padded spellings
  StrId symbol = kNoString;    // "inventory.mu", "m_alpha" where known
  StrId type =
      kNoString;  // "java.lang.Object", "java.util.concurrent.locks.ReentrantLock$NonfairSync"
  // A reader/writer lock that queues new readers behind a waiting writer (Go's RWMutex always; a
  // glibc rwlock of kind PREFER_WRITER_NONRECURSIVE, as its memory shows): a shared waiter then
  // waits for the waiting writers too. False where unknown: the reader then waits for holders.
  bool writers_first = false;
};

// How we know an edge. The string names are part of the JSON contract; the order is from the
// strongest to the weakest (../shared/DESIGN.md), a cycle is as certain as its weakest edge, and
// a weaker edge that contradicts a stronger one is dropped.
enum class Evidence : uint8_t {
  kMemory,      // read from the process's memory (pthread mutex __owner in a core)
  kLockRecord,  // the runtime's own lock records (jstack "- locked <…>", ownable synchronizers)
  kDeclared,    // the runtime said so (HotSpot's "Found one Java-level deadlock" section), from
                // the same records, summarised
  kArgument,    // a frame's argument names the lock (mutex=0x…)
  kSource,      // a Lock() earlier in the same function, read from the source file
  kInferred,    // a heuristic
};
const char* to_string(Evidence evidence);

// "task waits for resource". `frame` is the frame where the wait shows (absolute index into
// Snapshot::frames); `app_frame` the innermost frame that is not the runtime's own, the place a
// user would look at (kNone when every frame is the runtime's).
struct WaitEdge {
  TaskIndex task = kNone;
  ResourceIndex resource = kNone;
  Evidence evidence = Evidence::kLockRecord;
  uint32_t frame = kNone;
  uint32_t app_frame = kNone;
  // Set when the dump alone proves that nothing can ever satisfy this wait (a nil channel, a
  // runtime that declared every task asleep); the text is the JSON "reason".
  StrId never_wakes = kNoString;
  // Waits to take a reader/writer lock shared (RLock, rdlock, lock_shared); false for exclusive.
  bool shared = false;
  // How never_wakes is known: the runtime's own word (kDeclared: a nil channel, "all goroutines
  // are asleep") or an inference from the program's source (kInferred).
  Evidence never_wakes_evidence = Evidence::kDeclared;
};

// "resource held by task". `frame` is the frame that took the lock (absolute index into
// Snapshot::frames), kNone when the evidence names no frame (ownable synchronizers, declared).
struct HoldEdge {
  ResourceIndex resource = kNone;
  TaskIndex task = kNone;
  Evidence evidence = Evidence::kLockRecord;
  uint32_t frame = kNone;
  int32_t line = 0;     // source line of the acquiring call when it is not the frame's own line
                        // (source evidence: the Lock() earlier in the function); 0 otherwise
  bool shared = false;  // a read lock (RWMutex.RLock): several holders are possible
};

// A cycle the runtime itself reported, by member task, in the order the runtime printed them.
struct DeclaredCycle {
  std::vector<TaskIndex> members;
  std::string where;  // "dump.txt:120"
};

// One argument of a frame, decoded from the frame's printed text by the parser that read it, so
// that graph/ reads values without knowing any dump's syntax.
struct ArgumentValue {
  std::string_view name;          // "from", "this"; empty where the dump prints values only (Go)
  std::optional<uint64_t> value;  // a pointer or integer the dump vouches for (Go: no '?')
  bool reference = false;         // a C++ reference: `value` is the referred object's address
  std::string_view symbol;        // "db_lock" from gdb's "0x… <db_lock>"
  uint64_t symbol_offset = 0;     // 8 from "<rw_table+8>"
};
// Decodes a Frame::args text into its arguments, in order. Set by the parser, which knows the
// syntax; nullptr where the format prints no arguments.
using ArgumentDecoder = std::vector<ArgumentValue> (*)(std::string_view printed);

// Which runtime produced a snapshot, for the holder-inference strategies of graph/resolve_holders.
// A creation stack of an ancestor of a task (Go GODEBUG=tracebackancestors=N: "[originating
// from goroutine N]:" blocks after "created by"): where the goroutine that started this one (or
// its starter, …) was when it ran the go statement. Never frames of the task's live stack.
struct Ancestor {
  TaskIndex task = kNone;    // whose ancestor this is
  StrId id = kNoString;      // the ancestor goroutine's id, as printed
  uint32_t first_frame = 0;  // Snapshot::ancestor_frames[first_frame, first_frame+frame_count)
  uint32_t frame_count = 0;
  StrId created_by = kNoString;  // the ancestor's own "created by", where printed
};

enum class RuntimeFamily : uint8_t { kUnknown, kJvm, kGo, kNative };

struct Snapshot {
  std::string source;   // path as given, "-" for stdin
  std::string format;   // parser name: "jvm", "go-debug2", …
  std::string runtime;  // "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1" where printed
  uint64_t bytes = 0;
  // Where this dump starts in its input (1-based line; 1 unless the input holds several dumps),
  // and when it was taken, where the dump prints it (a JVM dump's timestamp line).
  uint32_t first_line = 1;
  std::optional<int64_t> taken_at;  // seconds since the Unix epoch, in the dump's own clock
  std::string taken_at_text;        // as printed ("2026-12-01 00:50:46")
  RuntimeFamily family = RuntimeFamily::kUnknown;
  std::string task_noun = "task";  // what the runtime calls a task: "thread", "goroutine"
  // True when the runtime ran its own deadlock detection and printed the result (HotSpot always
  // does at the end of a complete dump), so that "no declared cycle" means "the runtime found
  // none".
  bool runtime_checked_deadlocks = false;
  // False for formats that print stacks but no lock information at all (jcmd
  // Thread.dump_to_file): there "no cycle" means "none visible", not "none".
  bool records_locks = true;
  ArgumentDecoder decode_arguments = nullptr;

  StringPool strings;
  std::vector<Task> tasks;
  std::vector<Frame> frames;
  std::vector<Resource> resources;
  std::vector<WaitEdge> waits;
  std::vector<HoldEdge> holds;
  std::vector<DeclaredCycle> declared_cycles;
  std::vector<Warning> warnings;
  std::vector<Ancestor> ancestors;  // by task, in the order printed
  std::vector<Frame> ancestor_frames;
  bool damaged = false;  // a parser stepped over damage: results are partial

  std::string_view str(StrId id) const { return strings.get(id); }
  std::span<const Frame> frames_of(const Task& t) const {
    return {frames.data() + t.first_frame, t.frame_count};
  }
  std::span<const Frame> frames_of(const Ancestor& a) const {
    return {ancestor_frames.data() + a.first_frame, a.frame_count};
  }
};

}  // namespace dla
