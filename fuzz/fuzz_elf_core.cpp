// libFuzzer: the ELF-core parser on arbitrary bytes, then the analysis and both renderers on
// whatever it produced. The only acceptable failure is a dla::Error (input the parser refuses).
// Seeds: testdata/core/*.head.core, the first 16 KiB of a real core (ELF header, program headers
// and every note: threads, registers, NT_FILE); the .xz cores there are no ELF to the fuzzer.
// The sysroot points nowhere, so no file the fuzzed notes name is opened.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "graph/analysis.h"
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
    dla::Snapshot s = dla::read_snapshot({"fuzz", bytes}, "core");
    dla::Findings f = dla::analyze(s);
    (void)dla::render_text(s, f, {});
    (void)dla::render_json(s, f, {});
  } catch (const dla::Error&) {
  }
  return 0;
}
