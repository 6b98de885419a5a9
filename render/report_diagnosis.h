// Section 5 of the report, for one task: its stack from the application frame outwards, with the
// frame where it waits and the frames where it took the locks it holds marked, then the source
// around those lines where it can be read (a stack says where; the source shows what).
#pragma once

#include <string>
#include <vector>

#include "graph/model.h"
#include "graph/source_files.h"

namespace dla {

// `wait`: the task's wait edge (kNone when it waits for nothing); `holds`: its hold edges.
// `sources` may be nullptr: no excerpts then. Markdown.
std::string diagnose_task(const Snapshot& s, TaskIndex t, uint32_t wait,
                          const std::vector<uint32_t>& holds, SourceFiles* sources);

}  // namespace dla
