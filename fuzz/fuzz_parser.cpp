// libFuzzer: one parser (DLA_FUZZ_FORMAT, set per target in CMakeLists.txt) on arbitrary bytes,
// then holder inference, the analysis and every renderer on whatever it produced: text, JSON,
// DOT and the report's Markdown (the HTML page only adds Graphviz's layout and cmark, not fuzzed
// here). The only acceptable failure is a dla::Error (input the parser refuses). Nothing the
// fuzzed text names is read from disk and nothing is run: source roots and the core sysroot
// point nowhere, and a JVM core is never handed to its JDK's Serviceability Agent.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/pipeline.h"
#include "render/dot.h"
#include "render/json.h"
#include "render/report.h"
#include "render/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const dla::PipelineOptions options{
      {DLA_FUZZ_FORMAT, {"", "/nonexistent-fuzz-sysroot", "/nonexistent-fuzz-debug", false}},
      {"/=/nonexistent-fuzz-sources/"}};
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    for (const dla::AnalyzedSnapshot& a : dla::analyze_all_dumps({"fuzz", bytes}, options)) {
      (void)dla::render_text(a.snapshot, a.findings, {});
      (void)dla::render_json(a.snapshot, a.findings, {});
      (void)dla::render_dot(a.snapshot, a.findings, {});
      (void)dla::render_report(a.snapshot, a.findings, {});
    }
  } catch (const dla::Error&) {
  }
  return 0;
}
