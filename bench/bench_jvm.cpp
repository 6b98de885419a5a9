// The 3,000-thread JVM dump (testdata/jvm/big_cycle_3000.jstack-l.txt, 2.4 MB, one cycle, five
// threads blocked behind it): parse, analyse and render, each alone and end to end. Whole-process
// numbers (time, peak RSS) come from /usr/bin/time -v build/dlanalyze …; see the issue notes.
#include <benchmark/benchmark.h>

#include <string>

#include "cli/input_file.h"
#include "graph/analysis.h"
#include "parsers/registry.h"
#include "render/json.h"
#include "render/text.h"

namespace {

const std::string kBigDump = std::string(DLA_TESTDATA) + "/jvm/big_cycle_3000.jstack-l.txt";

void BM_ParseJvm3000(benchmark::State& state) {
  dla::InputFile file(kBigDump);
  for (auto _ : state) {
    dla::Snapshot s = dla::read_snapshot({kBigDump, file.bytes()});
    benchmark::DoNotOptimize(s.tasks.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * file.bytes().size()));
}
BENCHMARK(BM_ParseJvm3000)->Unit(benchmark::kMillisecond);

void BM_AnalyzeJvm3000(benchmark::State& state) {
  dla::InputFile file(kBigDump);
  dla::Snapshot s = dla::read_snapshot({kBigDump, file.bytes()});
  for (auto _ : state) {
    dla::Findings f = dla::analyze(s);
    benchmark::DoNotOptimize(f.cycles.size());
  }
}
BENCHMARK(BM_AnalyzeJvm3000)->Unit(benchmark::kMillisecond);

void BM_EndToEndJvm3000(benchmark::State& state) {
  for (auto _ : state) {
    dla::InputFile file(kBigDump);
    dla::Snapshot s = dla::read_snapshot({kBigDump, file.bytes()});
    dla::Findings f = dla::analyze(s);
    std::string text = dla::render_text(s, f, {});
    std::string json = dla::render_json(s, f, {});
    benchmark::DoNotOptimize(text.size() + json.size());
  }
}
BENCHMARK(BM_EndToEndJvm3000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
