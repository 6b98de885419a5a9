// Holder inference: who holds a lock when the dump does not record it (a Go sync.Mutex keeps no
// owner; gdb's text shows who waits, not who holds). One engine for Go and C/C++ — Java joins it
// with its own idioms — reading the source of each frame (graph/source_code, graph/lock_idioms).
// Runs between parsing and analysis; every edge it adds is Evidence::kSource and names the line
// that took the lock.
//
// A lock expression is tied to a lock only through the identity of the object it names, never
// through its spelling: two frames' "src.mu" are the same lock only if both roots are proven to
// be the same object. An expression's identities (keys) are:
//   val:0x…PATH      the object at a pointer the dump prints exactly (a parameter, a receiver,
//                    this=, a C++ reference with -frame-arguments all), or that a caller passed
//                    (its local handed down to this frame's callee, whose argument is printed)
//   global:NAME PATH a variable proven to be global: declared at file scope (C/C++), a package
//                    variable of the frame's package (Go), a function-scope static; gdb's
//                    "0x… <name>" names one too
//   frame:F:EXPR     failing all of those, the expression within its one frame F, when its root
//                    is not reassigned in between: only references from that same call share it
//                    (a function that re-locks what it holds)
// A waiter's lock gets the keys of the expression it waits at, and the lock's own address
// (val:0x…) and symbol; a holder's expression is tied when its keys meet exactly one lock.
// What no key proves gets no edge: the waiters are listed with "holder unknown" and a warning
// says what would help (--source-root, gdb-commands).
//
// Evidence ranks: a hold from source that contradicts a stronger one (an owner read from memory,
// a lock record) is dropped with a warning, as are source holds that contradict each other (two
// exclusive holders of one lock).
#pragma once

#include "graph/model.h"
#include "graph/source_files.h"

namespace dla {

// Dispatches on the snapshot's runtime: Go and native dumps from source; nothing for runtimes
// whose dumps record their holders (HotSpot), until Java's idioms join the engine.
void resolve_holders(Snapshot& s, SourceFiles& sources);

}  // namespace dla
