// What the goroutine reader (parsers/go_core) needs from a Go executable, read with libdw and
// libelf: the runtime's struct layouts, status constants and globals (the rows of
// graph/go_runtime_layout, filled from this binary's own DWARF and symbol table), its
// call-frame information (.debug_frame) to unwind goroutine stacks, and its line tables and
// inlining records to name each frame as a Go traceback does. Go binaries carry no
// .debug_aranges, so the address → compilation unit → function index is built here from each
// unit's ranges (libdw's own address lookups find nothing in them).
#pragma once

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/go_runtime_layout.h"

namespace dla {

// One frame at a pc: the function there or one inlined into it.
struct GoFrameInfo {
  std::string_view function;  // "sync.(*Mutex).Lock"; "" when the pc is in no known function
  std::string_view file;      // as the line table records it: "/usr/lib/go-1.19/src/sync/mutex.go"
  int line = 0;
  bool wrapper = false;  // compiler-generated (DW_AT_trampoline): tracebacks hide it
};

// Where one argument of a function is at some pc, as its DWARF location list says: each piece
// (a word of a string or a struct field, or the whole scalar) either in the frame's argument area
// (at CFA + offset, Go's spill slots) or not readable after the fact (in a register, optimized
// away).
struct GoArgLocation {
  struct Piece {
    bool in_memory = false;
    int64_t cfa_offset = 0;
    uint32_t size = 0;
  };
  std::vector<Piece> pieces;
  bool aggregate = false;  // a string, slice, interface or struct: printed as {…}
};

// How to find a frame's caller: the caller's stack pointer (the canonical frame address) is
// `sp + cfa_offset`, its return address is stored at CFA + ra_offset.
struct GoUnwindRule {
  int64_t cfa_offset = 0;
  int64_t ra_offset = -8;
};

// The bytes of the executable's loadable segments, for memory a core leaves out (gcore writes no
// read-only data; the kernel writes no unmodified file-backed page).
struct ExecutableImage {
  struct Segment {
    uint64_t vaddr = 0;  // where it is loaded (bias applied)
    uint64_t memsz = 0;
    std::string_view bytes;  // the file's bytes (filesz); the rest of memsz reads as zeros
    bool writable = false;   // data and bss
  };
  std::vector<Segment> segments;
  bool read(uint64_t address, void* out, size_t size) const;
};

class GoBinary {
 public:
  // Reads the executable of `mod`: nullptr, with `why_not` set, when it has no DWARF or lacks a
  // field or global the goroutines cannot be read without.
  static std::unique_ptr<GoBinary> open(Dwfl_Module* mod, std::string& why_not);

  const go::RuntimeLayout& layout() const { return layout_; }
  const go::StatusValues& statuses() const { return statuses_; }
  std::optional<uint64_t> global(go::GlobalId id) const;
  // The size in bytes of a global, from the symbol table (runtime.waitReasonStrings: 16 bytes per
  // string on 64-bit).
  std::optional<uint64_t> global_size(go::GlobalId id) const;
  // The offset of a field in a struct type the tables name ("sync.Mutex", "sema|state2").
  std::optional<uint32_t> offset_of(std::string_view type, std::string_view paths) const;
  std::optional<int64_t> constant(std::string_view name) const;
  // "go1.19.8", from the compilation units' DW_AT_producer ("Go cmd/compile go1.19.8; regabi").
  const std::string& version() const { return version_; }
  const ExecutableImage& image() const { return image_; }
  bool has_cfi() const { return cfi_ != nullptr; }

  // The frames at `pc`, innermost (inlined) first; for a pc in no function, one frame with an
  // empty function. `pc` is the address looked up: a return address minus one.
  const std::vector<GoFrameInfo>& frames_at(uint64_t pc);
  // The unwinding rule at `pc` (looked up like frames_at), from .debug_frame.
  std::optional<GoUnwindRule> unwind_rule(uint64_t pc);
  // The input arguments of the function at `pc` (not an inlined one), in order, where its
  // location lists put them at that pc.
  const std::vector<GoArgLocation>& args_at(uint64_t pc);

  ~GoBinary();
  GoBinary(const GoBinary&) = delete;
  GoBinary& operator=(const GoBinary&) = delete;

 private:
  GoBinary() = default;
  void read_symbols(Dwfl_Module* mod);
  void read_image(Elf* elf, Dwarf_Addr bias);
  void index_units();
  void read_runtime_dwarf();
  bool take_top_level(Dwarf_Die* die);
  struct Field {
    uint32_t offset = 0;
    uint8_t width = 0;
  };
  std::optional<Field> field_offset(Dwarf_Die type, std::string_view path) const;

  struct Range {
    uint64_t low = 0, high = 0;
    size_t index = 0;   // into units_ (unit ranges)
    Dwarf_Off die = 0;  // the function (a unit's function ranges)
  };
  struct Unit {
    Dwarf_Off offset = 0;
    bool indexed = false;
    std::vector<Range> functions;  // sorted by low, once indexed
  };
  // The function DIE of the unit at `unit` that holds `address` (indexing the unit first).
  std::optional<Dwarf_Off> function_at(size_t unit, uint64_t address);

  Dwarf* dwarf_ = nullptr;
  Dwarf_Addr bias_ = 0;
  Dwarf_CFI* cfi_ = nullptr;
  go::RuntimeLayout layout_;
  go::StatusValues statuses_;
  std::string version_;
  ExecutableImage image_;
  std::unordered_map<std::string_view, uint64_t> symbols_;  // runtime globals by name
  std::unordered_map<std::string_view, uint64_t> sizes_;    // their sizes
  std::unordered_map<std::string, Dwarf_Off> types_;        // struct types the tables name
  std::unordered_map<std::string, Dwarf_Off> variables_;    // runtime.semtable's DIE
  std::unordered_map<std::string, int64_t> constants_;
  std::vector<Unit> units_;
  std::vector<Range> unit_ranges_;  // sorted by low
  std::unordered_map<uint64_t, std::vector<GoFrameInfo>> frames_cache_;
  std::unordered_map<uint64_t, std::optional<GoUnwindRule>> rule_cache_;
  std::unordered_map<uint64_t, std::vector<GoArgLocation>> args_cache_;
};

}  // namespace dla
