// Cores of Go programs: goroutines, not threads. A Go program's threads only run its goroutines
// (the scheduler's stacks say nothing about who waits for what), so the tasks of such a core are
// its goroutines, read from memory the way a debugger does, without Go or a debugger installed:
// runtime.allgs, each g's id, status, wait reason and saved registers, with every struct offset
// taken from the executable's own DWARF (graph/go_runtime_layout names the fields). Each stack
// is unwound from the goroutine's saved pc/sp with the executable's .debug_frame (a running
// goroutine from its thread's registers, m.procid = the thread's LWP; one in a system call from
// syscallpc/syscallsp) and named as a debug=2 traceback names it, so that holder inference and
// the analysis see the same goroutines a debug=2 dump of the process would show. What each
// goroutine waits for is read from memory: the semaphore table gives the exact sync.Mutex,
// RWMutex or WaitGroup, g.waiting the exact channel; and a conservative reachability scan
// (parsers/go_core_leaks) marks the goroutines nothing that can still run can ever wake.
//
// parsers/elf_core hands a core over here once its modules are reported (one call, marked there).
#pragma once

#include <elfutils/libdwfl.h>

#include "parsers/elf_core.h"

namespace dla {

enum class GoCoreResult : uint8_t {
  kNotGo,       // not a Go program: its threads are the tasks
  kGoroutines,  // the snapshot holds the goroutines
  kUnreadable,  // a Go program whose goroutines cannot be read: a warning says why and the
                // snapshot is marked damaged (never clean); its threads are listed instead
};

// `options.exe` is only looked at when the core cannot say where its executable is (its notes
// cut off): a Go executable given with -e then still says that goroutines were not read.
GoCoreResult read_go_core(const Input& input, const CoreOptions& options, const CoreFile& core,
                          Dwfl* dwfl, SnapshotBuilder& out);

// Whether the ELF image mapped at `base` in the core's memory is a Go executable: its program
// headers name a note "Go" of type 4 (the Go linker's .note.go.buildid). For a core whose
// executable is not at hand; the build ID's text goes to `build_id` when given.
bool is_go_image_in_memory(const CoreFile& core, uint64_t base, std::string* build_id = nullptr);

}  // namespace dla
