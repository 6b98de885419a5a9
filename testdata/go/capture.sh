#!/usr/bin/env bash
# Capture real Go goroutine dumps for dlanalyze tests (standard library only).
#
# Usage: ./capture.sh [--big-out PATH] [case ...]
#   cases: cycle2_fatal cycle3_fatal deep_stack_fatal server_cycle2
#          server_cycle3 rwmutex self_deadlock channels leak gen_big
#   (no case arguments = all cases)
#   --big-out PATH  where gen_big writes its ~40 MB debug=2 dump
#                   (default: $BIG_OUT or /tmp/dlanalyze-big_100k.debug2.txt);
#                   it is deliberately NOT kept in testdata.
#
# Every program in programs/<case>/main.go is copied to
# $BUILD_ROOT/<case>/ (default /tmp/dlanalyze-go/<case>/) with a one-line
# go.mod and built there, offline, so tracebacks say
# /tmp/dlanalyze-go/<case>/main.go. Tests map that prefix with --source-root.
#
# Fatal cases run the binary to its "all goroutines are asleep" death with
# GOTRACEBACK=all and keep its stderr (<case>.txt).
# Server cases listen on 127.0.0.1:0 (a free port chosen by the kernel); the
# program writes the bound address to a file once its goroutines are blocked.
# The script polls /debug/pprof/goroutine?debug=2 until the expected stuck
# goroutines are visible, then captures
#   <case>.debug2.txt   curl .../debug/pprof/goroutine?debug=2
#   <case>.debug1.txt   curl .../debug/pprof/goroutine?debug=1
#   <case>.sigquit.txt  the process's stderr after kill -QUIT
# server_cycle2 also gets a GOTRACEBACK=system process (debug2-system,
# sigquit-system) and a process that is left blocked for LATE_WAIT seconds
# (default 70) before debug2-late and sigquit-late, so the ", N minutes"
# header field shows. A trap kills every started process on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGRAMS="$HERE/programs"
OUT="$HERE"
GO="${GO:-go}"
CURL="${CURL:-curl}"
BUILD_ROOT="${BUILD_ROOT:-/tmp/dlanalyze-go}"
BIG_OUT="${BIG_OUT:-/tmp/dlanalyze-big_100k.debug2.txt}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"   # seconds to wait for the expected state
LATE_WAIT="${LATE_WAIT:-70}"           # seconds blocked before the "late" captures

ALL_CASES=(cycle2_fatal cycle3_fatal deep_stack_fatal server_cycle2
           server_cycle3 rwmutex self_deadlock channels leak gen_big)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dlanalyze-go-capture.XXXXXX")"
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]:-}"; do
        [[ -n "$pid" ]] || continue
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[capture] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

is_case() {
    local c
    for c in "${ALL_CASES[@]}"; do [[ "$c" == "$1" ]] && return 0; done
    return 1
}

# Copy programs/<case>/main.go to $BUILD_ROOT/<case>/ and build it there.
build() {
    local c="$1" dir="$BUILD_ROOT/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$PROGRAMS/$c/main.go" "$dir/main.go"
    printf 'module dlanalyze/%s\n\ngo 1.19\n' "$c" >"$dir/go.mod"
    log "$c: building in $dir"
    (cd "$dir" && GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOWORK=off \
        "$GO" build -o "$dir/$c" .)
}

