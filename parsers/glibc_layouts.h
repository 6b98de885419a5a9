// Where glibc keeps the facts a core's memory can prove, as tables: the byte offsets of the owner
// and futex fields inside pthread mutexes, rwlocks and conditions, and of the thread id inside a
// thread's descriptor, per architecture and glibc range (the kernel's side, registers and
// syscalls, is parsers/kernel_core_layout.h). The ELF-core reader looks everything up here and
// knows no offset itself; adding an architecture or a glibc layout means adding a row.
// What a frame means (mutex lock, join, …) is graph/resolve_glibc's business, not this file's.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "parsers/kernel_core_layout.h"

namespace dla::glibc {

struct GlibcVersion {
  int major = 0;
  int minor = 0;
  auto operator<=>(const GlibcVersion&) const = default;
};

// One glibc struct layout, valid for [from, to] on one architecture (LP64 only). Offsets are in
// bytes from the start of the object.
struct LockLayout {
  kernel::Arch arch;
  GlibcVersion from;
  GlibcVersion to;          // inclusive; {99, 99}: no known end
  bool verified;            // read from a real core (testdata/core), not only from the headers
  std::string_view source;  // where the numbers come from

  // pthread_mutex_t (struct __pthread_mutex_s): lll_lock sleeps on __lock; __owner is the owner's
  // LWP; __kind & 0x70 marks robust/PI/PP mutexes, whose __lock holds the owner's tid too.
  uint32_t mutex_lock;
  uint32_t mutex_owner;
  uint32_t mutex_kind;
  // The __kind bits of the mutexes whose __lock word holds the owner's tid (under the kernel's
  // FUTEX_TID_MASK): PTHREAD_MUTEX_ROBUST_NORMAL_NP 16 | PTHREAD_MUTEX_PRIO_INHERIT_NP 32
  // (nptl/pthreadP.h). Priority-protect mutexes (64) keep their ceiling there instead.
  uint32_t mutex_kind_tid_in_lock;
  // pthread_rwlock_t: readers sleep on one futex word, writers on another (a writer that waits
  // for readers to leave sleeps on the readers' word); the writer's LWP is recorded, readers are
  // only counted. The object is 8-byte aligned, so the word's address tells the two apart.
  // The alignment of every lock object (an rwlock's two futex words are told apart by it).
  uint32_t lock_alignment;
  uint32_t rwlock_read_futex;
  uint32_t rwlock_write_futex;
  uint32_t rwlock_writer;
  // The rwlock's kind (__flags): 0 prefers readers; any other value (glibc sets it for
  // PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP) queues new readers behind a waiting writer.
  uint32_t rwlock_flags;
  // Two 32-bit words that are always 0 (__pad3, __pad4 from 2.25), which tell an rwlock from a
  // mutex when no frame says which one a thread waits for; nullopt where there are none.
  std::optional<uint32_t> rwlock_zero_words;
  // pthread_cond_t: waiters sleep on one of the group signal words (two groups from 2.25, one
  // before); the object is 8-byte aligned. cond_futex[1] == cond_futex[0] where there is one.
  uint32_t cond_futex[2];
  // sem_t (struct new_sem): waiters sleep on the value word.
  uint32_t sem_futex;
  // struct pthread: pthread_join sleeps on the joinee's `tid` (the kernel clears it at exit).
  // On x86_64 the thread pointer (fs_base) is the struct pthread itself.
  uint32_t pthread_tid;
  bool thread_pointer_is_descriptor;
};

// The row for this architecture and glibc version; with no version, the newest row of the
// architecture (callers say so in a warning). nullptr when the architecture has none.
const LockLayout* find_lock_layout(kernel::Arch arch, std::optional<GlibcVersion> version);

}  // namespace dla::glibc
