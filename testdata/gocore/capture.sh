#!/usr/bin/env bash
# capture.sh -- run each case of programs/stuck until it hangs and take a core of the hung process
# with gdb's `gcore`; then list the core's goroutines with Delve, for the tests to compare with.
#
#   ./capture.sh                    # every committed case
#   ./capture.sh mutex_cycle rwmutex
#   ./capture.sh --crash            # mutex_cycle's kernel core (GOTRACEBACK=crash), see below
#   ./capture.sh --compare [DLANALYZE]
#                                   # whole-process time and peak RSS of dlanalyze and `dlv core`
#                                   # (goroutines) on the server_10k core, side by side, one run
#
# The program is built once, offline (standard library only), from a copy under
# $BUILD_ROOT/stuck (default /tmp/dlanalyze-gocore/stuck), with CGO_ENABLED=0, so that its frames
# read /tmp/dlanalyze-gocore/stuck/<file>.go:LINE; tests map that prefix to programs/stuck with
# --source-root. Files written per case, here:
#   stuck.exe.xz        the executable (one for every case; the cores name it by path)
#   <case>.core.xz      gcore of the hung process (xz -9; a sparse file of ~1 GB once unpacked)
#   <case>.stack.txt    runtime.Stack(all) written by the process itself just before the core:
#                       the text /debug/pprof/goroutine?debug=2 would serve (the goroutine that
#                       wrote it shows [running]; it has exited when the core is taken)
#   <case>.truth.txt    the TRUTH lines the process printed: goroutine ids by role, lock and
#                       channel addresses
#   <case>.dlv.txt      `dlv core stuck <case>.core` → `goroutines`: Delve's list of the same core
# and, with --crash, mutex_cycle once more as the kernel dumps a Go program that crashes
# (GOTRACEBACK=crash, then SIGQUIT: the runtime prints every goroutine at "system" level and
# aborts; the kernel writes the core, which leaves out the executable's unmodified pages):
#   mutex_cycle.kernel.xz       the kernel's core (core_pattern must be a plain file name)
#   mutex_cycle.crash.txt       the runtime's own dump of the same process, its stderr
#   mutex_cycle.crash.truth.txt that process's TRUTH lines
# Goroutine ids and heap addresses change from run to run: after a capture, update README.md and
# tests/go_core_test.cpp from the new truth files.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGRAM="$HERE/programs/stuck"
BUILD_ROOT="${BUILD_ROOT:-/tmp/dlanalyze-gocore}"
WORK="$HERE/build"  # git-ignored: uncompressed cores, logs
GO="${GO:-go}"
COMMITTED=(mutex_cycle rwmutex chan_leak waitgroup server_10k idle_pool)
DLV=(dlv --allow-non-terminal-interactive=true)

PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]:-}"; do
        [[ -n "$p" ]] || continue
        kill -KILL "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[capture] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

