// The Go runtime's own data structures, as a core file holds them, for the goroutine reader of
// parsers/go_core. Offsets age with every Go release, so none is written here: the tables name
// which struct fields are read (and why), and the reader takes each field's offset from the
// binary's own DWARF at run time. What DWARF does not say is here as facts, one row each: how a
// goroutine status prints, the wait-reason strings of a release whose binary lacks
// runtime.waitReasonStrings, and which field of which sync type a semaphore a goroutine sleeps
// on is. Every row is exercised by tests/go_core_test.cpp, most on the real cores of
// testdata/gocore.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace dla::go {

// --- Struct fields -------------------------------------------------------------------------------

// Every field the reader reads. The names say type and field ("GSchedPc" = runtime.g's sched.pc).
enum class FieldId : uint8_t {
  kGStackLo,
  kGStackHi,
  kGM,
  kGSchedSp,
  kGSchedPc,
  kGSchedBp,
  kGSyscallSp,
  kGSyscallPc,
  kGStatus,
  kGGoid,
  kGWaitSince,
  kGWaitReason,
  kGStartPc,
  kGGoPc,
  kGWaiting,
  kGLockedM,
  kMProcId,
  kMCurG,
  kMAllLink,
  kMG0,
  kMGSignal,
  kSudogG,
  kSudogNext,
  kSudogPrev,
  kSudogElem,
  kSudogParent,
  kSudogWaitLink,
  kSudogC,
  kSemaRootTreap,
  kHchanQcount,
  kHchanDataqsiz,
  kHchanClosed,
  kHchanRecvqFirst,
  kHchanSendqFirst,
  kMheapAllspans,
  kMspanStartAddr,
  kMspanNpages,
  kMspanElemsize,
  kMspanState,
  kMspanSpecials,
  kSpecialNext,
  kSpecialOffset,
  kSchedLastPoll,
  kWorkTstart,
  kSemtableRoot,  // in semtable's (anonymous) element type
  kCount,
};

// One field: `paths` lists where it is in `type`, newest Go first, '|'-separated; each path is
// dotted through embedded structs ("sched.pc", "atomicstatus.value"). The first path the binary's
// DWARF has wins. A required field missing means goroutines cannot be read at all; an optional
// one only costs what `why` says.
struct FieldRow {
  FieldId id;
  std::string_view type;
  std::string_view paths;
  bool required;
  std::string_view why;
};
std::span<const FieldRow> field_rows();

// Struct sizes the reader needs (it reads a whole g or mspan at once).
enum class TypeId : uint8_t { kG, kSudog, kHchan, kMspan, kCount };
struct TypeRow {
  TypeId id;
  std::string_view name;  // as DWARF names it: "runtime.g"
  bool required;
};
std::span<const TypeRow> type_rows();

// The runtime's global variables the reader starts from, found by symbol in the executable.
enum class GlobalId : uint8_t {
  kAllgs,
  kAllglen,
  kAllm,
  kSemtable,
  kMheap,
  kWaitReasonStrings,
  kBuildVersion,
  kSched,
  kWork,
  kCount,
};
struct GlobalRow {
  GlobalId id;
  std::string_view symbol;  // "runtime.allgs"
  bool required;
  std::string_view why;
};
std::span<const GlobalRow> global_rows();

// Offsets and sizes of one binary, as its DWARF gives them; a field or type the binary does not
// have is nullopt.
struct RuntimeLayout {
  std::array<std::optional<uint32_t>, static_cast<size_t>(FieldId::kCount)> fields;
  std::array<std::optional<uint32_t>, static_cast<size_t>(TypeId::kCount)> sizes;
  // Each field's size in bytes (a status word is 4, a wait reason 1, a pointer 8).
  std::array<uint8_t, static_cast<size_t>(FieldId::kCount)> widths{};
  // Which path of the row was found, for messages ("atomicstatus.value").
  std::array<std::string_view, static_cast<size_t>(FieldId::kCount)> found_path;

  // runtime.semtable is an array of an anonymous struct (a semaRoot padded to a cache line):
  // its element size and count come from the variable's own DWARF type.
  uint32_t semtable_stride = 0;
  uint32_t semtable_count = 0;

