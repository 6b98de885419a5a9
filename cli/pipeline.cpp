#include "cli/pipeline.h"

#include "graph/resolve_holders.h"
#include "parsers/registry.h"

namespace dla {

namespace {

AnalyzedSnapshot analyze_one(Snapshot snapshot, SourceFiles& sources) {
  resolve_holders(snapshot, sources);
  Findings findings = analyze(snapshot);
  return {std::move(snapshot), std::move(findings)};
}

}  // namespace

AnalyzedSnapshot analyze_input(const Input& input, const PipelineOptions& options) {
  SourceFiles sources(options.source_roots);
  return analyze_one(read_snapshot(input, options.parse), sources);
}

std::vector<AnalyzedSnapshot> analyze_all_dumps(const Input& input,
                                                const PipelineOptions& options) {
  SourceFiles sources(options.source_roots);
  std::vector<AnalyzedSnapshot> out;
  for (Snapshot& snapshot : read_snapshots(input, options.parse)) {
    out.push_back(analyze_one(std::move(snapshot), sources));
  }
  return out;
}

}  // namespace dla
