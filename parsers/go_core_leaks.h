// Goroutines that nothing can ever wake, proved from a core's memory: a goroutine parked on a
// channel or a sync object that no goroutine able to run, and no global variable, can reach.
// The same idea as Go 1.26's goroutine leak profile (golang/go#74609), post-mortem and for any Go
// release: mark memory from the roots the Go garbage collector itself starts from (the
// executable's data and bss, the threads' registers and stacks, the stacks of goroutines that are
// not parked on a channel or sync wait, objects with finalizers), through heap objects,
// conservatively (every aligned word that points into an allocated heap object keeps that
// object); a parked goroutine whose channel or sync object gets marked becomes live too (it may
// be woken), and its stack is scanned in turn, until nothing changes. The goroutines left are
// leaked. Memory outside the Go heap that the runtime allocates for itself is no root, as for
// the collector: it holds no reference to a heap object the program can follow (C memory may not
// keep Go pointers either, by cgo's rules).
//
// Only unreachability is claimed, and only when the scan saw everything: a core cut short, a heap
// that cannot be walked, or a wait whose object is not known, and nothing is claimed. Conservative
// marking can only keep more objects alive than the program could reach, never fewer. Two
// runtime records are not followed as references: the semaphore table (runtime.semtable, which
// only indexes the waiters) and the g objects of parked goroutines (each g points at the sudog
// that names what it waits for).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "parsers/go_core_memory.h"

namespace dla {

struct GoLeakScanInput {
  struct Goroutine {
    uint64_t g = 0;  // the g object
    uint64_t stack_lo = 0;
    uint64_t stack_hi = 0;
    uint64_t sp = 0;  // where its live stack starts (saved or thread sp)
    // Parked on these channels (hchan) or semaphore words, and woken only through them; empty
    // for a goroutine that may run by itself (running, runnable, sleeping, in IO wait …) or whose
    // wait object is unknown: a root.
    std::vector<uint64_t> waits_on;
  };
  std::vector<Goroutine> goroutines;
  std::vector<std::pair<uint64_t, uint64_t>> globals;        // [lo, hi): data and bss
  std::vector<std::pair<uint64_t, uint64_t>> thread_stacks;  // [sp, hi): their live parts
  std::vector<uint64_t> thread_registers;                    // every word of every thread
  std::vector<std::pair<uint64_t, uint64_t>> not_roots;      // [lo, hi): runtime.semtable
};

struct GoLeakScan {
  bool complete = false;
  std::string why_not;        // when not complete: what could not be read
  std::vector<bool> leaked;   // parallel to the input's goroutines
  size_t objects_marked = 0;  // heap objects reached, for messages and tests
};

GoLeakScan find_leaked_goroutines(const GoMemory& memory, const GoBinary& binary,
                                  const GoLeakScanInput& input);

}  // namespace dla
