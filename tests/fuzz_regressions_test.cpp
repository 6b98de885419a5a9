// Every input a fuzzer once crashed on (fuzz/regressions/FORMAT/*) goes through the fuzz targets'
// own body again: in CI's sanitizer build a memory error aborts this test as it aborted the fuzzer;
// in any build an exception other than dla::Error fails it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz/fuzz_one_input.h"

namespace fs = std::filesystem;

TEST_CASE("FuzzFindingsStayFixed") {
  const fs::path root = fs::path(DLA_SOURCE_DIR) / "fuzz" / "regressions";
  size_t replayed = 0;
  for (const fs::directory_entry& format_dir : fs::directory_iterator(root)) {
    const std::string format = format_dir.path().filename().string();
    for (const fs::directory_entry& file : fs::directory_iterator(format_dir)) {
      std::ifstream in(file.path(), std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), {}};
      INFO(file.path().string());
      CHECK_NOTHROW(dla::fuzz::analyze_and_render(format, bytes));
      ++replayed;
    }
  }
  CHECK(replayed > 0);
}
