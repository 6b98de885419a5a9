// The stable `dlanalyze/1` JSON contract of ../shared/DESIGN.md. Additive changes only: a field's
// meaning never changes. Ids are strings exactly as the dump printed them.
#pragma once

#include <string>

#include "graph/analysis.h"
#include "graph/model.h"

namespace dla {

struct JsonOptions {
  bool all_tasks = false;  // list every task, not only those a finding names
};

std::string render_json(const Snapshot& s, const Findings& f, const JsonOptions& options);

}  // namespace dla
