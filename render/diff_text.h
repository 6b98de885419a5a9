// The terminal report of a diff: the snapshots in time order and on what basis, then one line
// per finding: cycles that stay (deadlock) or pass (contention), growing groups (leaks), waiters
// parked in the same wait throughout, groups that shrank, tasks new and gone at each step.
#pragma once

#include <string>

#include "graph/diff.h"

namespace dla {

struct DiffTextOptions {
  bool color = false;
  size_t max_listed = 20;  // parked waiters, grown groups listed before "… and N more"
};

std::string render_diff_text(const Diff& d, const DiffTextOptions& options);

}  // namespace dla
