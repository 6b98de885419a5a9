// libFuzzer: the native-dump parser on arbitrary bytes, then the analysis and both renderers on whatever
// it produced. The only acceptable failure is a dla::Error (input the parser refuses).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "graph/analysis.h"
#include "parsers/registry.h"
#include "render/json.h"
#include "render/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    dla::Snapshot s = dla::read_snapshot({"fuzz", bytes}, "gdb");
    dla::Findings f = dla::analyze(s);
    (void)dla::render_text(s, f, {});
    (void)dla::render_json(s, f, {});
  } catch (const dla::Error&) {
  }
  return 0;
}
