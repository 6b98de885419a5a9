// Java holders HotSpot does not record (issue 13): the read side of a ReentrantReadWriteLock, a
// lock whose ownable-synchronizer list was not printed (kill -3), and the waiters of a
// CountDownLatch, a Condition or Object.wait() whose only possible signallers are stuck in a
// cycle. Read from the program's source, found by package path under --source-root.
//
// Identity, never names alone: a lock expression in a frame ("rw", "this.stockRw",
// "state.ordersSynced", "readLock" = "rw.readLock()") is tied to a lock a waiter shows only
// through a key that names one object in the whole process:
//   static:C.f.g   a static final field of class C, and final fields below it
//   single:C.f.g   a final field of the one instance of C: the program's sources create C at one
//                  place only (no subclass, no C::new), and that place runs once — in main (not
//                  in a loop or lambda, main never called by the program), a static initializer or
//                  field, or a field or constructor of a class that is itself single
//   through the caller: a parameter is the argument its caller passed, `this` the receiver of
//                  the caller's call, each then keyed in the caller's frame
// Every field on the way must be final (a field that may be reassigned names no one object). A
// waiter's expression keys the lock at the address it parks on; a holder's expression, where it
// meets exactly one such key, holds it: Evidence::kSource, with the line that took it. No key, no
// edge, and a warning says why.
//
// Signallers: a waiter on a latch, a Condition or a monitor's wait() whose every possible
// signaller (a thread whose remaining code, read through the program's calls, contains
// countDown/signal/notify…) is a member of a cycle or blocked behind one is blocked behind that
// cycle: the signaller "holds" what it would release, Evidence::kInferred. A thread that can run
// code not read (no source, a thread start, a thread pool's idle worker) may signal: no claim.
#pragma once

#include "graph/model.h"
#include "graph/source_files.h"

namespace dla {

void resolve_java_holders(Snapshot& s, SourceFiles& sources);

}  // namespace dla
