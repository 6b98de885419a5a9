// The findings as a Graphviz picture (`--output-format dot`, and the report's figure): tasks are
// boxes, locks and other resources ellipses; a wait is a dashed edge from the task to the
// resource, a hold a solid edge from the resource to the task, each labelled with its evidence.
// Cycle members and their edges are red and bold, tasks blocked behind a cycle grey, stuck
// waiters orange (render/palette). Waiters at one place are drawn as one node with their count
// once there are more than a few, and every other task is collapsed into one node per group of
// identical stacks, so that a 100,000-goroutine dump draws as a handful of nodes.
#pragma once

#include <string>

#include "graph/analysis.h"
#include "graph/model.h"

namespace dla {

struct DotOptions {
  size_t max_groups = 10;  // groups of other tasks drawn, largest first; the rest in one node
  size_t one_by_one = 3;   // waiters at one place drawn one by one up to this many
  bool legend = true;      // a key to the colours, shapes and arrows under the title
};

std::string render_dot(const Snapshot& s, const Findings& f, const DotOptions& options);

}  // namespace dla
