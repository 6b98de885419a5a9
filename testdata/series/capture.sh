#!/usr/bin/env bash
# Capture time series of real dumps (several snapshots of ONE process per
# case) for `dlanalyze diff`. Standard library / JDK only, nothing downloaded.
#
# Usage: ./capture.sh [case ...]
#   cases: go_leak go_mutex_parked jvm_deadlock_twice jvm_kill3_twice
#          idle_pool_twice go_sigquit_in_log
#   (no case arguments = all cases, about 6 minutes)
#
# Outputs go to <case>/ next to this script, together with the ground truth
# the program itself wrote while running (truth.txt; idle_pool_twice has
# go.truth.txt and jvm.truth.txt). Files are staged in a temp directory and
# moved into place only when the case completed. A trap kills every process
# this script started.
#
# Go programs (programs/<case>/main.go) are copied to
# $BUILD_ROOT/<case>/ (default /tmp/dlanalyze-series/<case>/) with a one-line
# go.mod and built there offline, so tracebacks say
# /tmp/dlanalyze-series/<case>/main.go. Java programs
# (programs/<case>/*.java, default package) are compiled into the temp dir.
#
# Environment: STEP_WAIT (go_leak: seconds between the 10/60/110 steps,
# default 35, so the first leaks are > 1 minute old at step 110),
# READY_TIMEOUT (default 60), GO, JAVA, JAVAC, JSTACK, JCMD, CURL.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGRAMS="$HERE/programs"
GO="${GO:-go}"
CURL="${CURL:-curl}"
JAVA="${JAVA:-java}"
JAVAC="${JAVAC:-javac}"
JSTACK="${JSTACK:-jstack}"
JCMD="${JCMD:-jcmd}"
BUILD_ROOT="${BUILD_ROOT:-/tmp/dlanalyze-series}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
STEP_WAIT="${STEP_WAIT:-35}"

ALL_CASES=(go_leak go_mutex_parked jvm_deadlock_twice jvm_kill3_twice
           idle_pool_twice go_sigquit_in_log)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dlanalyze-series.XXXXXX")"
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

