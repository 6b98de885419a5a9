// ELF core files (the kernel's own dumps and gdb's gcore), read with elfutils: every thread (one
// NT_PRSTATUS note each) is unwound by libdwfl, its frames symbolized with function, file and line
// from DWARF where the executable, libraries and their debug files (found by build-id) are there,
// and each thread sleeping in futex(2) is matched to the lock it sleeps on: the thread's frames say
// what kind of wait it is (graph/resolve_glibc), its registers which futex word, and the lock's
// owner is read from the core's memory (parsers/glibc_layouts): evidence "memory".
//
// Reading is in two halves, as for every format: read_core_file() takes the bytes apart (header,
// segments, notes, thread registers, memory) without libdw and is tested on its own
// (core_file.cpp); the parser unwinds, symbolizes and writes the model (elf_core.cpp), the glibc
// waits through the shared native model (core_glibc_waits.cpp, graph/native_waits), and says what
// the core lacks (core_warnings.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/glibc_layouts.h"
#include "parsers/parser.h"

namespace dla {

// --- The bytes of a core, without libdw
// -----------------------------------------------------------

struct CoreSegment {
  uint64_t vaddr = 0;
  uint64_t memsz = 0;
  uint64_t offset = 0;     // in the file
  uint64_t filesz = 0;     // as the header says
  uint64_t available = 0;  // how much of filesz the file really holds (less when truncated)
  uint32_t flags = 0;      // PF_R/PF_W/PF_X
};

struct CoreThread {
  int64_t lwp = 0;
  std::vector<uint64_t> regs;  // pr_reg words, empty when the note is cut or the arch unknown
};

struct CoreMapping {  // one NT_FILE entry
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t file_offset = 0;  // in bytes
  std::string_view path;
};

struct CoreFile {
  uint16_t machine = 0;
  std::optional<kernel::Arch> arch;
  const kernel::ThreadRegsLayout* regs_layout = nullptr;
  uint64_t file_size = 0;             // bytes present
  uint64_t expected_size = 0;         // bytes the headers describe
  std::vector<CoreSegment> segments;  // PT_LOAD, by address
  std::vector<CoreThread> threads;    // NT_PRSTATUS order
  std::optional<int64_t> pid;         // NT_PRPSINFO pr_pid
  std::string_view command;           // NT_PRPSINFO pr_fname (15 characters at most)
  std::string_view arguments;         // NT_PRPSINFO pr_psargs
  std::vector<CoreMapping> mappings;  // NT_FILE
  std::optional<uint64_t> entry;      // AT_ENTRY from NT_AUXV
  bool notes_truncated = false;       // the note segment is cut: threads may be missing

  // Reads `size` bytes at `address` from the core's memory; false when any of them is not in the
  // file (never dumped, or cut off).
  bool read(uint64_t address, void* out, size_t size) const;
  std::optional<uint32_t> read_u32(uint64_t address) const;
  // The path NT_FILE maps at `address`, or empty.
  std::string_view mapping_path(uint64_t address) const;
  // The build-id (raw bytes) of the ELF image whose first page is at `base` in the core's memory:
  // empty when it has none, nullopt when there is no ELF header there.
  std::optional<std::string> build_id_at(uint64_t base) const;
  // Whether `path` is the file mapped at the entry point (AT_ENTRY): the executable.
  bool is_executable(std::string_view path) const;

  std::string_view bytes;  // the whole input
};

// Takes a core apart. Throws dla::Error (naming `name`) for anything that is not an ELF core;
// tolerates truncation (segments and notes beyond the end are marked as such).
CoreFile read_core_file(std::string_view name, std::string_view bytes);

// What an ELF file that is not a core is, for a one-line error: "an ELF executable, not a core";
// nullopt when `prefix` is not ELF at all or is a core.
std::optional<std::string> describe_non_core_elf(std::string_view prefix);

// Whether `prefix` starts an ELF core (ET_CORE): the parser's probe.
bool is_elf_core(std::string_view prefix);

std::unique_ptr<Parser> make_elf_core_parser();

}  // namespace dla
