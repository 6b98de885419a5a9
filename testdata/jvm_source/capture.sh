#!/usr/bin/env bash
# Capture real HotSpot thread dumps of Java deadlocks that HotSpot's own
# deadlock detector does not report (read locks, semaphores, latches and
# conditions behind a cycle, lock upgrade), with the programs' sources, so
# dlanalyze can be tested on what the source code adds.
#
# Usage: ./capture.sh [case ...]
#   cases: read_lock_monitor_cycle read_write_upgrade latch_behind_cycle
#          rw_no_deadlock lock_in_field nested_and_lambda semaphore_cycle
#          static_config_cycle anonymous_depot_cycle release_before_write
#          latch_live_signaller wrapper_wait_cycle
#   (no arguments = all cases, about 1 minute)
#
# Every case is a program under programs/<case>/ in a Maven-like layout
# (src/main/java/com/example/<case>/*.java; lock_in_field has two modules,
# each with its own src/main/java). All .java files of a case are compiled
# together with javac into a temp dir and com.example.<case>.Main is run as
#     java -Xmx128m -cp CLASSES com.example.<case>.Main <case>.truth.txt
# with stdout to a file. The program writes its ground truth (threads, locks,
# modes, lines) to <case>.truth.txt and, once its threads are parked, a
# "ready" line. The script then checks the expected thread states with
# `jstack -l` (bounded by READY_TIMEOUT, default 60 s) and captures, from the
# same process:
#   <case>.jstack-l.txt   jstack -l PID
#   <case>.jcmd.txt       jcmd PID Thread.print -l
#   <case>.kill3.txt      the JVM's stdout after kill -3 PID (the programs
#                         print nothing, so it is exactly the VM's output)
# Files are staged and moved into place only when the case completed; a trap
# kills every JVM started here.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGRAMS="$HERE/programs"
OUT="$HERE"
JAVA="${JAVA:-java}"
JAVAC="${JAVAC:-javac}"
JSTACK="${JSTACK:-jstack}"
JCMD="${JCMD:-jcmd}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"

ALL_CASES=(read_lock_monitor_cycle read_write_upgrade latch_behind_cycle
           rw_no_deadlock lock_in_field nested_and_lambda semaphore_cycle
           static_config_cycle anonymous_depot_cycle release_before_write
           latch_live_signaller wrapper_wait_cycle)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dlanalyze-jvm-source.XXXXXX")"
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

# state DUMP NAME: the java.lang.Thread.State text of the thread named NAME.
state() {
    awk -v p="\"$2\" " '
        /^"/ { cur = (index($0, p) == 1) }
        cur && /^   java.lang.Thread.State: / { sub(/^   java.lang.Thread.State: /, ""); print; exit }' "$1"
}

# expect DUMP NAME STATE...: succeeds if thread NAME is in state STATE.
expect() { [[ "$(state "$1" "$2")" == "$3" ]]; }

B='BLOCKED (on object monitor)'
P='WAITING (parking)'
S='TIMED_WAITING (sleeping)'

# is_ready CASE DUMP: the dump shows the state the case is about.
is_ready() {
    local c="$1" f="$2" deadlock=no
    grep -q '^Found one Java-level deadlock:' "$f" && deadlock=yes
    case "$c" in
        read_lock_monitor_cycle)
            expect "$f" price-reader "$B" && expect "$f" registry-updater "$P" &&
            [[ $deadlock == no ]] ;;
        read_write_upgrade)
            expect "$f" restocker "$P" && expect "$f" stock-report "$P" &&
            [[ $deadlock == no ]] ;;
        latch_behind_cycle)
            expect "$f" order-sync "$B" && expect "$f" stock-sync "$B" &&
            expect "$f" report-waiter "$P" && expect "$f" shipping-waiter "$P" &&
            [[ $deadlock == yes ]] ;;
        rw_no_deadlock)
            expect "$f" price-reader "$S" && expect "$f" registry-updater "$P" &&
            expect "$f" registry-lister "$B" && [[ $deadlock == no ]] ;;
        lock_in_field)
            expect "$f" catalog-reader "$P" && expect "$f" price-writer "$P" &&
            [[ $deadlock == no ]] ;;
        nested_and_lambda)
            expect "$f" inner-reader "$P" && expect "$f" lambda-locker "$P" &&
            [[ $deadlock == no ]] ;;
        semaphore_cycle)
            expect "$f" exporter "$B" && expect "$f" indexer "$P" &&
            [[ $deadlock == no ]] ;;
        static_config_cycle)
            expect "$f" config-reader "$B" && expect "$f" ledger-writer "$P" &&
            [[ $deadlock == no ]] ;;
        anonymous_depot_cycle)
            expect "$f" counter "$P" && expect "$f" loader "$P" &&
            [[ $deadlock == no ]] ;;
        release_before_write)
            expect "$f" browser "$S" && expect "$f" restocker "$P" &&
            expect "$f" counter "$B" && [[ $deadlock == no ]] ;;
        wrapper_wait_cycle)
            expect "$f" mail-waiter 'WAITING (on object monitor)' &&
            expect "$f" auditor "$B" && expect "$f" poster "$P" &&
            [[ $deadlock == no ]] ;;
        latch_live_signaller)
            expect "$f" west "$B" && expect "$f" east "$B" &&
            expect "$f" watcher "$P" && expect "$f" opener "$S" &&
            [[ $deadlock == yes ]] ;;
        *) return 1 ;;
    esac
}

