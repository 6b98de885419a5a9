// Holder inference: who holds a lock when the runtime does not record it. One function per
// strategy, each tagging its edges with their Evidence. Runs between parsing and analysis.
#pragma once

#include "graph/model.h"
#include "graph/source_evidence.h"

namespace dla {

// Dispatches on the snapshot's runtime: Go locks from source (below); nothing for runtimes whose
// dumps record their holders (HotSpot).
void resolve_holders(Snapshot& s, SourceFiles& sources);

// Go: sync.Mutex and RWMutex record no owner. For each goroutine's application frames, read the
// function around the frame's line and take the X.Lock()/X.RLock() calls before it that no
// X.Unlock() undid; tie the expression X to an address through goroutines blocked on X.Lock() at
// their own line (their lockSlow argument gives the address). Edges are Evidence::kSource.
// Expressions are made comparable across frames by where their root lives: a package variable
// ("pkg:main.inventory.mu"), or a receiver/parameter whose value the frame's arguments show
// ("val:0x8fda50.mu"), or, through the caller's call expression, whatever the caller passed;
// failing all of those, the receiver or parameter of that one frame ("frame:12:s.mu"), which
// only references reaching that same frame share.
// A root that is a local variable is never tied: two calls have two locals.
void infer_go_holders_from_source(Snapshot& s, SourceFiles& sources);

// C and C++ (gdb dumps): the same engine with C's idioms (pthread_mutex_lock(&x), x.lock(),
// std::lock_guard/unique_lock/scoped_lock/shared_lock). Parameters are matched by the name gdb
// prints with their value; a C++ member without "this->" is keyed by the frame's this=.
void infer_native_holders_from_source(Snapshot& s, SourceFiles& sources);

}  // namespace dla
