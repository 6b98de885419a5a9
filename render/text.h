// The terminal report: one summary line, then each cycle in wait-for order (what each task waits
// for, where, who holds it and where it was taken), the stuck waiters, the tasks blocked behind a
// cycle, and, when nothing is wrong, the groups of identical stacks.
#pragma once

#include <string>

#include "graph/analysis.h"
#include "graph/model.h"

namespace dla {

struct TextOptions {
  bool color = false;
  size_t max_groups = 10;  // groups shown when nothing is stuck; 0 = all
  size_t max_listed = 20;  // blocked/stuck tasks listed before "… and N more"
};

std::string render_text(const Snapshot& s, const Findings& f, const TextOptions& options);

}  // namespace dla
