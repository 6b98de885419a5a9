// The gdb/lldb reader's second half: what each thread's own frames and owners.gdb lines said it
// waits for (PendingWait) and which locks have which owner (OwnerFact), resolved across threads
// once every thread's LWP and pthread_t is known, and written through the shared native
// wait/owner model (graph/native_waits). Private to parsers/gdb_backtrace*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/model.h"
#include "graph/resolve_glibc.h"
#include "graph/snapshot_builder.h"
#include "parsers/gdb_backtrace.h"

namespace dla::gdb_resolve {

// A lock-holder fact read from memory: owners.gdb "owner:"/"futex:" lines, or a mutex printed by
// `bt -frame-arguments all` (__owner = N) or an rwlock (__cur_writer = N).
struct OwnerFact {
  ResourceKind kind;
  std::string_view address;
  std::string_view symbol;
  int64_t owner;
  uint32_t line;
};

// What one thread waits for, as far as its own frames and owners lines tell; resolved against the
// other threads once all are read.
struct PendingWait {
  TaskIndex task = kNone;
  glibc::WaitOp op = glibc::WaitOp::kNone;
  uint32_t frame = kNone;      // absolute index of the frame proving the wait
  uint32_t app_frame = kNone;  // absolute index of the first application frame
  // The lock, when found.
  std::string address;  // as printed, or computed from a futex word
  std::optional<uint64_t> address_value;
  std::string_view symbol;
  Evidence evidence = Evidence::kArgument;
  // Joins: the joined thread, by pthread_t (threadid=) or LWP (the futex's expected=).
  std::optional<uint64_t> join_handle;
  std::optional<int64_t> join_lwp;
  // owners.gdb's futex line for this thread.
  std::optional<GdbOwnerLine> futex;
  uint32_t futex_line = 0;
  // For a thread stopped in unnamed runtime frames: its first application frame's arguments.
  std::string_view app_args;
  bool unnamed_runtime_top = false;
  uint32_t line = 0;
  // A reader asleep on the rwlock's first word (__readers): glibc puts readers there only when
  // the lock prefers writers (PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP).
  bool readers_word = false;
};

// One dump as read: by task, each thread's pthread_t (as a number and as a resource address);
// the threads' waits; the owners read.
struct ReadThreads {
  std::vector<std::optional<uint64_t>> handles;
  std::vector<std::string> handle_texts;  // pthread_t as printed, in hex (old gdb: decimal)
  std::vector<PendingWait> waits;
  std::vector<OwnerFact> owner_facts;
  void clear() {
    handles.clear();
    handle_texts.clear();
    waits.clear();
    owner_facts.clear();
  }
};

// Writes the waits, holds and their warnings of the snapshot being built, whose tasks are all
// written (`read` is by task of it). `input_name` names the input in warnings.
void resolve_waits(std::string_view input_name, ReadThreads& read, SnapshotBuilder& out);

}  // namespace dla::gdb_resolve
