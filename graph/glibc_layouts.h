// Where glibc keeps the facts a core's memory can prove, as tables: the byte offsets of the owner
// and futex fields inside pthread mutexes, rwlocks and conditions, and of the thread id inside a
// thread's descriptor, per architecture and glibc range; and where the Linux kernel's NT_PRSTATUS
// note keeps a thread's id and registers, per architecture. The ELF-core reader looks everything
// up here and knows no offset itself; adding an architecture or a glibc layout means adding a row.
// What a frame means (mutex lock, join, …) is graph/resolve_glibc's business, not this file's.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dla::glibc {

enum class Arch : uint8_t { kX86_64, kAarch64 };
std::string_view to_string(Arch arch);

// The architecture of an ELF e_machine value (EM_X86_64, EM_AARCH64), or nullopt.
std::optional<Arch> arch_of_machine(uint16_t e_machine);

struct GlibcVersion {
  int major = 0;
  int minor = 0;
  auto operator<=>(const GlibcVersion&) const = default;
};

// One glibc struct layout, valid for [from, to] on one architecture (LP64 only). Offsets are in
// bytes from the start of the object.
struct LockLayout {
  Arch arch;
  GlibcVersion from;
  GlibcVersion to;          // inclusive; {99, 99}: no known end
  bool verified;            // read from a real core (testdata/core), not only from the headers
  std::string_view source;  // where the numbers come from

  // pthread_mutex_t (struct __pthread_mutex_s): lll_lock sleeps on __lock; __owner is the owner's
  // LWP; __kind & 0x70 marks robust/PI/PP mutexes, whose __lock holds the owner's tid too.
  uint32_t mutex_lock;
  uint32_t mutex_owner;
  uint32_t mutex_kind;
  // pthread_rwlock_t: readers sleep on one futex word, writers on another (a writer that waits
  // for readers to leave sleeps on the readers' word); the writer's LWP is recorded, readers are
  // only counted. The object is 8-byte aligned, so the word's address tells the two apart.
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
const LockLayout* find_lock_layout(Arch arch, std::optional<GlibcVersion> version);

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
  // pr_reg index of each DWARF register 0..dwarf_count-1, for the unwinder's initial state.
  const uint8_t* dwarf_to_reg;
  uint32_t dwarf_count;
};

const ThreadRegsLayout* find_regs_layout(Arch arch);

// The name of a Linux syscall a thread can block in ("futex", "clock_nanosleep", "epoll_wait"),
// for its state; empty for any other number.
std::string_view syscall_name(Arch arch, uint64_t nr);

}  // namespace dla::glibc
