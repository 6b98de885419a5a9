#include "graph/resolve_go.h"

#include <array>
#include <vector>

#include "graph/snapshot_builder.h"
#include "graph/text_util.h"

namespace dla::go {

namespace {

struct WaitReasonRow {
  std::string_view reason;  // the status text before any ", N minutes"
  ResourceKind kind;
  std::string_view never_wakes;  // non-empty: nothing can ever wake this goroutine
};

// runtime2.go waitReasonStrings, Go 1.3 to 1.25. Rows with kUnknown are decided by the frames
// (Go ≤ 1.19 prints every sync wait as "semacquire").
constexpr std::array kWaitReasons = {
    WaitReasonRow{"chan receive (nil chan)", ResourceKind::kChannel, "nil-channel"},
    WaitReasonRow{"chan send (nil chan)", ResourceKind::kChannel, "nil-channel"},
    WaitReasonRow{"select (no cases)", ResourceKind::kSelect, "no-cases"},
    WaitReasonRow{"chan receive", ResourceKind::kChannel, ""},
    WaitReasonRow{"chan send", ResourceKind::kChannel, ""},
    WaitReasonRow{"select", ResourceKind::kSelect, ""},
    // Go 1.25 synctest bubbles: "durable" blocks that only a bubble member can end.
    WaitReasonRow{"chan receive (durable)", ResourceKind::kChannel, ""},
    WaitReasonRow{"chan send (durable)", ResourceKind::kChannel, ""},
    WaitReasonRow{"select (durable)", ResourceKind::kSelect, ""},
    WaitReasonRow{"sync.WaitGroup.Wait (durable)", ResourceKind::kWaitgroup, ""},
    // Go 1.20+ name the sync waits; ≤ 1.19 say "semacquire" and the frames tell which.
    WaitReasonRow{"sync.Mutex.Lock", ResourceKind::kMutex, ""},
    WaitReasonRow{"sync.RWMutex.Lock", ResourceKind::kRwlock, ""},
    WaitReasonRow{"sync.RWMutex.RLock", ResourceKind::kRwlock, ""},
    WaitReasonRow{"sync.WaitGroup.Wait", ResourceKind::kWaitgroup, ""},
    WaitReasonRow{"sync.Cond.Wait", ResourceKind::kCondition, ""},
    WaitReasonRow{"semacquire", ResourceKind::kUnknown, ""},
    WaitReasonRow{"IO wait", ResourceKind::kIo, ""},
    WaitReasonRow{"sleep", ResourceKind::kSleep, ""},
    // Go 1.26 goroutine-leak detection: the runtime proved nothing can wake it.
    WaitReasonRow{"chan send (leaked)", ResourceKind::kChannel, "leaked"},
    WaitReasonRow{"chan receive (leaked)", ResourceKind::kChannel, "leaked"},
    WaitReasonRow{"select (leaked)", ResourceKind::kSelect, "leaked"},
};

// The function through which a goroutine enters a wait: the frame whose caller wrote the
// blocking statement. Its first argument is the object waited for (a method receiver or the
// channel), where the runtime printed it exactly.
struct EntryRow {
  std::string_view function;
  ResourceKind kind;
  std::string_view type;
  std::string_view mode;
  std::string_view state_words;  // the status Go 1.20+ would print for it
  // sync/rwmutex.go: a pending writer makes readerCount negative, so every RLock after it waits
  // for that writer (Go 1.0 to 1.26): new readers queue behind a waiting writer.
  bool writers_first = false;
};
constexpr std::array kWaitEntries = {
    EntryRow{"sync.(*Mutex).Lock", ResourceKind::kMutex, "sync.Mutex", "", "sync.Mutex.Lock"},
    EntryRow{"sync.(*RWMutex).Lock", ResourceKind::kRwlock, "sync.RWMutex", "write",
             "sync.RWMutex.Lock", true},
    EntryRow{"sync.(*RWMutex).RLock", ResourceKind::kRwlock, "sync.RWMutex", "read",
             "sync.RWMutex.RLock", true},
    EntryRow{"sync.(*WaitGroup).Wait", ResourceKind::kWaitgroup, "sync.WaitGroup", "",
             "sync.WaitGroup.Wait"},
    EntryRow{"sync.(*Cond).Wait", ResourceKind::kCondition, "sync.Cond", "", "sync.Cond.Wait"},
    EntryRow{"runtime.chanrecv1", ResourceKind::kChannel, "chan", "receive", "chan receive"},
    EntryRow{"runtime.chanrecv2", ResourceKind::kChannel, "chan", "receive", "chan receive"},
    EntryRow{"runtime.chansend1", ResourceKind::kChannel, "chan", "send", "chan send"},
    EntryRow{"runtime.selectgo", ResourceKind::kSelect, "", "", "select"},
    EntryRow{"runtime.block", ResourceKind::kSelect, "", "", "select (no cases)"},  // select {}
    EntryRow{"time.Sleep", ResourceKind::kSleep, "", "", "sleep"},
    EntryRow{"internal/poll.runtime_pollWait", ResourceKind::kIo, "", "", "IO wait"},
};

// Inside an entry function, inner frames whose first argument points into the waited object:
// the object is at that argument minus `offset`. `outer` is the frame that called `inner`.
// Offsets from sync/mutex.go and sync/rwmutex.go, Go 1.9-1.25 (amd64 and arm64 alike):
// Mutex{state int32; sema uint32}, RWMutex{w Mutex; writerSem, readerSem uint32; …}.
struct InnerRow {
  std::string_view outer;
  std::string_view inner;
  int64_t offset;
};
constexpr std::array kInnerArguments = {
    InnerRow{"sync.(*Mutex).Lock", "sync.(*Mutex).lockSlow", 0},
    InnerRow{"sync.(*Mutex).lockSlow", "sync.runtime_SemacquireMutex", 4},     // &m.sema
    InnerRow{"sync.(*RWMutex).Lock", "sync.(*Mutex).Lock", 0},                 // &rw.w
    InnerRow{"sync.(*RWMutex).Lock", "sync.runtime_SemacquireMutex", 8},       // &rw.writerSem
    InnerRow{"sync.(*RWMutex).Lock", "sync.runtime_SemacquireRWMutex", 8},     // Go 1.21+
    InnerRow{"sync.(*RWMutex).RLock", "sync.runtime_SemacquireMutex", 12},     // &rw.readerSem
    InnerRow{"sync.(*RWMutex).RLock", "sync.runtime_SemacquireRWMutexR", 12},  // Go 1.21+
    // At GOTRACEBACK=system (SIGQUIT) the runtime frames below show the semaphore's address.
    InnerRow{"sync.runtime_SemacquireMutex", "runtime.semacquire1", 0},
    InnerRow{"sync.runtime_SemacquireRWMutex", "runtime.semacquire1", 0},
    InnerRow{"sync.runtime_SemacquireRWMutexR", "runtime.semacquire1", 0},
    InnerRow{"sync.runtime_Semacquire", "runtime.semacquire1", 0},
};

const EntryRow* find_entry(std::string_view function) {
  for (const EntryRow& row : kWaitEntries) {
    if (row.function == function) return &row;
  }
  return nullptr;
}

int64_t inner_offset(std::string_view outer, std::string_view inner, bool& known) {
  for (const InnerRow& row : kInnerArguments) {
    if (row.outer == outer && row.inner == inner) {
      known = true;
      return row.offset;
    }
  }
  known = false;
  return 0;
}

}  // namespace

std::vector<std::string_view> split_args(std::string_view args) {
  return split_top_level(args);
}

std::optional<uint64_t> exact_word(std::string_view arg) {
  if (arg.size() < 3 || arg.substr(0, 2) != "0x" || arg.back() == '?') return std::nullopt;
  return parse_hex(arg);
}

std::vector<ArgumentValue> decode_arguments(std::string_view printed) {
  std::vector<ArgumentValue> out;
  for (std::string_view arg : split_args(printed)) {
    ArgumentValue v;
    v.value = exact_word(arg);
    out.push_back(v);
  }
  return out;
}

std::string_view package_of(std::string_view function) {
  // The package path ends at the first '.' after the last '/'.
  size_t slash = function.rfind('/', function.find('('));
  size_t dot = function.find('.', slash == std::string_view::npos ? 0 : slash);
  return function.substr(0, dot);
}

bool is_runtime_frame(std::string_view function) {
  std::string_view package = package_of(function);
  if (package == "main") return false;
  std::string_view first = package.substr(0, package.find('/'));
  // Go 1.3-era C runtime frames have no package at all ("runfinq").
  return first.find('.') == std::string_view::npos;
}

uint32_t first_program_frame(const Snapshot& s, uint32_t begin, uint32_t end) {
  for (uint32_t f = begin; f < end; ++f) {
    if (!is_runtime_frame(s.str(s.frames[f].function))) return f;
  }
  return end;
}

namespace {

// From the frames: the outermost entry frame decides what is waited for (RWMutex.Lock, not the
// Mutex.Lock of its writer mutex inside it); its argument, or an inner frame's adjusted by the
// field offset, gives the address. False when no entry frame is among the runtime's frames.
bool read_entry_frames(const Snapshot& s, const Task& task, GoWait& wait) {
  auto frames = s.frames_of(task);
  size_t entry = frames.size();
  for (size_t i = 0; i < frames.size(); ++i) {
    if (find_entry(s.str(frames[i].function)) != nullptr) entry = i;
    if (!is_runtime_frame(s.str(frames[i].function))) break;
  }
  if (entry == frames.size()) return false;
  const EntryRow* row = find_entry(s.str(frames[entry].function));
  if (wait.kind == ResourceKind::kUnknown || wait.kind == row->kind ||
      (wait.kind == ResourceKind::kChannel && row->kind == ResourceKind::kSelect)) {
    wait.kind = row->kind;
  }
  wait.type = row->type;
  wait.mode = row->mode;
  wait.shared = row->mode == "read";
  wait.writers_first = row->writers_first;
  wait.state_words = row->state_words;
  wait.frame = task.first_frame + static_cast<uint32_t>(entry);
  int64_t offset = 0;
  for (size_t i = entry + 1; i-- > 0;) {
    if (i < entry) {
      bool known = false;
      offset += inner_offset(s.str(frames[i + 1].function), s.str(frames[i].function), known);
      if (!known) break;
    }
    auto args = split_args(s.str(frames[i].args));
    if (args.empty()) continue;
    if (auto word = exact_word(args[0])) {
      wait.address = *word - static_cast<uint64_t>(offset);
      break;
    }
  }
  return true;
}

}  // namespace

std::optional<GoWait> classify_wait(const Snapshot& s, const Task& task) {
  std::string_view state = s.str(task.state);
  const WaitReasonRow* reason = nullptr;
  for (const WaitReasonRow& row : kWaitReasons) {
    if (row.reason == state) {
      reason = &row;
      break;
    }
  }
  if (reason == nullptr) return std::nullopt;
  GoWait wait;
  wait.kind = reason->kind;
  wait.never_wakes = reason->never_wakes;
  if (!read_entry_frames(s, task, wait) && wait.kind == ResourceKind::kUnknown) {
    wait.kind = ResourceKind::kSemaphore;  // semacquire outside sync: a runtime semaphore
  }
  return wait;
}

std::optional<GoWait> classify_wait_by_frames(const Snapshot& s, const Task& task) {
  GoWait wait;
  if (!read_entry_frames(s, task, wait)) return std::nullopt;
  return wait;
}

}  // namespace dla::go
