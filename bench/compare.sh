#!/usr/bin/env bash
# Whole-process time and peak RSS of dlanalyze against the tool a user would otherwise run, on
# the big inputs: the 3,000-thread JVM dump, and the 100k-goroutine Go dump against panicparse
# (Debian package panicparse), and the diff of two such dumps (a second gen_big capture:
# testdata/go/capture.sh --big-out /tmp/dlanalyze-big_100k-b.debug2.txt gen_big) against
# panicparse run on each. Usage: bench/compare.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
go_dump=${DLA_BIG_GO_DUMP:-/tmp/dlanalyze-big_100k.debug2.txt}
go_dump_2=${DLA_BIG_GO_DUMP_2:-/tmp/dlanalyze-big_100k-b.debug2.txt}
report=$(mktemp)
trap 'rm -f "$report"' EXIT
measure() {  # label command...
  /usr/bin/time -o "$report" -f "%e %M" "${@:2}" >/dev/null 2>&1 || true
  local out
  out=$(tail -n 1 "$report")
  printf '%-40s %8s s %8s MB\n' "$1" "${out% *}" "$(( ${out#* } / 1024 ))"
}
measure "dlanalyze jvm 3000 threads" "$build/dlanalyze" testdata/jvm/big_cycle_3000.jstack-l.txt
measure "dlanalyze gdb 1000 threads (source)" "$build/dlanalyze" --source-root testdata/gdb/programs \
  testdata/gdb/big_1000.gdb-full.txt
core=${DLA_BIG_CORE:-/tmp/dlanalyze-core/big_1000.kernel}
core_exe=${DLA_BIG_CORE_EXE:-/tmp/dlanalyze-core/big_1000}
if [ -f "$core" ]; then  # made by testdata/core/capture.sh big_1000
  measure "dlanalyze core 1000 threads" "$build/dlanalyze" -e "$core_exe" "$core"
  measure "gdb thread apply all bt, same core" gdb -nx -batch -ex 'thread apply all bt' "$core_exe" "$core"
  measure "eu-stack, same core" eu-stack --core "$core" -e "$core_exe"
  measure "eu-stack -i -s (inlines, lines)" eu-stack -i -s --core "$core" -e "$core_exe"
else
  echo "no $core: run testdata/core/capture.sh big_1000" >&2
fi
if [ ! -f "$go_dump" ]; then
  echo "no $go_dump: run testdata/go/capture.sh gen_big" >&2
  exit 0
fi
measure "dlanalyze go 100k (no source)" "$build/dlanalyze" "$go_dump"
measure "dlanalyze go 100k (source)" "$build/dlanalyze" \
  --source-root /tmp/dlanalyze-go="$PWD/testdata/go/programs" "$go_dump"
if command -v panicparse >/dev/null; then
  measure "panicparse go 100k" panicparse -no-color "$go_dump"
fi
if [ -f "$go_dump_2" ]; then
  measure "dlanalyze diff go 100k x 2" "$build/dlanalyze" diff "$go_dump" "$go_dump_2"
  if command -v panicparse >/dev/null; then
    measure "panicparse go 100k, second capture" panicparse -no-color "$go_dump_2"
  fi
else
  echo "no $go_dump_2: run testdata/go/capture.sh --big-out $go_dump_2 gen_big" >&2
fi
