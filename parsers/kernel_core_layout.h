// Where the Linux kernel writes a thread's id and registers into a core (the NT_PRSTATUS note),
// per architecture, and the numbers of the syscalls a thread can sleep in: what the ELF-core
// readers (C/C++ and Go) need to start each thread's unwinding and to say what it waits in. One
// row per architecture; glibc's own structures are parsers/glibc_layouts.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dla::kernel {

// A futex word that holds a thread id keeps it in these bits (FUTEX_TID_MASK,
// include/uapi/linux/futex.h); the others are FUTEX_WAITERS and FUTEX_OWNER_DIED.
constexpr uint32_t kFutexTidMask = 0x3fffffff;

enum class Arch : uint8_t { kX86_64, kAarch64 };
std::string_view to_string(Arch arch);

// The architecture of an ELF e_machine value (EM_X86_64, EM_AARCH64), or nullopt.
std::optional<Arch> arch_of_machine(uint16_t e_machine);

// Where NT_PRSTATUS keeps a thread's id and registers (Linux struct elf_prstatus; regset
// struct user_regs_struct on x86_64, struct user_pt_regs on aarch64), and how a thread sleeping
// in futex(2) shows: the syscall number and its first argument (the futex word's address).
struct ThreadRegsLayout {
  Arch arch;
  bool verified;
  std::string_view source;
  uint32_t prstatus_size;  // at least this many bytes
  uint32_t pid_offset;     // pr_pid: the thread's LWP (int32)
  uint32_t regs_offset;    // pr_reg
  uint32_t reg_count;      // 64-bit registers in pr_reg
  // Indexes into pr_reg.
  uint32_t syscall_nr;  // x86_64 orig_rax (-1 when not in a syscall); aarch64 x8
  uint32_t syscall_arg0;
  uint32_t pc;
  uint32_t sp;
  std::optional<uint32_t> thread_pointer;  // x86_64 fs_base; aarch64 keeps TPIDR_EL0 elsewhere
  uint64_t futex_syscall;                  // futex(2): 202 on x86_64, 98 on aarch64
  // What syscall_nr holds outside any syscall, where the kernel says so: x86_64 orig_rax = -1;
  // nullopt on aarch64, where x8 is then an ordinary register and says nothing.
  std::optional<uint64_t> not_in_syscall;
  // pr_reg index of each DWARF register 0..dwarf_count-1, for the unwinder's initial state.
  const uint8_t* dwarf_to_reg;
  uint32_t dwarf_count;
};

const ThreadRegsLayout* find_regs_layout(Arch arch);

// The name of a Linux syscall a thread can block in ("futex", "clock_nanosleep", "epoll_wait"),
// for its state; empty for any other number.
std::string_view syscall_name(Arch arch, uint64_t nr);

}  // namespace dla::kernel
