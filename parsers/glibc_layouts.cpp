#include "parsers/glibc_layouts.h"

#include <array>

namespace dla::glibc {

using kernel::Arch;

namespace {

// --- Lock layouts --------------------------------------------------------------------------------
//
// x86_64, glibc 2.25+: verified on Debian 12's glibc 2.36 (testdata/core/*.truth.txt: gdb prints
// the same fields from the same cores). Headers: sysdeps/x86/nptl/bits/struct_mutex.h (__lock 0,
// __count 4, __owner 8, __nusers 12, __kind 16, size 40), sysdeps/x86/nptl/bits/struct_rwlock.h
// (__readers 0, __writers 4, __wrphase_futex 8, __writers_futex 12, __cur_writer 24, __flags 48,
// size 56), sysdeps/nptl/bits/thread-shared-types.h (struct __pthread_cond_s: __wseq 0,
// __g1_start 8, __g_refs 16, __g_size 24, __g1_orig_size 32, __wrefs 36, __g_signals[2] 40/44),
// nptl/descr.h (struct pthread: the 704-byte tcbhead_t overlaps __padding[24], list_t list at
// 0x2c0, pid_t tid at 0x2d0; join_cycle's truth file prints &pd->tid = pthread_t + 0x2d0).
//
// x86_64, glibc ≤ 2.24 (on paper; RHEL 7's 2.17 headers, sysdeps/unix/sysv/linux/x86_64/bits/
// pthreadtypes.h): the mutex is the same; the rwlock is {__lock 0, __nr_readers 4,
// __readers_wakeup 8, __writer_wakeup 12, __nr_readers_queued 16, __nr_writers_queued 20,
// __writer 24, …}: readers sleep on +8, writers on +12, the writer's LWP at +24 as later; the
// old condition {__lock 0, __futex 4, __total_seq 8, …} sleeps on +4. (Both also sleep briefly on
// their internal __lock at +0 while it is contended; such a wait is misread as the +8 word.)
//
// aarch64, glibc 2.25+ (on paper, no capture): sysdeps/aarch64/nptl/bits/struct_mutex.h (same
// fields as x86_64: __lock 0, __count 4, __owner 8, __nusers 12, __kind 16; size 48 from
// sysdeps/aarch64/nptl/bits/pthreadtypes-arch.h), sysdeps/aarch64/nptl/bits/struct_rwlock.h
// (__readers 0, __writers 4, __wrphase_futex 8, __writers_futex 12, __pad3 16, __pad4 20,
// __cur_writer 24, __shared 28, …, __flags 48; size 56), the generic condition as above, and
// nptl/descr.h with TLS_DTV_AT_TP: the small header overlaps __padding[24] (192 bytes), list_t
// at 192, tid at 208 (0xd0); the thread pointer TPIDR_EL0 points past struct pthread, whose size
// varies by release, so a joinee is matched by its tid word alone.
constexpr std::array kLockLayouts = {
    LockLayout{Arch::kX86_64,
               {2, 25},
               {99, 99},
               true,
               "glibc 2.36 capture (testdata/core); sysdeps/x86/nptl/bits/struct_mutex.h, "
               "struct_rwlock.h, sysdeps/nptl/bits/thread-shared-types.h, nptl/descr.h",
               /*mutex_lock=*/0,
               /*mutex_owner=*/8,
               /*mutex_kind=*/16,
               /*mutex_kind_tid_in_lock=*/0x30,
               /*lock_alignment=*/8,
               /*rwlock_read_futex=*/8,
               /*rwlock_write_futex=*/12,
               /*rwlock_writer=*/24,
               /*rwlock_flags=*/48,
               /*rwlock_zero_words=*/16,
               /*cond_futex=*/{40, 44},
               /*sem_futex=*/0,
               /*pthread_tid=*/0x2d0,
               /*thread_pointer_is_descriptor=*/true},
    LockLayout{Arch::kX86_64,
               {2, 3},
               {2, 24},
               false,
               "glibc 2.17 sysdeps/unix/sysv/linux/x86_64/bits/pthreadtypes.h, nptl/descr.h",
               0,
               8,
               16,
               0x30,
               8,
               8,
               12,
               24,
               48,            // __flags (PTHREAD_RWLOCK_PREFER_READER_P: __flags == 0)
               std::nullopt,  // __nr_readers_queued, __nr_writers_queued
               {4, 4},
               0,
               0x2d0,
               true},
    LockLayout{Arch::kAarch64,
               {2, 25},
               {99, 99},
               false,
               "sysdeps/aarch64/nptl/bits/struct_mutex.h, struct_rwlock.h, pthreadtypes-arch.h, "
               "sysdeps/nptl/bits/thread-shared-types.h, nptl/descr.h (TLS_DTV_AT_TP)",
               0,
               8,
               16,
               0x30,
               8,
               8,
               12,
               24,
               48,
               16,
               {40, 44},
               0,
               0xd0,
               false},
};

}  // namespace

const LockLayout* find_lock_layout(kernel::Arch arch, std::optional<GlibcVersion> version) {
  const LockLayout* newest = nullptr;
  for (const LockLayout& row : kLockLayouts) {
    if (row.arch != arch) continue;
    if (version && row.from <= *version && *version <= row.to) return &row;
    if (newest == nullptr || newest->from < row.from) newest = &row;
  }
  return version ? nullptr : newest;
}

}  // namespace dla::glibc
