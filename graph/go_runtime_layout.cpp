#include "graph/go_runtime_layout.h"

namespace dla::go {

namespace {

using F = FieldId;

// runtime2.go, mheap.go, chan.go, sema.go, mgc.go. Paths newest first: Go 1.20 wrapped status
// and span state words in atomic types ({value}), Go 1.26 made sudog.elem and sudog.c
// "maybe traceable" pointers whose address is the `vu` word.
constexpr FieldRow kFields[] = {
    {F::kGStackLo, "runtime.g", "stack.lo", true, "bounds every frame of the goroutine's stack"},
    {F::kGStackHi, "runtime.g", "stack.hi", true, "bounds every frame of the goroutine's stack"},
    {F::kGM, "runtime.g", "m", true, "a running goroutine's thread"},
    {F::kGSchedSp, "runtime.g", "sched.sp", true, "where a parked goroutine's stack starts"},
    {F::kGSchedPc, "runtime.g", "sched.pc", true, "where a parked goroutine stopped"},
    {F::kGSchedBp, "runtime.g", "sched.bp", false, "frame-pointer unwinding without CFI"},
    {F::kGSyscallSp, "runtime.g", "syscallsp", true, "a goroutine in a system call"},
    {F::kGSyscallPc, "runtime.g", "syscallpc", true, "a goroutine in a system call"},
    {F::kGStatus, "runtime.g", "atomicstatus.value|atomicstatus", true, "the goroutine's state"},
    {F::kGGoid, "runtime.g", "goid", true, "the goroutine's id"},
    {F::kGWaitSince, "runtime.g", "waitsince", false, "the minutes a goroutine has waited"},
    {F::kGWaitReason, "runtime.g", "waitreason", true, "what a waiting goroutine waits for"},
    {F::kGStartPc, "runtime.g", "startpc", false, "system goroutines (not counted as user ones)"},
    {F::kGGoPc, "runtime.g", "gopc", false, "created by"},
    {F::kGWaiting, "runtime.g", "waiting", false, "the channel a goroutine waits on"},
    {F::kGLockedM, "runtime.g", "lockedm", false, "\"locked to thread\""},
    {F::kMProcId, "runtime.m", "procid", false, "a running goroutine's registers (LWP = procid)"},
    {F::kMCurG, "runtime.m", "curg", false, "a running goroutine's registers"},
    {F::kMAllLink, "runtime.m", "alllink", false, "every thread's stacks, for the leak scan"},
    {F::kMG0, "runtime.m", "g0", false, "every thread's stacks, for the leak scan"},
    {F::kMGSignal, "runtime.m", "gsignal", false, "every thread's stacks, for the leak scan"},
    {F::kSudogG, "runtime.sudog", "g", false, "which goroutine a semaphore waiter is"},
    {F::kSudogNext, "runtime.sudog", "next", false, "walking the semaphore table"},
    {F::kSudogPrev, "runtime.sudog", "prev", false, "walking the semaphore table"},
    {F::kSudogElem, "runtime.sudog", "elem.vu|elem", false, "a semaphore's address"},
    {F::kSudogParent, "runtime.sudog", "parent", false, "walking the semaphore table"},
    {F::kSudogWaitLink, "runtime.sudog", "waitlink", false, "the channels of a select"},
    {F::kSudogC, "runtime.sudog", "c.vu|c", false, "the channel a goroutine waits on"},
    {F::kSemaRootTreap, "runtime.semaRoot", "treap", false, "walking the semaphore table"},
    {F::kSemtableRoot, "runtime.semtable[]", "root", false, "walking the semaphore table"},
    {F::kHchanQcount, "runtime.hchan", "qcount", false, "a channel's buffered values"},
    {F::kHchanDataqsiz, "runtime.hchan", "dataqsiz", false, "a channel's buffer size"},
    {F::kHchanClosed, "runtime.hchan", "closed", false, "whether a channel is closed"},
    {F::kHchanRecvqFirst, "runtime.hchan", "recvq.first", false, "a channel's receivers"},
    {F::kHchanSendqFirst, "runtime.hchan", "sendq.first", false, "a channel's senders"},
    {F::kMheapAllspans, "runtime.mheap", "allspans", false, "heap objects, for the leak scan"},
    {F::kMspanStartAddr, "runtime.mspan", "startAddr", false, "heap objects, for the leak scan"},
    {F::kMspanNpages, "runtime.mspan", "npages", false, "heap objects, for the leak scan"},
    {F::kMspanElemsize, "runtime.mspan", "elemsize", false, "heap objects, for the leak scan"},
    {F::kMspanState, "runtime.mspan", "state.s.value|state.s|state", false,
     "heap objects, for the leak scan"},
    {F::kMspanSpecials, "runtime.mspan", "specials", false,
     "objects with finalizers are roots of the leak scan"},
    {F::kSpecialNext, "runtime.special", "next", false,
     "objects with finalizers are roots of the leak scan"},
    {F::kSpecialOffset, "runtime.special", "offset", false,
     "objects with finalizers are roots of the leak scan"},
    {F::kSchedLastPoll, "runtime.schedt", "lastpoll.value|lastpoll", false,
     "a lower bound of the core's time, for wait minutes"},
    {F::kWorkTstart, "runtime.workType", "tstart", false,
     "a lower bound of the core's time, for wait minutes"},
};
static_assert(std::size(kFields) == static_cast<size_t>(FieldId::kCount));

constexpr TypeRow kTypes[] = {
    {TypeId::kG, "runtime.g", true},
    {TypeId::kSudog, "runtime.sudog", false},
    {TypeId::kHchan, "runtime.hchan", false},
    {TypeId::kMspan, "runtime.mspan", false},
};
static_assert(std::size(kTypes) == static_cast<size_t>(TypeId::kCount));

constexpr GlobalRow kGlobals[] = {
    {GlobalId::kAllgs, "runtime.allgs", true, "every goroutine ever created (a slice of *g)"},
    {GlobalId::kAllglen, "runtime.allglen", false, "how many of allgs are published"},
    {GlobalId::kAllm, "runtime.allm", false, "every thread (m), for running goroutines"},
    {GlobalId::kSemtable, "runtime.semtable", false, "the semaphore waiters, by address"},
    {GlobalId::kMheap, "runtime.mheap_", false, "the heap's spans, for the leak scan"},
    {GlobalId::kWaitReasonStrings, "runtime.waitReasonStrings", false,
     "the wait reasons as this release prints them"},
    {GlobalId::kBuildVersion, "runtime.buildVersion", false, "the Go release"},
    {GlobalId::kSched, "runtime.sched", false, "the core's time (lastpoll)"},
    {GlobalId::kWork, "runtime.work", false, "the core's time (the last GC's start)"},
};
static_assert(std::size(kGlobals) == static_cast<size_t>(GlobalId::kCount));

// runtime2.go _G* constants; traceback.go gStatusStrings. 5 (_Gmoribund_unused) and 7
// (_Genqueue_unused) are never set and print as "???" there.
constexpr StatusRow kStatuses[] = {
    {"runtime._Gidle", 0, "idle"},
    {"runtime._Grunnable", 1, "runnable"},
    {"runtime._Grunning", 2, "running"},
    {"runtime._Gsyscall", 3, "syscall"},
    {"runtime._Gwaiting", 4, "waiting"},
    {"runtime._Gmoribund_unused", 5, "???"},
    {"runtime._Gdead", 6, ""},
    {"runtime._Genqueue_unused", 7, "???"},
    {"runtime._Gcopystack", 8, "copystack"},
    {"runtime._Gpreempted", 9, "preempted"},
};
static_assert(std::size(kStatuses) == std::tuple_size_v<decltype(StatusValues::values)>);

// go1.19.8 src/runtime/runtime2.go, waitReason constants 0-26 (read from the release's source).
constexpr std::string_view kWaitReasons119[] = {
    "",
    "GC assist marking",
    "IO wait",
    "chan receive (nil chan)",
    "chan send (nil chan)",
    "dumping heap",
    "garbage collection",
    "garbage collection scan",
    "panicwait",
    "select",
    "select (no cases)",
    "GC assist wait",
    "GC sweep wait",
    "GC scavenge wait",
    "chan receive",
    "chan send",
    "finalizer wait",
    "force gc (idle)",
    "semacquire",
    "sleep",
    "sync.Cond.Wait",
    "timer goroutine (idle)",
    "trace reader (blocked)",
    "wait for GC cycle",
    "GC worker (idle)",
    "preempted",
    "debug call",
};

constexpr WaitReasonTable kWaitReasonTables[] = {
    {"go1.19", "go1.19", kWaitReasons119, "go1.19.8 src/runtime/runtime2.go"},
};

// sync/mutex.go, rwmutex.go, waitgroup.go: which word each semacquire call sleeps on.
constexpr SemaFieldRow kSemaFields[] = {
    {"sync.(*Mutex).lockSlow", "sync.Mutex", "sema"},
    {"sync.(*RWMutex).Lock", "sync.RWMutex", "writerSem"},
    {"sync.(*RWMutex).RLock", "sync.RWMutex", "readerSem"},
    // Go 1.20+: {state atomic.Uint64; sema uint32}; 1.18-1.19: {state1 uint64; state2 uint32}
    // with the semaphore in state2 on 64-bit platforms.
    {"sync.(*WaitGroup).Wait", "sync.WaitGroup", "sema|state2"},
};

constexpr EmbeddedLockRow kEmbeddedLocks[] = {
    // RWMutex.Lock first takes the writer mutex w, a sync.Mutex inside the RWMutex.
    {"sync.(*RWMutex).Lock", "sync.(*Mutex).Lock", "sync.RWMutex", "w"},
};

}  // namespace

std::span<const FieldRow> field_rows() {
  return kFields;
}
std::span<const TypeRow> type_rows() {
  return kTypes;
}
std::span<const GlobalRow> global_rows() {
  return kGlobals;
}
std::span<const StatusRow> status_rows() {
  return kStatuses;
}

std::optional<std::string_view> status_word(const StatusValues& values, uint32_t status) {
  for (size_t i = 0; i < std::size(kStatuses); ++i) {
    if (values.values[i] == status) return kStatuses[i].printed;
  }
  return std::nullopt;
}

bool is_status(const StatusValues& values, uint32_t status, std::string_view constant) {
  for (size_t i = 0; i < std::size(kStatuses); ++i) {
    if (kStatuses[i].constant == constant) return values.values[i] == status;
  }
  return false;
}

bool is_dead(const StatusValues& values, uint32_t status) {
  return is_status(values, status, "runtime._Gdead");
}

std::span<const WaitReasonTable> wait_reason_tables() {
  return kWaitReasonTables;
}

const WaitReasonTable* find_wait_reasons(std::string_view version) {
  // "go1.19.8" → "go1.19": releases are compared by their minor version.
  std::string_view minor = version;
  if (size_t dot = version.find('.'); dot != std::string_view::npos) {
    size_t second = version.find('.', dot + 1);
    if (second != std::string_view::npos) minor = version.substr(0, second);
  }
  for (const WaitReasonTable& t : kWaitReasonTables) {
    if (minor == t.from_version || minor == t.to_version) return &t;
  }
  return nullptr;
}

std::span<const SemaFieldRow> sema_field_rows() {
  return kSemaFields;
}

const SemaFieldRow* find_sema_field(std::string_view caller) {
  for (const SemaFieldRow& row : kSemaFields) {
    if (row.caller == caller) return &row;
  }
  return nullptr;
}

std::span<const EmbeddedLockRow> embedded_lock_rows() {
  return kEmbeddedLocks;
}

bool traceback_shows(std::string_view function, std::string_view file, bool wrapper) {
  if (wrapper || file == "<autogenerated>") return false;
  if (function == "runtime.gopanic") return true;
  if (function.find('.') == std::string_view::npos) return false;
  if (!function.starts_with("runtime.")) return true;
  char first = function.size() > 8 ? function[8] : '\0';
  return first >= 'A' && first <= 'Z';
}

bool is_stack_bottom(std::string_view function) {
  return function == "runtime.goexit" || function == "runtime.mstart" ||
         function == "runtime.rt0_go";
}

}  // namespace dla::go
