// What every parser's fuzz target does with one input: the parser named `format` on arbitrary
// bytes, then holder inference, the analysis and every renderer on whatever it produced: text,
// JSON, DOT and the report's Markdown (the HTML page only adds Graphviz's layout and cmark, not
// fuzzed here). The only acceptable failure is a dla::Error (input the parser refuses). Nothing
// the fuzzed text names is read from disk and nothing is run: source roots and the core sysroot
// point nowhere, and a JVM core is never handed to its JDK's Serviceability Agent.
// Shared with tests/fuzz_regressions_test.cpp, which replays what the fuzzers once crashed on.
#pragma once

#include <string>
#include <string_view>

#include "cli/pipeline.h"
#include "render/dot.h"
#include "render/json.h"
#include "render/report.h"
#include "render/text.h"

namespace dla::fuzz {

inline void analyze_and_render(std::string_view format, std::string_view bytes) {
  PipelineOptions options;
  options.parse.format = format;
  options.parse.core.sysroot = "/nonexistent-fuzz-sysroot";
  options.parse.core.debug_dir = "/nonexistent-fuzz-debug";
  options.parse.core.run_serviceability_agent = false;
  options.source_roots = {"/=/nonexistent-fuzz-sources/"};
  try {
    for (const AnalyzedSnapshot& a : analyze_all_dumps({"fuzz", bytes}, options)) {
      (void)render_text(a.snapshot, a.findings, {});
      (void)render_json(a.snapshot, a.findings, {});
      (void)render_dot(a.snapshot, a.findings, {});
      (void)render_report(a.snapshot, a.findings, {});
    }
  } catch (const Error&) {
  }
}

}  // namespace dla::fuzz
