// Wording shared by every renderer: how a task, a resource, a frame and an edge's evidence read.
// Format-neutral: a renderer learns what a task is called from Snapshot::task_noun.
#pragma once

#include <string>

#include "graph/analysis.h"
#include "graph/model.h"

namespace dla {

// `thread "worker-a"`, `goroutine 19`, `thread 3 "worker-a"`.
std::string task_label(const Snapshot& s, TaskIndex t);
// `monitor 0x000000062a81bf28 (java.lang.Object)`, `mutex 0x4c9540 inventory.mu (sync.Mutex)`.
std::string resource_label(const Snapshot& s, ResourceIndex r);
// `MonitorCycle.transfer (MonitorCycle.java:31)`, `Thread.sleep (native)`, `f` (no location).
// `line` (when non-zero) replaces the frame's own line: where a lock was taken earlier in it.
std::string frame_label(const Snapshot& s, uint32_t frame, int32_t line = 0);
// "lock record", "the runtime's deadlock report", …: how we know, in words.
const char* evidence_words(Evidence e);
// "1 thread", "3 threads".
std::string count_of(size_t n, const std::string& noun);

}  // namespace dla
