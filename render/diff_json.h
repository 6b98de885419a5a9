// The `dlanalyze-diff/1` JSON of ../shared/DESIGN.md: the snapshots in time order, then
// parked_longer, grown, new, gone (and shrunk, cycles). Additive changes only. Snapshots are
// referred to by their position in "inputs" (0 = earliest); task ids are strings as printed.
#pragma once

#include <string>

#include "graph/diff.h"

namespace dla {

std::string render_diff_json(const Diff& d);

}  // namespace dla
