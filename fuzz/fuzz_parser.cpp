// libFuzzer: one parser (DLA_FUZZ_FORMAT, set per target in CMakeLists.txt) on arbitrary bytes,
// through the whole pipeline (fuzz_one_input.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_one_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dla::fuzz::analyze_and_render(DLA_FUZZ_FORMAT,
                                std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