log() { printf '[capture] %s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }

is_case() {
    local c
    for c in "${ALL_CASES[@]}"; do [[ "$c" == "$1" ]] && return 0; done
    return 1
}

# ---------------------------------------------------------------- Go helpers

# build_go CASE: copy programs/CASE/main.go to $BUILD_ROOT/CASE/, build there.
build_go() {
    local c="$1" dir="$BUILD_ROOT/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$PROGRAMS/$c/main.go" "$dir/main.go"
    printf 'module dlanalyze/%s\n\ngo 1.19\n' "$c" >"$dir/go.mod"
    log "$c: building in $dir"
    (cd "$dir" && GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOWORK=off \
        "$GO" build -o "$dir/$c" .)
}

# Number of goroutines in traceback text $1 whose wait state (header bracket
# up to the first comma) is $2 and that have a frame of function $3.
count_g() {
    awk -v st="$2" -v fn="$3" '
        /^goroutine [0-9]+ / {
            s = $0; sub(/^[^[]*\[/, "", s); sub(/[],].*$/, "", s)
            cur = (s == st); hit = 0; next
        }
        cur && !hit && index($0, fn "(") == 1 { n++; hit = 1 }
        END { print n + 0 }' "$1"
}

# start_go_server CASE TAG TRUTHFILE: sets SRV_PID, SRV_ADDR. stdout/stderr go
# to $WORK/TAG.stdout / .stderr.
start_go_server() {
    local c="$1" tag="$2" truth="$3" addr_file="$WORK/$2.addr" deadline
    rm -f "$addr_file"
    "$BUILD_ROOT/$c/$c" -addr 127.0.0.1:0 -addr-file "$addr_file" -truth "$truth" \
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
    log "$tag: pid $SRV_PID listening on $SRV_ADDR"
}

# pprof ADDR DEBUG OUTFILE
pprof() {
    "$CURL" -sS --fail --max-time 60 -o "$3" \
        "http://$1/debug/pprof/goroutine?debug=$2"
}

# get ADDR PATH: GET a URL (the /truth endpoint), discard the body.
get() { "$CURL" -sS --fail --max-time 60 "http://$1$2" >/dev/null; }

# wait_g ADDR COUNT STATE FUNC: poll debug=2 until exactly COUNT goroutines
# in STATE have a FUNC frame.
wait_g() {
    local poll="$WORK/poll.txt" deadline=$(( SECONDS + READY_TIMEOUT ))
    until pprof "$1" 2 "$poll" && [[ "$(count_g "$poll" "$3" "$4")" -eq "$2" ]]; do
        (( SECONDS < deadline )) || die "not reached within ${READY_TIMEOUT}s: $2 x [$3] $4 (have $(count_g "$poll" "$3" "$4"))"
        sleep 0.3
    done
}

# sigquit PID TAG OUTFILE: kill -QUIT, wait for death, keep stderr.
sigquit() {
    local pid="$1" tag="$2" out="$3" rc=0
    kill -QUIT "$pid"
    wait "$pid" || rc=$?
    [[ "$rc" -eq 2 ]] || log "$tag: exit status after SIGQUIT was $rc (expected 2)"
    cp "$WORK/$tag.stderr" "$out"
}

# --------------------------------------------------------------- JVM helpers

# compile_java CASE: javac programs/CASE/*.java into $WORK/classes-CASE.
compile_java() {
    local c="$1" classes="$WORK/classes-$1"
    mkdir -p "$classes"
    log "$c: compiling $(cd "$PROGRAMS/$c" && echo *.java)"
    "$JAVAC" -d "$classes" "$PROGRAMS/$c"/*.java
}

# wait_file_line FILE REGEX PID: wait until FILE has a line matching REGEX.
wait_file_line() {
    local deadline=$(( SECONDS + READY_TIMEOUT ))
    until grep -qE "$2" "$1" 2>/dev/null; do
        kill -0 "$3" 2>/dev/null || die "process $3 exited while waiting for /$2/ in $1"
        (( SECONDS < deadline )) || die "no /$2/ in $1 within ${READY_TIMEOUT}s"
        sleep 0.2
    done
}

# kill3_wait PID STDOUT N: kill -3 and wait until STDOUT holds N complete
# dumps (N "Full thread dump" and N " Metaspace" heap-summary lines) and has
# stopped growing.
kill3_wait() {
    local pid="$1" f="$2" n="$3" deadline prev=-1 size
    kill -3 "$pid"
    sleep 1
    deadline=$(( SECONDS + 60 ))
    while :; do
        size=$(stat -c %s "$f")
        if [[ "$(grep -c '^Full thread dump' "$f")" -eq "$n" ]] &&
           [[ "$(grep -c '^ Metaspace' "$f")" -eq "$n" ]] &&
           [[ "$size" -eq "$prev" ]]; then
            return 0
        fi
        (( SECONDS < deadline )) || die "kill -3 output incomplete after 60s"
        prev=$size
        sleep 0.5
    done
}

# Number of threads in jstack-style dump $1 whose name starts with $2 and
# whose java.lang.Thread.State line contains $3.
count_state() {
    awk -v p="\"$2" -v s="$3" '
        /^"/ { cur = (index($0, p) == 1) }
        /^   java.lang.Thread.State: / { if (cur && index($0, s)) n++; cur = 0 }
        END { print n + 0 }' "$1"
}

# now: seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# sleep_until T0 SECS: sleep until SECS seconds after the time T0 (from now).
sleep_until() {
    local left
    left=$(awk -v t0="$1" -v d="$2" -v n="$(now)" 'BEGIN { l = t0 + d - n; printf "%.3f", (l > 0 ? l : 0) }')
    sleep "$left"
}

# ---------------------------------------------------------------- the cases

capture_go_leak() {
    local c=go_leak stage="$1" step total prev=0
    build_go "$c"
    start_go_server "$c" "$c" "$stage/truth.txt"
    local pid="$SRV_PID" addr="$SRV_ADDR"
    wait_g "$addr" 8 select 'main.(*Pool).worker'
    for total in 10 60 110; do
        if (( prev > 0 )); then
            log "$c: waiting ${STEP_WAIT}s before the next step"
            sleep "$STEP_WAIT"
        fi
        log "$c: sending $(( total - prev )) requests to /work"
        for (( step = prev; step < total; step++ )); do
            "$CURL" -sS --max-time 10 -o /dev/null "http://$addr/work"
        done
        prev=$total
        wait_g "$addr" "$total" 'chan send' main.fetchQuote
        get "$addr" "/truth?label=leak.$total"
        pprof "$addr" 2 "$stage/leak.$total.debug2.txt"
        pprof "$addr" 1 "$stage/leak.$total.debug1.txt"
        [[ "$(count_g "$stage/leak.$total.debug2.txt" 'chan send' main.fetchQuote)" -eq "$total" ]] ||
            die "$c: leak.$total.debug2.txt does not show $total leaked senders"
        [[ "$(count_g "$stage/leak.$total.debug2.txt" select 'main.(*Pool).worker')" -eq 8 ]] ||
            die "$c: leak.$total.debug2.txt does not show the 8 pool workers"
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

capture_go_mutex_parked() {
    local c=go_mutex_parked stage="$1" t0 left
    build_go "$c"
    start_go_server "$c" "$c" "$stage/truth.txt"
    local pid="$SRV_PID" addr="$SRV_ADDR"
    t0=$SECONDS
    wait_g "$addr" 1 semacquire 'main.(*Bank).transfer'
    wait_g "$addr" 1 semacquire 'main.(*Bank).audit'
    get "$addr" "/truth?label=mutex.early.debug2"
    pprof "$addr" 2 "$stage/mutex.early.debug2.txt"
    left=$(( 65 - (SECONDS - t0) ))
    log "$c: waiting ${left}s for the late capture"
    sleep "$left"
    get "$addr" "/truth?label=mutex.late.debug2"
    pprof "$addr" 2 "$stage/mutex.late.debug2.txt"
    grep -q '^goroutine [0-9]* \[semacquire, 1 minutes\]:' "$stage/mutex.late.debug2.txt" ||
        die "$c: no ', 1 minutes' in mutex.late.debug2.txt"
    left=$(( 125 - (SECONDS - t0) ))
    log "$c: waiting ${left}s for the later captures"
    sleep "$left"
    get "$addr" "/truth?label=mutex.later.debug2"
    pprof "$addr" 2 "$stage/mutex.later.debug2.txt"
    grep -q '^goroutine [0-9]* \[semacquire, 2 minutes\]:' "$stage/mutex.later.debug2.txt" ||
        die "$c: no ', 2 minutes' in mutex.later.debug2.txt"
    get "$addr" "/truth?label=mutex.later.sigquit"
    sigquit "$pid" "$c" "$stage/mutex.later.sigquit.txt"
}

# start_java CASE CLASS TAG TRUTHFILE: run the compiled class, stdout to
# $WORK/TAG.stdout. Sets JVM_PID.
start_java() {
    local c="$1" cls="$2" tag="$3" truth="$4"
    "$JAVA" -Xmx128m -cp "$WORK/classes-$c" "$cls" "$truth" \
        >"$WORK/$tag.stdout" 2>"$WORK/$tag.stderr" &
    JVM_PID=$!
    PIDS+=("$JVM_PID")
    log "$tag: started $cls, pid $JVM_PID"
}

stop() {
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

capture_jvm_deadlock_twice() {
    local c=jvm_deadlock_twice stage="$1" f
    compile_java "$c"
    start_java "$c" DeadlockTwice "$c" "$stage/truth.txt"
    local pid="$JVM_PID"
    wait_file_line "$stage/truth.txt" '^[^ ]* ready:' "$pid"
    local t0
    t0=$(now)
    "$JSTACK" -l "$pid" >"$stage/jvm.t0.jstack-l.txt"
    log "$c: jvm.t0 taken; waiting until 20 s after it started"
    sleep_until "$t0" 20
    "$JSTACK" -l "$pid" >"$stage/jvm.t20.jstack-l.txt"
    for f in "$stage"/jvm.t0.jstack-l.txt "$stage"/jvm.t20.jstack-l.txt; do
        grep -q '^Found 2 deadlocks\.$' "$f" || die "$c: $f has no 'Found 2 deadlocks.'"
    done
    stop "$pid"
    [[ ! -s "$WORK/$c.stderr" ]] || { log "$c: JVM stderr:"; cat "$WORK/$c.stderr" >&2; }
}

capture_jvm_kill3_twice() {
    local c=jvm_kill3_twice stage="$1" out
    compile_java "$c"
    # 1: two kill -3 dumps 20 s apart in one stdout log.
    start_java "$c" Kill3Twice "$c" "$stage/truth.txt"
    local pid="$JVM_PID"
    out="$WORK/$c.stdout"
    # The pool grows at ticks 0, 10, 20, ... s; dump in the middle of an
    # interval (5 s after it reached 10 threads, then 20 s later).
    wait_file_line "$stage/truth.txt" ' pool ingest size=10 ' "$pid"
    sleep 5
    local t0
    t0=$(now)
    kill3_wait "$pid" "$out" 1
    log "$c: first kill -3 done; the second comes 20 s after the first"
    sleep_until "$t0" 20
    kill3_wait "$pid" "$out" 2
    # let the program's next log line follow the second dump
    wait_file_line "$out" 'ingest pool now 25 threads' "$pid"
    cp "$out" "$stage/kill3-twice.stdout.txt"
    stop "$pid"
    [[ "$(count_state "$stage/kill3-twice.stdout.txt" ingest- 'WAITING (parking)')" -eq 30 ]] ||
        die "$c: expected 10 + 20 parked ingest- threads over both dumps"
    [[ "$(grep -c '^Found one Java-level deadlock:' "$stage/kill3-twice.stdout.txt")" -eq 2 ]] ||
        die "$c: expected the deadlock section in both dumps"

    # 2: a second process, one kill -3, then jcmd GC.class_histogram. jcmd
    # prints the histogram on its own stdout, not the JVM's; the file is the
    # JVM's stdout up to that moment followed by jcmd's output. Both are
    # taken right after the pool's 10-thread log line, in the 5 s before the
    # next log line; if the JVM still logged while jcmd ran (a loaded
    # machine), the attempt is discarded and a new process is tried.
    local attempt before after ok=no
    for attempt in 1 2 3; do
        rm -f "$stage/kill3-then-histogram.truth.txt"
        start_java "$c" Kill3Twice "$c-histo" "$stage/kill3-then-histogram.truth.txt"
        pid="$JVM_PID"
        out="$WORK/$c-histo.stdout"
        wait_file_line "$stage/kill3-then-histogram.truth.txt" ' pool ingest size=10 ' "$pid"
        wait_file_line "$out" 'ingest pool now 10 threads' "$pid"
        kill3_wait "$pid" "$out" 1
        before=$(stat -c %s "$out")
        "$JCMD" "$pid" GC.class_histogram >"$WORK/$c-histo.jcmd"
        after=$(stat -c %s "$out")
        stop "$pid"
        if [[ "$before" -eq "$after" ]]; then
            ok=yes
            break
        fi
        log "$c: attempt $attempt: the JVM wrote to stdout while jcmd ran; retrying"
    done
    [[ $ok == yes ]] || die "$c: no quiet window for kill -3 + jcmd in 3 attempts"
    cat "$out" "$WORK/$c-histo.jcmd" >"$stage/kill3-then-histogram.stdout.txt"
}

capture_idle_pool_twice() {
    local c=idle_pool_twice stage="$1" f
    # JVM: 20 threads parked on the pool's queue, jstack -l twice, 10 s apart.
    compile_java "$c"
    start_java "$c" IdlePoolTwice "$c" "$stage/jvm.truth.txt"
    local pid="$JVM_PID"
    wait_file_line "$stage/jvm.truth.txt" ' pool threads=' "$pid"
    local t0
    t0=$(now)
    "$JSTACK" -l "$pid" >"$stage/jvm.t0.jstack-l.txt"
    sleep_until "$t0" 10
    "$JSTACK" -l "$pid" >"$stage/jvm.t10.jstack-l.txt"
    stop "$pid"
    for f in "$stage"/jvm.t0.jstack-l.txt "$stage"/jvm.t10.jstack-l.txt; do
        [[ "$(count_state "$f" resize-worker- 'WAITING (parking)')" -eq 20 ]] ||
            die "$c: $f does not show 20 parked resize-worker threads"
    done
    # Go: 50 goroutines in select, debug=2 and debug=1 twice, 10 s apart.
    build_go "$c"
    start_go_server "$c" "$c" "$stage/go.truth.txt"
    pid="$SRV_PID"
    local addr="$SRV_ADDR"
    wait_g "$addr" 50 select 'main.(*Resizer).worker'
    t0=$(now)
    get "$addr" "/truth?label=go.t0"
    pprof "$addr" 2 "$stage/go.t0.debug2.txt"
    pprof "$addr" 1 "$stage/go.t0.debug1.txt"
    sleep_until "$t0" 10
    get "$addr" "/truth?label=go.t10"
    pprof "$addr" 2 "$stage/go.t10.debug2.txt"
    pprof "$addr" 1 "$stage/go.t10.debug1.txt"
    for f in "$stage"/go.t0.debug2.txt "$stage"/go.t10.debug2.txt; do
        [[ "$(count_g "$f" select 'main.(*Resizer).worker')" -eq 50 ]] ||
            die "$c: $f does not show 50 idle workers"
    done
    stop "$pid"
}

capture_go_sigquit_in_log() {
    local c=go_sigquit_in_log stage="$1" rc=0 err="$WORK/go_sigquit_in_log.stderr"
    build_go "$c"
    "$BUILD_ROOT/$c/$c" -truth "$stage/truth.txt" >"$WORK/$c.stdout" 2>"$err" &
    local pid=$!
    PIDS+=("$pid")
    log "$c: pid $pid"
    wait_file_line "$stage/truth.txt" ' leaked_total=3$' "$pid"
    sleep 0.5
    kill -USR1 "$pid"
    wait_file_line "$err" 'SIGUSR1: goroutine dump done' "$pid"
    log "$c: SIGUSR1 dump written; waiting for 6 leaked goroutines"
    wait_file_line "$stage/truth.txt" ' leaked_total=6$' "$pid"
    sleep 0.5
    kill -QUIT "$pid"
    wait "$pid" || rc=$?
    [[ "$rc" -eq 2 ]] || log "$c: exit status after SIGQUIT was $rc (expected 2)"
    grep -q '^SIGQUIT: quit$' "$err" || die "$c: no SIGQUIT dump in stderr"
    cp "$err" "$stage/stack-then-sigquit.log"
}

capture_case() {
    local c="$1" stage="$WORK/out-$1" f
    mkdir -p "$stage"
    "capture_$c" "$stage"
    mkdir -p "$HERE/$c"
    for f in "$stage"/*.txt "$stage"/*.log; do
        [[ -e "$f" ]] || continue
        mv -f "$f" "$HERE/$c/"
        log "$c: $c/$(basename "$f") ($(wc -c <"$HERE/$c/$(basename "$f")") bytes)"
    done
}

cases=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        *) is_case "$1" || die "unknown case: $1 (known: ${ALL_CASES[*]})"
           cases+=("$1"); shift ;;
    esac
done
[[ ${#cases[@]} -gt 0 ]] || cases=("${ALL_CASES[@]}")

"$GO" version | sed 's/^/[capture] /' >&2
"$JAVA" -version 2>&1 | sed 's/^/[capture] /' >&2
for c in "${cases[@]}"; do
    capture_case "$c"
done
