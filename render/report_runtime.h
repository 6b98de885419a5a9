// What the report says about the runtime that made the dump (section 4, Detection): whether it
// records how long a task has waited, what its own deadlock detector checks, and why it stayed
// silent here or what it said. One row per runtime family (render/report_runtime.cpp).
#pragma once

#include <string>

#include "graph/analysis.h"
#include "graph/model.h"

namespace dla {

// Why no wait time is shown, for a dump whose tasks print none. Markdown, one paragraph.
std::string missing_wait_times(RuntimeFamily family);

// "Why the runtime stayed silent": its detector, and what in this dump kept it quiet (Go: the
// goroutines that still count as able to run) or what it reported. Markdown.
std::string runtime_silence(const Snapshot& s, const Findings& f);

}  // namespace dla
