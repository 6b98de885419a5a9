// The 1,000-thread gdb dump (testdata/gdb/big_1000.gdb-full.txt, 1 MB, one 2-cycle among idle
// and sleeping threads): parse, and parse plus holder inference from the bundled source plus the
// analysis. Whole-process numbers come from bench/compare.sh.
#include <benchmark/benchmark.h>

#include <string>

#include "cli/input_file.h"
#include "graph/analysis.h"
#include "graph/resolve_holders.h"
#include "parsers/registry.h"

namespace {

const std::string kDump = std::string(DLA_TESTDATA) + "/gdb/big_1000.gdb-full.txt";
const std::string kSources = std::string(DLA_TESTDATA) + "/gdb/programs";

void BM_ParseGdb1000(benchmark::State& state) {
  dla::InputFile file(kDump);
  for (auto _ : state) {
    dla::Snapshot s = dla::read_snapshot({kDump, file.bytes()});
    benchmark::DoNotOptimize(s.tasks.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * file.bytes().size()));
}
BENCHMARK(BM_ParseGdb1000)->Unit(benchmark::kMillisecond);

void BM_EndToEndGdb1000(benchmark::State& state) {
  dla::InputFile file(kDump);
  for (auto _ : state) {
    dla::Snapshot s = dla::read_snapshot({kDump, file.bytes()});
    dla::SourceFiles sources({kSources});
    dla::resolve_holders(s, sources);
    dla::Findings f = dla::analyze(s);
    benchmark::DoNotOptimize(f.cycles.size());
  }
}
BENCHMARK(BM_EndToEndGdb1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