# Number of goroutines in the traceback text $1 whose wait state (the header's
# bracket up to the first comma) is $2 and whose stack has a frame of the
# function $3.
count_g() {
    awk -v st="$2" -v fn="$3" '
        /^goroutine [0-9]+ / {
            s = $0; sub(/^[^[]*\[/, "", s); sub(/[],].*$/, "", s)
            cur = (s == st); hit = 0; next
        }
        cur && !hit && index($0, fn "(") == 1 { n++; hit = 1 }
        END { print n + 0 }' "$1"
}

# expect FILE COUNT STATE FUNC: succeeds when count_g gives COUNT.
expect() { [[ "$(count_g "$1" "$3" "$4")" -eq "$2" ]]; }

# Succeeds when the debug=2 text in $2 shows the state expected for case $1.
is_ready() {
    local c="$1" f="$2"
    case "$c" in
        server_cycle2)
            expect "$f" 1 semacquire main.reserveThenBill &&
            expect "$f" 1 semacquire main.billThenReserve ;;
        server_cycle3)
            expect "$f" 1 semacquire 'main.(*OrderService).reserveThenBill' &&
            expect "$f" 1 semacquire 'main.(*OrderService).billThenShip' &&
            expect "$f" 1 semacquire 'main.(*OrderService).shipThenReserve' ;;
        rwmutex)
            expect "$f" 1 semacquire main.refreshPrices &&
            expect "$f" 1 semacquire main.repriceCatalog &&
            expect "$f" 1 semacquire main.listProducts ;;
        self_deadlock)
            expect "$f" 1 semacquire 'main.(*SessionStore).Len' ;;
        channels)
            expect "$f" 1 'chan receive (nil chan)' 'main.(*Watcher).run' &&
            expect "$f" 1 'select (no cases)' main.keepAlive &&
            expect "$f" 1 'chan send' 'main.(*Publisher).publish' &&
            expect "$f" 1 'chan receive' main.consumeJobs &&
            expect "$f" 1 semacquire main.awaitShards ;;
        leak)
            expect "$f" 500 'chan send' 'main.(*Notifier).notify' ;;
        *) return 1 ;;
    esac
}

# Start a built server. Sets SRV_PID and SRV_ADDR; stdout/stderr go to
# $WORK/<tag>.stdout / .stderr. Extra arguments are environment assignments.
start_server() {
    local c="$1" tag="$2"; shift 2
    local addr_file="$WORK/$tag.addr" deadline
    rm -f "$addr_file"
    env "$@" "$BUILD_ROOT/$c/$c" -addr 127.0.0.1:0 -addr-file "$addr_file" \
        >"$WORK/$tag.stdout" 2>"$WORK/$tag.stderr" &
    SRV_PID=$!
    PIDS+=("$SRV_PID")
    deadline=$(( SECONDS + READY_TIMEOUT ))
    until [[ -s "$addr_file" ]]; do
        kill -0 "$SRV_PID" 2>/dev/null || { cat "$WORK/$tag.stderr" >&2; die "$tag: exited early"; }
        (( SECONDS < deadline )) || die "$tag: no address after ${READY_TIMEOUT}s"
        sleep 0.2
    done
    SRV_ADDR="$(head -n1 "$addr_file")"
    log "$tag: pid $SRV_PID listening on $SRV_ADDR ${*:+($*)}"
}

# fetch ADDR DEBUG OUTFILE
fetch() {
    "$CURL" -sS --fail --max-time 300 -o "$3" \
        "http://$1/debug/pprof/goroutine?debug=$2"
}

# wait_ready CASE TAG ADDR: poll debug=2 until is_ready holds.
wait_ready() {
    local c="$1" tag="$2" addr="$3" poll="$WORK/$2.poll" deadline
    deadline=$(( SECONDS + READY_TIMEOUT ))
    until fetch "$addr" 2 "$poll" && is_ready "$c" "$poll"; do
        (( SECONDS < deadline )) || die "$tag: expected state not reached within ${READY_TIMEOUT}s"
        sleep 0.5
    done
}

# sigquit PID TAG OUTFILE: kill -QUIT, wait for the process to die, keep stderr.
sigquit() {
    local pid="$1" tag="$2" out="$3" rc=0
    kill -QUIT "$pid"
    wait "$pid" || rc=$?
    [[ "$rc" -eq 2 ]] || log "$tag: exit status after SIGQUIT was $rc (expected 2)"
    head -n1 "$WORK/$tag.stderr" | grep -q '^SIGQUIT: quit$' ||
        die "$tag: stderr does not start with 'SIGQUIT: quit'"
    cp "$WORK/$tag.stderr" "$out"
}

capture_fatal() {
    local c="$1" stage="$2" rc=0
    log "$c: running with GOTRACEBACK=all until the runtime declares deadlock"
    GOTRACEBACK=all timeout 60 "$BUILD_ROOT/$c/$c" \
        >"$WORK/$c.stdout" 2>"$stage/$c.txt" || rc=$?
    [[ "$rc" -eq 2 ]] || die "$c: exit status $rc (expected 2)"
    head -n1 "$stage/$c.txt" | grep -q '^fatal error: all goroutines are asleep - deadlock!$' ||
        die "$c: no 'all goroutines are asleep' line"
}

