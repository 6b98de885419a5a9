#include "parsers/kernel_core_layout.h"

#include <array>

namespace dla::kernel {

namespace {

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
     /*futex_syscall=*/202, /*not_in_syscall=*/UINT64_MAX, kX86_64Dwarf, sizeof kX86_64Dwarf},
    {Arch::kAarch64, false, "include/uapi/linux/elfcore.h, arch/arm64/include/uapi/asm/ptrace.h",
     112 + 34 * 8, 32, 112, 34, 8, 0, 32, 31, std::nullopt, 98, std::nullopt, kAarch64Dwarf,
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

const ThreadRegsLayout* find_regs_layout(Arch arch) {
  for (const ThreadRegsLayout& row : kRegsLayouts) {
    if (row.arch == arch) return &row;
  }
  return nullptr;
}

}  // namespace dla::kernel
