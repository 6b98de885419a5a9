// libFuzzer: the goroutine reader (parsers/go_core) on damaged memory. A real Go core
// (testdata/gocore/mutex_cycle.kernel.xz, unpacked once) is read with its executable
// (stuck.exe.xz) after the fuzz input has corrupted its memory: the input is a list of patches,
// each [segment u8][offset u24][length u8][bytes], XORed into a writable segment of the core (the
// heap arena with its goroutines, sudogs and channels; the executable's data and bss with
// runtime.allgs, the semaphore table and the heap's span list; the threads' stacks). An empty
// input is the intact core. Then holder inference, the analysis and both renderers, as for every
// parser: the only acceptable failure is a dla::Error.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cli/pipeline.h"
#include "render/json.h"
#include "render/text.h"

namespace {

std::string unpack(const std::string& xz) {
  std::string out;
  FILE* p = popen(("xz -dc '" + xz + "'").c_str(), "r");
  if (p == nullptr) std::abort();
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (pclose(p) != 0 || out.empty()) std::abort();
  return out;
}

struct Segment {
  size_t offset, size;  // in the core file
};

struct Fixture {
  std::string core;
  std::string exe;
  std::vector<Segment> writable;
  Fixture() {
    core = unpack(std::string(DLA_TESTDATA) + "/gocore/mutex_cycle.kernel.xz");
    char tmpl[] = "/tmp/dlanalyze-fuzz-go-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) std::abort();
    exe = std::string(tmpl) + "/stuck";
    std::string bytes = unpack(std::string(DLA_TESTDATA) + "/gocore/stuck.exe.xz");
    FILE* f = fopen(exe.c_str(), "wb");
    if (f == nullptr || fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
    fclose(f);
    // PT_LOAD segments with PF_W, from the program headers (64-bit, little-endian).
    uint64_t phoff;
    uint16_t phnum;
    std::memcpy(&phoff, core.data() + 32, 8);
    std::memcpy(&phnum, core.data() + 56, 2);
    for (uint16_t i = 0; i < phnum; ++i) {
      const char* ph = core.data() + phoff + i * 56;
      uint32_t type, flags;
      uint64_t offset, filesz;
      std::memcpy(&type, ph, 4);
      std::memcpy(&flags, ph + 4, 4);
      std::memcpy(&offset, ph + 8, 8);
      std::memcpy(&filesz, ph + 32, 8);
      if (type == 1 && (flags & 2) != 0 && filesz > 0 && offset + filesz <= core.size()) {
        writable.push_back({offset, filesz});
      }
    }
    if (writable.empty()) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fx;
  static const dla::PipelineOptions options{{"core", {fx.exe, "", ""}}, {}};
  // Apply the patches, remembering what they overwrote.
  std::vector<std::pair<size_t, std::string>> saved;
  for (size_t at = 0; at + 5 <= size;) {
    const Segment& seg = fx.writable[data[at] % fx.writable.size()];
    size_t offset =
        (size_t{data[at + 1]} | size_t{data[at + 2]} << 8 | size_t{data[at + 3]} << 16) % seg.size;
    size_t len = std::min<size_t>({size_t{data[at + 4]}, size - at - 5, seg.size - offset});
    at += 5;
    saved.emplace_back(seg.offset + offset, fx.core.substr(seg.offset + offset, len));
    for (size_t i = 0; i < len; ++i)
      fx.core[seg.offset + offset + i] ^= static_cast<char>(data[at + i]);
    at += len;
  }
  try {
    for (const dla::AnalyzedSnapshot& a : dla::analyze_all_dumps({"fuzz.core", fx.core}, options)) {
      (void)dla::render_text(a.snapshot, a.findings, {});
      (void)dla::render_json(a.snapshot, a.findings, {});
    }
  } catch (const dla::Error&) {
  }
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
    fx.core.replace(it->first, it->second.size(), it->second);
  }
  return 0;
}
