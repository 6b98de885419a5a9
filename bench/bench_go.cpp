// The ~100k-goroutine Go dump (39 MB, one 2-cycle among 100,004 goroutines), made by
// testdata/go/capture.sh gen_big (a real Go program; too big to commit). Set DLA_BIG_GO_DUMP to
// its path (default /tmp/dlanalyze-big_100k.debug2.txt), and DLA_BIG_GO_DUMP_2 to a second
// capture (another gen_big run, `capture.sh --big-out PATH gen_big`; default
// /tmp/dlanalyze-big_100k-b.debug2.txt) for the diff. Whole-process numbers against panicparse
// come from bench/compare.sh.
#include <benchmark/benchmark.h>

#include <sys/stat.h>
#include <cstdlib>
#include <string>

#include "cli/input_file.h"
#include "cli/pipeline.h"
#include "graph/analysis.h"
#include "graph/diff.h"
#include "graph/resolve_holders.h"
#include "parsers/registry.h"

namespace {

std::string big_dump() {
  const char* path = std::getenv("DLA_BIG_GO_DUMP");
  return path != nullptr ? path : "/tmp/dlanalyze-big_100k.debug2.txt";
}

std::string second_big_dump() {
  const char* path = std::getenv("DLA_BIG_GO_DUMP_2");
  return path != nullptr ? path : "/tmp/dlanalyze-big_100k-b.debug2.txt";
}

bool available(benchmark::State& state, const std::string& path = big_dump()) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return true;
  state.SkipWithError(
      ("no " + path + ": run testdata/go/capture.sh --big-out " + path + " gen_big").c_str());
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
// Wall time: a dump this big is read in pieces on every core (parsers/go_traceback.cpp), and the
// CPU column counts the benchmark's own thread only.
BENCHMARK(BM_ParseGo100k)->Unit(benchmark::kMillisecond)->UseRealTime();

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

// The diff alone, on two analysed captures of the 100k-goroutine program.
void BM_DiffGo100k(benchmark::State& state) {
  if (!available(state) || !available(state, second_big_dump())) return;
  std::vector<dla::AnalyzedSnapshot> snapshots;
  for (const std::string& path : {big_dump(), second_big_dump()}) {
    dla::InputFile file(path);
    snapshots.push_back(dla::analyze_input({path, file.bytes()}));
  }
  std::vector<dla::DiffInput> inputs;
  for (const dla::AnalyzedSnapshot& a : snapshots) inputs.push_back({&a.snapshot, &a.findings, {}});
  for (auto _ : state) {
    dla::Diff d = dla::diff_snapshots(inputs);
    benchmark::DoNotOptimize(d.appeared.size());
  }
}
BENCHMARK(BM_DiffGo100k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
