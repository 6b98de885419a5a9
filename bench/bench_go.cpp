// The ~100k-goroutine Go dump (39 MB, one 2-cycle among 100,004 goroutines), made by
// testdata/go/capture.sh gen_big (a real Go program; too big to commit). Set DLA_BIG_GO_DUMP to
// its path (default /tmp/dlanalyze-big_100k.debug2.txt). Whole-process numbers against
// panicparse come from bench/compare.sh.
#include <benchmark/benchmark.h>

#include <sys/stat.h>
#include <cstdlib>
#include <string>

#include "cli/input_file.h"
#include "graph/analysis.h"
#include "graph/resolve_holders.h"
#include "parsers/registry.h"

namespace {

std::string big_dump() {
  const char* path = std::getenv("DLA_BIG_GO_DUMP");
  return path != nullptr ? path : "/tmp/dlanalyze-big_100k.debug2.txt";
}

bool available(benchmark::State& state) {
  struct stat st {};
  if (::stat(big_dump().c_str(), &st) == 0) return true;
  state.SkipWithError(("no " + big_dump() + ": run testdata/go/capture.sh gen_big").c_str());
  return false;
}

const std::string kSources = "/tmp/dlanalyze-go=" + std::string(DLA_TESTDATA) + "/go/programs";

void BM_ParseGo100k(benchmark::State& state) {
  if (!available(state)) return;
  dla::InputFile file(big_dump());
  for (auto _ : state) {
    dla::Snapshot s = dla::read_snapshot({big_dump(), file.bytes()});
    benchmark::DoNotOptimize(s.tasks.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * file.bytes().size()));
}
BENCHMARK(BM_ParseGo100k)->Unit(benchmark::kMillisecond);

void BM_HoldersAndAnalysisGo100k(benchmark::State& state) {
  if (!available(state)) return;
  dla::InputFile file(big_dump());
  for (auto _ : state) {
    state.PauseTiming();
    dla::Snapshot s = dla::read_snapshot({big_dump(), file.bytes()});
    dla::SourceFiles sources({kSources});
    state.ResumeTiming();
    dla::resolve_holders(s, sources);
    dla::Findings f = dla::analyze(s);
    benchmark::DoNotOptimize(f.cycles.size());
  }
}
BENCHMARK(BM_HoldersAndAnalysisGo100k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