# Plain server case: debug=2, debug=1, then SIGQUIT, from one process.
capture_server() {
    local c="$1" stage="$2"
    start_server "$c" "$c"
    local pid="$SRV_PID" addr="$SRV_ADDR"
    wait_ready "$c" "$c" "$addr"
    sleep 1.5   # "early" capture, about 2 s after start
    fetch "$addr" 2 "$stage/$c.debug2.txt"
    fetch "$addr" 1 "$stage/$c.debug1.txt"
    sigquit "$pid" "$c" "$stage/$c.sigquit.txt"
}

capture_server_cycle2() {
    local c=server_cycle2 stage="$1"
    # The late process starts first and is captured last.
    start_server "$c" late
    local late_pid="$SRV_PID" late_addr="$SRV_ADDR" late_t0=$SECONDS
    wait_ready "$c" late "$late_addr"

    capture_server "$c" "$stage"

    start_server "$c" system GOTRACEBACK=system
    local sys_pid="$SRV_PID" sys_addr="$SRV_ADDR"
    wait_ready "$c" system "$sys_addr"
    sleep 1.5
    fetch "$sys_addr" 2 "$stage/$c.debug2-system.txt"
    sigquit "$sys_pid" system "$stage/$c.sigquit-system.txt"

    local left=$(( LATE_WAIT - (SECONDS - late_t0) ))
    if (( left > 0 )); then
        log "$c: waiting ${left}s more for the late captures"
        sleep "$left"
    fi
    fetch "$late_addr" 2 "$stage/$c.debug2-late.txt"
    sigquit "$late_pid" late "$stage/$c.sigquit-late.txt"
    grep -q '^goroutine [0-9]* \[semacquire, [0-9]* minutes\]:' "$stage/$c.debug2-late.txt" ||
        die "$c: no ', N minutes' field in debug2-late"
}

capture_gen_big() {
    local c=gen_big stage="$1" poll="$WORK/gen_big.debug1" deadline t0 t1 size
    start_server "$c" "$c"
    local pid="$SRV_PID" addr="$SRV_ADDR"
    deadline=$(( SECONDS + READY_TIMEOUT ))
    until fetch "$addr" 1 "$poll" &&
          [[ "$(sed -n 's/^goroutine profile: total \([0-9]*\)$/\1/p' "$poll")" -ge 100000 ]] &&
          [[ "$(grep -c 'main.postThenSettle+\|main.settleThenPost+' "$poll")" -eq 2 ]]; do
        (( SECONDS < deadline )) || die "gen_big: expected state not reached within ${READY_TIMEOUT}s"
        sleep 1
    done
    cp "$poll" "$stage/big_100k.debug1.txt"
    mkdir -p "$(dirname "$BIG_OUT")"
    log "$c: fetching debug=2 into $BIG_OUT"
    t0=$(date +%s.%N)
    fetch "$addr" 2 "$BIG_OUT.part"
    t1=$(date +%s.%N)
    mv -f "$BIG_OUT.part" "$BIG_OUT"
    size=$(stat -c %s "$BIG_OUT")
    log "$c: $BIG_OUT: $size bytes, $(grep -c '^goroutine [0-9]' "$BIG_OUT") goroutines," \
        "fetched in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

capture_case() {
    local c="$1" stage="$WORK/out-$1"
    mkdir -p "$stage"
    build "$c"
    case "$c" in
        *_fatal)                   capture_fatal "$c" "$stage" ;;
        server_cycle2)             capture_server_cycle2 "$stage" ;;
        gen_big)                   capture_gen_big "$stage" ;;
        *)                         capture_server "$c" "$stage" ;;
    esac
    # Dumps are staged and moved into place only when the case completed.
    local f
    for f in "$stage"/*.txt; do
        [[ -e "$f" ]] || continue
        mv -f "$f" "$OUT/"
        log "$c: $(basename "$f") ($(wc -c <"$OUT/$(basename "$f")") bytes)"
    done
}

cases=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --big-out) BIG_OUT="$2"; shift 2 ;;
        --big-out=*) BIG_OUT="${1#*=}"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        *) is_case "$1" || die "unknown case: $1 (known: ${ALL_CASES[*]})"
           cases+=("$1"); shift ;;
    esac
done
[[ ${#cases[@]} -gt 0 ]] || cases=("${ALL_CASES[@]}")

"$GO" version | sed 's/^/[capture] /' >&2
for c in "${cases[@]}"; do
    capture_case "$c"
done
