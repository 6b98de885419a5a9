// The one path from an input to findings (bloaty's BloatyMain): read the input's dumps, infer the
// holders the dumps do not record, analyse. cli/, the tests, the fuzzers and the benchmarks all
// take it, so that none of them can drift from what a user runs.
#pragma once

#include <string>
#include <vector>

#include "graph/analysis.h"
#include "parsers/parser.h"

namespace dla {

struct PipelineOptions {
  ParseOptions parse;
  std::vector<std::string> source_roots;  // --source-root, as given
};

struct AnalyzedSnapshot {
  Snapshot snapshot;
  Findings findings;
};

// The last dump of `input`, analysed (a plain run). When the input holds several dumps, the
// snapshot's first warning says so.
AnalyzedSnapshot analyze_input(const Input& input, const PipelineOptions& options = {});

// Every dump of `input`, in input order, each analysed on its own (diff).
std::vector<AnalyzedSnapshot> analyze_all_dumps(const Input& input,
                                                const PipelineOptions& options = {});

}  // namespace dla