  std::optional<uint32_t> at(FieldId f) const { return fields[static_cast<size_t>(f)]; }
  uint8_t width(FieldId f) const { return widths[static_cast<size_t>(f)]; }
  std::optional<uint32_t> size(TypeId t) const { return sizes[static_cast<size_t>(t)]; }
};

// --- Goroutine status ----------------------------------------------------------------------------

// runtime2.go's _G* constants and the word a traceback prints for each (gStatusStrings). Values
// come from the binary's DWARF constants (runtime._Gwaiting …); `value` is the one every release
// since Go 1.4 has used, for a binary whose DWARF lacks the constant.
struct StatusRow {
  std::string_view constant;  // "runtime._Gwaiting"
  uint32_t value;
  std::string_view printed;  // "waiting"; empty: not a goroutine to list (dead)
};
std::span<const StatusRow> status_rows();
// The scan bit ORed into a status while the GC scans the stack (runtime._Gscan).
inline constexpr std::string_view kScanBitConstant = "runtime._Gscan";
inline constexpr uint32_t kScanBitValue = 0x1000;

// The printed word for `status` (scan bit already removed) under the binary's own constant
// values, or nullopt for a value no row has.
struct StatusValues {
  std::array<uint32_t, 10> values{};  // parallel to status_rows()
  uint32_t scan_bit = kScanBitValue;
};
std::optional<std::string_view> status_word(const StatusValues& values, uint32_t status);
// True when `status` (scan bit removed) is _Gdead: not a goroutine.
bool is_dead(const StatusValues& values, uint32_t status);
bool is_status(const StatusValues& values, uint32_t status, std::string_view constant);

// --- Wait reasons --------------------------------------------------------------------------------

// runtime2.go's waitReasonStrings for a Go release whose binary has no such array in memory (the
// array is read from the binary when it is there: Go 1.26 reordered the enum). Index = the
// waitReason value stored in g.waitreason.
struct WaitReasonTable {
  std::string_view from_version;  // "go1.19": first release with this list
  std::string_view to_version;    // last release with it (inclusive)
  std::span<const std::string_view> reasons;
  std::string_view source;
};
// The table for `version` ("go1.19.8"), or nullptr.
const WaitReasonTable* find_wait_reasons(std::string_view version);
std::span<const WaitReasonTable> wait_reason_tables();

// --- Semaphores ----------------------------------------------------------------------------------

// A goroutine in semacquire sleeps on a semaphore word, which the runtime's semaphore table
// (runtime.semtable) keys by address; the frame that called the runtime's semacquire says which
// field of which sync object the word is, and so where the object starts. Rows for Go 1.9+.
struct SemaFieldRow {
  std::string_view caller;  // the frame above sync.runtime_Semacquire*: "sync.(*Mutex).lockSlow"
  std::string_view type;    // "sync.Mutex"
  std::string_view fields;  // the semaphore field, newest Go first, '|'-separated: "sema"
};
std::span<const SemaFieldRow> sema_field_rows();
const SemaFieldRow* find_sema_field(std::string_view caller);

// When the object found is embedded in the one the goroutine's entry frame waits for (the
// writer Mutex `w` inside an RWMutex that RWMutex.Lock takes first), the outer object is the
// inner one minus this field's offset.
struct EmbeddedLockRow {
  std::string_view outer_frame;  // "sync.(*RWMutex).Lock"
  std::string_view inner_frame;  // "sync.(*Mutex).Lock"
  std::string_view outer_type;   // "sync.RWMutex"
  std::string_view field;        // "w"
};
std::span<const EmbeddedLockRow> embedded_lock_rows();

// --- Frames --------------------------------------------------------------------------------------

// Whether a debug=2 traceback (GOTRACEBACK=single/all) prints a frame of this function: the
// runtime's unexported functions are hidden, so are compiler-generated wrappers (the closures a
// `go f(x)` statement runs, method value and interface wrappers: DWARF marks them
// DW_AT_trampoline, and some have the file "<autogenerated>"); runtime.gopanic always shows
// (runtime/traceback.go showfuncinfo).
bool traceback_shows(std::string_view function, std::string_view file, bool wrapper);

// The functions a goroutine's stack ends with: the unwinder stops there and prints none of them
// (runtime.goexit under every goroutine; mstart and rt0_go under a thread's own stack).
bool is_stack_bottom(std::string_view function);

}  // namespace dla::go