install_deps() {
    local need=() p
    for p in golang-go gdb delve xz-utils time; do
        if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed'; then
            need+=("$p")
        fi
    done
    ((${#need[@]} == 0)) && return 0
    log "installing ${need[*]}"
    local sudo=()
    [[ "$(id -u)" != 0 ]] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
}

build() {
    local dir="$BUILD_ROOT/stuck"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$PROGRAM"/*.go "$dir/"
    printf 'module dlanalyze/stuck\n\ngo 1.19\n' >"$dir/go.mod"
    log "building $dir/stuck with $("$GO" version)"
    (cd "$dir" && CGO_ENABLED=0 GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOWORK=off \
        "$GO" build -o "$dir/stuck" .)
}

# Runs CASE until it prints READY, then waits for the dumper goroutine to exit.
run_until_stuck() {
    local c=$1 logf="$WORK/$1.log" i
    "$BUILD_ROOT/stuck/stuck" "$c" -stack "$HERE/$c.stack.txt" >"$logf" 2>&1 &
    PID=$!
    PIDS+=("$PID")
    for ((i = 0; i < 1500; i++)); do  # 150 s: waitgroup ages its waiters 65 s
        grep -qs '^READY pid=' "$logf" && break
        kill -0 "$PID" 2>/dev/null || { cat "$logf" >&2; die "$c exited early"; }
        sleep 0.1
    done
    grep -qs '^READY pid=' "$logf" || die "$c: no READY line"
    sleep 0.5
}

capture_case() {
    local c=$1
    log "== $c"
    run_until_stuck "$c"
    rm -f "$WORK/$c.core"*
    timeout 600 gcore -o "$WORK/$c.core" "$PID" >/dev/null 2>&1
    mv "$WORK/$c.core.$PID" "$WORK/$c.core"
    kill -KILL "$PID"; wait "$PID" 2>/dev/null || true
    grep '^TRUTH ' "$WORK/$c.log" | sed 's/^TRUTH //' >"$HERE/$c.truth.txt"
    printf 'goroutines\nexit\n' >"$WORK/dlv.init"
    timeout 600 "${DLV[@]}" core "$BUILD_ROOT/stuck/stuck" "$WORK/$c.core" --init "$WORK/dlv.init" \
        </dev/null 2>&1 | grep -v "^Type 'help'" >"$HERE/$c.dlv.txt"
    xz -9 -T1 -c "$WORK/$c.core" >"$HERE/$c.core.xz"
    log "$c: $(grep -c '^[ *] Goroutine ' "$HERE/$c.dlv.txt") goroutines (Delve), core $(du -h --apparent-size "$WORK/$c.core" | cut -f1), xz $(du -h "$HERE/$c.core.xz" | cut -f1)"
}

capture_crash() {
    local c=mutex_cycle dir="$WORK/crash" i core
    if [[ "$(cat /proc/sys/kernel/core_pattern)" == *'|'* ]]; then
        die "core_pattern pipes to a handler ($(cat /proc/sys/kernel/core_pattern)): no kernel core"
    fi
    log "== $c (kernel core)"
    rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && ulimit -c unlimited && GOTRACEBACK=crash exec "$BUILD_ROOT/stuck/stuck" "$c" \
        >"$dir/log" 2>"$dir/stderr") &
    PID=$!
    PIDS+=("$PID")
    for ((i = 0; i < 300; i++)); do
        grep -qs '^READY pid=' "$dir/log" && break
        sleep 0.1
    done
    grep -qs '^READY pid=' "$dir/log" || die "$c: no READY line"
    sleep 0.5
    kill -QUIT "$PID"
    wait "$PID" 2>/dev/null || true
    for core in "$dir/core.$PID" "$dir/core"; do [[ -f "$core" ]] && break; done
    [[ -f "$core" ]] || die "no kernel core in $dir (core_pattern: $(cat /proc/sys/kernel/core_pattern))"
    cp "$dir/stderr" "$HERE/$c.crash.txt"
    grep '^TRUTH ' "$dir/log" | sed 's/^TRUTH //' >"$HERE/$c.crash.truth.txt"
    xz -9 -T1 -c "$core" >"$HERE/$c.kernel.xz"
    log "$c: kernel core $(du -h --apparent-size "$core" | cut -f1), xz $(du -h "$HERE/$c.kernel.xz" | cut -f1)"
}

# Whole-process wall time and peak RSS (/usr/bin/time -v), best of 3, same core, same run.
compare() {
    local dla=${1:-"$HERE/../../build/dlanalyze"} core="$WORK/server_10k.core"
    local exe="$BUILD_ROOT/stuck/stuck"
    [[ -f "$core" ]] || { xz -dc "$HERE/server_10k.core.xz" >"$core"; }
    [[ -f "$exe" ]] || { mkdir -p "$(dirname "$exe")"; xz -dc "$HERE/stuck.exe.xz" >"$exe"; chmod +x "$exe"; }
    printf 'goroutines\nexit\n' >"$WORK/dlv.init"
    echo "core: $core ($(du -h "$core" | cut -f1) on disk), $(grep -c '^[ *] Goroutine ' "$HERE/server_10k.dlv.txt") goroutines"
    run_timed "dlanalyze" "$dla" -e "$exe" --source-root "$BUILD_ROOT/stuck=$PROGRAM" "$core"
    run_timed "dlv core" "${DLV[@]}" core "$exe" "$core" --init "$WORK/dlv.init"
}
run_timed() {
    local name=$1 i best="" rss="" t r
    shift
    for i in 1 2 3; do
        /usr/bin/time -v "$@" </dev/null >/dev/null 2>"$WORK/time.txt" || true
        t=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" |
            awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
        r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
        if [[ -z "$best" ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$t; rss=$r
        fi
    done
    printf '%-10s %8.2f s  %8d KiB peak RSS\n' "$name" "$best" "$rss"
}

main() {
    mkdir -p "$WORK"
    if [[ "${1:-}" == --compare ]]; then
        shift
        compare "$@"
        return 0
    fi
    if [[ "${1:-}" == --crash ]]; then
        install_deps
        build
        capture_crash
        return 0
    fi
    local cases=("$@") c
    ((${#cases[@]} == 0)) && cases=("${COMMITTED[@]}")
    for c in "${cases[@]}"; do
        [[ " ${COMMITTED[*]} " == *" $c "* ]] || die "unknown case $c (have: ${COMMITTED[*]})"
    done
    install_deps
    build
    xz -9e -T1 -c "$BUILD_ROOT/stuck/stuck" >"$HERE/stuck.exe.xz"
    for c in "${cases[@]}"; do capture_case "$c"; done
    log "done"
}

main "$@"
