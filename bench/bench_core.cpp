// The 1,000-thread ELF core (big_1000: one 2-cycle among idle and sleeping threads, 64 KiB
// stacks, ~70 MB), made by testdata/core/capture.sh big_1000 into /tmp/dlanalyze-core (too big to
// commit). Set DLA_BIG_CORE to another core and DLA_BIG_CORE_EXE to its executable if needed.
// Parse = unwind and symbolize every thread and read the lock owners; end to end adds the
// analysis. Whole-process time and peak RSS against gdb and eu-stack on the same core:
// testdata/core/capture.sh --compare.
#include <benchmark/benchmark.h>

#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include "cli/input_file.h"
#include "cli/pipeline.h"
#include "parsers/registry.h"

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

const std::string kCore = env_or("DLA_BIG_CORE", "/tmp/dlanalyze-core/big_1000.kernel");
const std::string kExe = env_or("DLA_BIG_CORE_EXE", "/tmp/dlanalyze-core/big_1000");

const dla::ParseOptions kOptions{"", {kExe, "", ""}};

bool available(benchmark::State& state) {
  struct stat st {};
  if (::stat(kCore.c_str(), &st) == 0) return true;
  state.SkipWithError(("no " + kCore + ": run testdata/core/capture.sh big_1000").c_str());
  return false;
}

void BM_ParseCore1000(benchmark::State& state) {
  if (!available(state)) return;
  dla::InputFile file(kCore);
  for (auto _ : state) {
    dla::Snapshot s = dla::read_snapshot({kCore, file.bytes()}, kOptions);
    benchmark::DoNotOptimize(s.tasks.size());
  }
  state.counters["threads"] = 1000;
}
BENCHMARK(BM_ParseCore1000)->Unit(benchmark::kMillisecond);

void BM_EndToEndCore1000(benchmark::State& state) {
  if (!available(state)) return;
  dla::InputFile file(kCore);
  for (auto _ : state) {
    dla::AnalyzedSnapshot a = dla::analyze_input({kCore, file.bytes()}, {kOptions, {}});
    benchmark::DoNotOptimize(a.findings.cycles.size());
  }
}
BENCHMARK(BM_EndToEndCore1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
