// libFuzzer: the Go parser (go-debug1) on arbitrary bytes, then holder inference (without source),
// the analysis and both renderers on whatever it produced. The only acceptable failure is a
// dla::Error (input the parser refuses).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "graph/analysis.h"
#include "graph/resolve_holders.h"
#include "parsers/registry.h"
#include "render/json.h"
#include "render/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    dla::Snapshot s = dla::read_snapshot({"fuzz", bytes}, "go-debug1");
    dla::SourceFiles no_sources({"/=/nonexistent/"});
    dla::resolve_holders(s, no_sources);
    dla::Findings f = dla::analyze(s);
    (void)dla::render_text(s, f, {});
    (void)dla::render_json(s, f, {});
  } catch (const dla::Error&) {
  }
  return 0;
}
