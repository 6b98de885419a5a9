#include "graph/glibc_layouts.h"

#include <array>

namespace dla::glibc {

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

// --- Registers -----------------------------------------------------------------------------------
//
// struct elf_prstatus (include/uapi/linux/elfcore.h) on LP64: pr_info 0 (12 bytes), pr_cursig 12,
// pr_sigpend 16, pr_sighold 24, pr_pid 32, pr_ppid 36, pr_pgrp 40, pr_sid 44, four struct timeval
// 48..111, pr_reg 112, then pr_fpvalid.
//
// x86_64 pr_reg = struct user_regs_struct (arch/x86/include/asm/user_64.h): r15 r14 r13 r12 rbp
// rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp ss fs_base gs_base ds es fs gs
// (27 words; eu-readelf -n shows the same). A thread inside a syscall has its number in orig_rax
// (-1 outside one) and the first argument in rdi, also in a kernel core taken by SIGABRT (the
// syscall is interrupted, not restarted, when the signal kills): verified on every committed core.
// DWARF numbering (x86-64 psABI): rax rdx rcx rbx rsi rdi rbp rsp r8-r15 rip.
constexpr uint8_t kX86_64Dwarf[] = {10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16};

// aarch64 pr_reg = struct user_pt_regs: x0..x30, sp, pc, pstate (34 words). The syscall number is
// in x8 (futex = 98, include/uapi/asm-generic/unistd.h); x0 carries the first argument on entry
// and the result on exit, but a syscall interrupted by a fatal signal has x0 restored from orig_x0
// before the core is written (arch/arm64/kernel/signal.c do_signal). On paper: no capture.
// DWARF numbering (AAPCS64): x0-x30 = 0-30, sp = 31; the pc is set apart.
constexpr uint8_t kAarch64Dwarf[] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                     11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                     22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

const ThreadRegsLayout kRegsLayouts[] = {
    {Arch::kX86_64, true,
     "include/uapi/linux/elfcore.h, arch/x86/include/asm/user_64.h; every testdata/core core",
     /*prstatus_size=*/112 + 27 * 8, /*pid_offset=*/32, /*regs_offset=*/112, /*reg_count=*/27,
     /*syscall_nr=*/15, /*syscall_arg0=*/14, /*pc=*/16, /*sp=*/19, /*thread_pointer=*/21,
     /*futex_syscall=*/202, kX86_64Dwarf, sizeof kX86_64Dwarf},
    {Arch::kAarch64, false, "include/uapi/linux/elfcore.h, arch/arm64/include/uapi/asm/ptrace.h",
     112 + 34 * 8, 32, 112, 34, 8, 0, 32, 31, std::nullopt, 98, kAarch64Dwarf,
     sizeof kAarch64Dwarf},
};

// Syscalls a thread can sleep in (arch/x86/entry/syscalls/syscall_64.tbl,
// include/uapi/asm-generic/unistd.h for aarch64).
struct SyscallRow {
  Arch arch;
  uint64_t nr;
  std::string_view name;
};
constexpr std::array kSyscalls = {
    SyscallRow{Arch::kX86_64, 0, "read"},
    SyscallRow{Arch::kX86_64, 1, "write"},
    SyscallRow{Arch::kX86_64, 7, "poll"},
    SyscallRow{Arch::kX86_64, 23, "select"},
    SyscallRow{Arch::kX86_64, 34, "pause"},
    SyscallRow{Arch::kX86_64, 35, "nanosleep"},
    SyscallRow{Arch::kX86_64, 43, "accept"},
    SyscallRow{Arch::kX86_64, 45, "recvfrom"},
    SyscallRow{Arch::kX86_64, 47, "recvmsg"},
    SyscallRow{Arch::kX86_64, 61, "wait4"},
    SyscallRow{Arch::kX86_64, 128, "rt_sigtimedwait"},
    SyscallRow{Arch::kX86_64, 130, "rt_sigsuspend"},
    SyscallRow{Arch::kX86_64, 202, "futex"},
    SyscallRow{Arch::kX86_64, 230, "clock_nanosleep"},
    SyscallRow{Arch::kX86_64, 232, "epoll_wait"},
    SyscallRow{Arch::kX86_64, 270, "pselect6"},
    SyscallRow{Arch::kX86_64, 271, "ppoll"},
    SyscallRow{Arch::kX86_64, 281, "epoll_pwait"},
    SyscallRow{Arch::kX86_64, 288, "accept4"},
    SyscallRow{Arch::kX86_64, 454, "futex_waitv"},
    SyscallRow{Arch::kAarch64, 22, "epoll_pwait"},
    SyscallRow{Arch::kAarch64, 63, "read"},
    SyscallRow{Arch::kAarch64, 64, "write"},
    SyscallRow{Arch::kAarch64, 72, "pselect6"},
    SyscallRow{Arch::kAarch64, 73, "ppoll"},
    SyscallRow{Arch::kAarch64, 98, "futex"},
    SyscallRow{Arch::kAarch64, 101, "nanosleep"},
    SyscallRow{Arch::kAarch64, 115, "clock_nanosleep"},
    SyscallRow{Arch::kAarch64, 133, "rt_sigsuspend"},
    SyscallRow{Arch::kAarch64, 137, "rt_sigtimedwait"},
    SyscallRow{Arch::kAarch64, 202, "accept"},
    SyscallRow{Arch::kAarch64, 207, "recvfrom"},
    SyscallRow{Arch::kAarch64, 212, "recvmsg"},
    SyscallRow{Arch::kAarch64, 242, "accept4"},
    SyscallRow{Arch::kAarch64, 260, "wait4"},
    SyscallRow{Arch::kAarch64, 449, "futex_waitv"},
};

}  // namespace

std::string_view syscall_name(Arch arch, uint64_t nr) {
  for (const SyscallRow& row : kSyscalls) {
    if (row.arch == arch && row.nr == nr) return row.name;
  }
  return {};
}

std::string_view to_string(Arch arch) {
  switch (arch) {
    case Arch::kX86_64:
      return "x86_64";
    case Arch::kAarch64:
      return "aarch64";
  }
  return "?";
}

std::optional<Arch> arch_of_machine(uint16_t e_machine) {
  constexpr uint16_t kEmX86_64 = 62;
  constexpr uint16_t kEmAarch64 = 183;
  if (e_machine == kEmX86_64) return Arch::kX86_64;
  if (e_machine == kEmAarch64) return Arch::kAarch64;
  return std::nullopt;
}

const LockLayout* find_lock_layout(Arch arch, std::optional<GlibcVersion> version) {
  const LockLayout* newest = nullptr;
  for (const LockLayout& row : kLockLayouts) {
    if (row.arch != arch) continue;
    if (version && row.from <= *version && *version <= row.to) return &row;
    if (newest == nullptr || newest->from < row.from) newest = &row;
  }
  return version ? nullptr : newest;
}

const ThreadRegsLayout* find_regs_layout(Arch arch) {
  for (const ThreadRegsLayout& row : kRegsLayouts) {
    if (row.arch == arch) return &row;
  }
  return nullptr;
}

}  // namespace dla::glibc
