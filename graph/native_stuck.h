// C and C++ threads in a condition wait that nothing can ever signal (issue 17's red-team
// program cpp_cv_notifier_blocked): the consumer holds state_mu and waits on a
// condition_variable; the only producer waits for state_mu before it would notify. No lock cycle
// holds them, yet the process is stuck for good.
//
// A thread in an untimed pthread_cond_wait (std::condition_variable::wait, cnd_wait) is stuck
// when the dump lists every thread of the process and no other thread can run: each waits,
// through locks and joins whose holders are known (from memory, the join's handle, or the
// program's source), for the waiter itself or for a task of a lock cycle, so none is left to
// signal the condition, cancel the waiter or start a thread that would. A timed wait, a timed
// lock on the way, a thread sleeping, in I/O or running, a lock whose holder is unknown, or a
// dump that may be a fragment (gdb threads not numbered 1..N), and nothing is claimed.
// Evidence::kInferred; the wait's never_wakes is "condition-never-signalled".
//
// Not yet: reading a running thread's remaining code in the source to rule it out as a
// signaller (graph/java_signallers does so for Java).
#pragma once

#include "graph/model.h"

namespace dla {

// Runs after the holders are known (graph/resolve_holders).
void infer_native_stuck_waiters(Snapshot& s);

}  // namespace dla
