// libFuzzer: one parser (DLA_FUZZ_FORMAT, set per target in CMakeLists.txt) on arbitrary bytes,
// then holder inference, the analysis and both renderers on whatever it produced. The only
// acceptable failure is a dla::Error (input the parser refuses). Nothing the fuzzed text names
// is read from disk: source roots and the core sysroot point nowhere.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "graph/analysis.h"
#include "graph/resolve_holders.h"
#include "parsers/elf_core.h"
#include "parsers/registry.h"
#include "render/json.h"
#include "render/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool configured = [] {
    dla::set_core_options({"", "/nonexistent-fuzz-sysroot", "/nonexistent-fuzz-debug"});
    return true;
  }();
  (void)configured;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    dla::Snapshot s = dla::read_snapshot({"fuzz", bytes}, DLA_FUZZ_FORMAT);
    dla::SourceFiles no_sources({"/=/nonexistent-fuzz-sources/"});
    dla::resolve_holders(s, no_sources);
    dla::Findings f = dla::analyze(s);
    (void)dla::render_text(s, f, {});
    (void)dla::render_json(s, f, {});
  } catch (const dla::Error&) {
  }
  return 0;
}
