// Go goroutines that can never wake although no lock cycle holds them: a channel send whose only
// receivers can no longer run, a receive or range on a channel nobody can still send to or
// close, a WaitGroup.Wait whose Done calls can no longer run (issue 17, family 7).
//
// The dump shows where every goroutine stands; the program's source shows where the channel or
// WaitGroup goes. From the waiter's expression, the value is followed through the package's
// functions (a parameter is what its callers pass, a local what it is assigned) to every place
// that could do the partner operation; such a place can still run if a goroutine stands before
// it in its function (or in a loop around it), if a goroutine's remaining code can call its
// function, or if it is in a function literal or a function used as a value (a callback: a
// timer may call it). When no place can, the waiter is stuck, with Evidence::kInferred.
// Anything not understood — the value passed to another package, stored in a map, returned, a
// frame whose source is unreadable — and nothing is claimed.
#pragma once

#include "graph/model.h"
#include "graph/source_files.h"

namespace dla {

void infer_go_stuck_waiters(Snapshot& s, SourceFiles& sources);

}  // namespace dla
