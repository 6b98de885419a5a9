// The native (glibc) wait/owner model, once for every reader of native processes: the gdb/lldb
// text reader (parsers/gdb_backtrace*) and the ELF core reader (parsers/core_glibc_waits.cpp) hand
// it data — each thread's LWP and pthread_t, each wait's lock address (as found through
// graph/resolve_glibc's tables or a futex word), an owner's LWP read from memory or printed by
// owners.gdb, with its evidence — and it writes the resources, wait edges, hold edges and warnings
// through a SnapshotBuilder. It knows no input syntax.
//
// What it decides, the same for a gdb dump and a core of one process:
//  - a lock is keyed by kind and address; its symbol is the first one any reader names;
//  - a wait whose lock is not known gets a resource of its own, never a guessed address;
//  - a join is a wait on a condition of type "pthread_t" keyed by the joined thread's pthread_t,
//    held by the joined thread (see NativeWait::join);
//  - an owner value names a thread only when it is an LWP of this process (kOwnerValues), and
//    an owner that is not a thread of the process is one warning per LWP, never an edge.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graph/model.h"
#include "graph/resolve_glibc.h"
#include "graph/snapshot_builder.h"

namespace dla::native {

// What a lock's owner field (pthread_mutex_t.__data.__owner, pthread_rwlock_t.__cur_writer,
// owners.gdb's __owner and int32@+8) says when it names no thread. One row per value.
struct OwnerValueRow {
  int64_t value;
  bool at_most;  // true: every value up to `value` (0: unlocked; below: no LWP)
  std::string_view meaning;
};
inline constexpr std::array kOwnerValues = {
    // glibc nptl: 0 while the mutex is free; LWPs are positive.
    OwnerValueRow{0, true, "unlocked (no LWP is 0 or negative)"},
    // glibc struct_mutex.h, robust mutexes: PTHREAD_MUTEX_INCONSISTENT, the owner died.
    OwnerValueRow{glibc::kOwnerInconsistent, false, "owner died: the robust mutex is inconsistent"},
    // PTHREAD_MUTEX_NOTRECOVERABLE: unlocked while inconsistent, can never be locked again.
    OwnerValueRow{glibc::kOwnerNotRecoverable, false, "not recoverable"},
};

// Whether an owner field's value is an LWP (a thread that may hold the lock), by kOwnerValues.
bool names_owner(int64_t value);

// One blocked thread's wait, as far as its reader has found it.
struct NativeWait {
  TaskIndex task = kNone;
  uint32_t frame = kNone;      // absolute index of the frame proving the wait (kNone: none)
  uint32_t app_frame = kNone;  // absolute index of its first application frame
  Evidence evidence = Evidence::kArgument;
  bool shared = false;  // waits for an rwlock's read side

  // A lock, condition or semaphore (join false): its kind and address, as printed or computed
  // ("0x5592675d80a0"); empty when the reader could not find it: then the wait gets a resource of
  // its own. `type` is the resource's type ("futex" for a futex word no frame names).
  ResourceKind kind = ResourceKind::kUnknown;
  std::string address;
  std::string symbol;  // the lock's data symbol, when known
  std::string_view type;
  bool writers_first = false;  // the rwlock queues new readers behind a waiting writer
  // The lock's owner, read from memory with the wait's evidence (cores): an LWP, or a value that
  // names none (kOwnerValues).
  std::optional<int64_t> owner;

  // A join (pthread_join, std::thread::join) waits for an event — the joined thread's exit — that
  // exactly one thread can cause, like a condition whose only signaller is known: a wait on a
  // condition (type "pthread_t") keyed by the joined thread's pthread_t (`address`; empty when
  // unknown), held by the joined thread. The hold edge makes a ring of joins a cycle and a join of
  // a thread stuck in a cycle "blocked behind" it; kUnknown would say we do not know what is
  // awaited, which is false.
  bool join = false;
  TaskIndex joinee = kNone;  // the joined thread, when it is a thread of the process
  Evidence joinee_evidence = Evidence::kArgument;
  // How the joined thread is named when it is not a thread of the process ("thread 0x7f…",
  // "LWP 4012"): a warning; empty: no warning (nothing names it).
  std::string missing_joinee;

  std::string where;  // for warnings: "file:line" or the input's name
};

class NativeWaits {
 public:
  // One per snapshot. `input_noun` names the input in messages: "dump", "core".
  NativeWaits(SnapshotBuilder& out, std::string_view input_noun) : out_(out), noun_(input_noun) {}

  // A thread of the process: its task, LWP and pthread_t (the address of its descriptor), each
  // where known. The first thread given an LWP or a pthread_t keeps it.
  void add_thread(TaskIndex task, std::optional<int64_t> lwp, std::optional<uint64_t> handle);
  TaskIndex thread_by_lwp(int64_t lwp) const;
  TaskIndex thread_by_handle(uint64_t handle) const;
  std::optional<uint64_t> handle_of(TaskIndex task) const;
  // Whether `lwp` is an LWP of a thread of the process.
  bool is_thread(int64_t lwp) const { return names_owner(lwp) && thread_by_lwp(lwp) != kNone; }

  // A futex word `uaddr` holding `word` is the tid field of the thread whose LWP is `word` when it
  // lies inside that thread's descriptor: at `tid_offset` from its pthread_t when the layout is
  // known, else within glibc::kThreadDescriptorSpan of it. pthread_join sleeps on exactly that
  // word. The joined thread, or kNone.
  TaskIndex joinee_by_tid_word(uint64_t uaddr, int64_t word,
                               std::optional<uint64_t> tid_offset) const;

  // The resource of a lock at a known address, with its symbol set when first named.
  ResourceIndex lock(ResourceKind kind, std::string_view address, std::string_view symbol = {},
                     std::string_view type = {});
  // Adds the wait: its resource, the wait edge, the joined thread's or the owner's hold.
  // Returns the resource.
  ResourceIndex add_wait(const NativeWait& w);
  // A lock's owner named apart from any wait (owners.gdb lines, a mutex printed by
  // `bt -frame-arguments all`): held by the thread whose LWP is `owner`.
  void add_owner(ResourceKind kind, std::string_view address, std::string_view symbol,
                 int64_t owner, Evidence evidence, const std::string& where);
  // Holds resource `r` by the thread whose LWP is `owner`; a value that names no thread adds
  // nothing, an LWP that is not a thread of the process one warning per LWP.
  void hold(ResourceIndex r, int64_t owner, Evidence evidence, const std::string& where);

  // A resource standing in for a lock no reader could find (one per wait).
  bool is_unknown(ResourceIndex r) const { return r < unknown_.size() && unknown_[r]; }
  // A joined thread's resource.
  bool is_join(ResourceIndex r) const { return r < joins_.size() && joins_[r]; }

 private:
  static void flag(std::vector<bool>& v, ResourceIndex r);

  SnapshotBuilder& out_;
  std::string noun_;
  std::unordered_map<int64_t, TaskIndex> by_lwp_;
  std::unordered_map<uint64_t, TaskIndex> by_handle_;
  std::vector<std::optional<uint64_t>> handles_;  // by task
  std::unordered_set<int64_t> warned_owners_;     // LWPs already named "not a thread"
  std::vector<bool> unknown_;                     // by resource
  std::vector<bool> joins_;                       // by resource
};

}  // namespace dla::native