capture_case() {
    local c="$1" pid stdout_f poll_f deadline size prev
    local classes="$WORK/classes-$c" stage="$WORK/out-$c"
    mkdir -p "$classes" "$stage"
    local sources=()
    mapfile -t sources < <(cd "$PROGRAMS/$c" && find . -name '*.java' | sort)
    log "$c: compiling ${#sources[@]} files"
    (cd "$PROGRAMS/$c" && "$JAVAC" -d "$classes" "${sources[@]}")

    stdout_f="$WORK/$c.stdout"
    poll_f="$WORK/$c.poll"
    "$JAVA" -Xmx128m -cp "$classes" "com.example.$c.Main" "$stage/$c.truth.txt" \
        >"$stdout_f" 2>"$WORK/$c.stderr" &
    pid=$!
    PIDS+=("$pid")
    log "$c: started pid $pid"

    deadline=$(( SECONDS + READY_TIMEOUT ))
    until grep -q ' ready:' "$stage/$c.truth.txt" 2>/dev/null &&
          "$JSTACK" -l "$pid" >"$poll_f" 2>/dev/null && is_ready "$c" "$poll_f"; do
        kill -0 "$pid" 2>/dev/null || { cat "$WORK/$c.stderr" >&2; die "$c: JVM exited early"; }
        (( SECONDS < deadline )) || die "$c: expected state not reached within ${READY_TIMEOUT}s"
        sleep 0.5
    done
    log "$c: ready; capturing"

    "$JSTACK" -l "$pid" >"$stage/$c.jstack-l.txt"
    "$JCMD" "$pid" Thread.print -l >"$stage/$c.jcmd.txt"
    kill -3 "$pid"
    sleep 1
    deadline=$(( SECONDS + 60 ))
    prev=-1
    while :; do
        size=$(stat -c %s "$stdout_f")
        if grep -q '^Full thread dump' "$stdout_f" && grep -q '^ Metaspace' "$stdout_f" &&
           [[ "$size" -eq "$prev" ]]; then
            break
        fi
        (( SECONDS < deadline )) || die "$c: kill -3 output incomplete after 60s"
        prev=$size
        sleep 0.5
    done
    cp "$stdout_f" "$stage/$c.kill3.txt"
    local f
    for f in "$stage/$c.jstack-l.txt" "$stage/$c.jcmd.txt" "$stage/$c.kill3.txt"; do
        is_ready "$c" "$f" || die "$c: $(basename "$f") does not show the expected state"
    done

    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [[ -s "$WORK/$c.stderr" ]]; then
        log "$c: JVM stderr was not empty:"; cat "$WORK/$c.stderr" >&2
    fi
    mv -f "$stage"/*.txt "$OUT"/
    log "$c: done ($(wc -c <"$OUT/$c.jstack-l.txt") / $(wc -c <"$OUT/$c.jcmd.txt") / $(wc -c <"$OUT/$c.kill3.txt") bytes)"
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
"$JAVA" -version 2>&1 | sed 's/^/[capture] /' >&2
for c in "${cases[@]}"; do
    capture_case "$c"
done
