#!/usr/bin/env bash
# Capture real Serviceability Agent thread dumps (jhsdb jstack) for dlanalyze tests.
#
# Usage: ./capture.sh [case ...]
#   cases: monitor_cycle reentrant_lock_cycle mixed_cycle two_cycles_same_name
#          rwlock_cycle lost_notify big_cycle_3000 mixed_mode
#   (no arguments = all cases)
#
# The programs are testdata/jvm/programs/*.java. For each case the program is compiled into a
# temporary directory and started in the background; `jstack -l` is polled until the expected
# state is reached (bounded wait). Then, from the same process:
#   <case>.jstack-l.txt          jstack -l PID  (HotSpot's own dump: the reference for the ids)
#   <case>.jhsdb.txt             jhsdb jstack --pid PID
#   <case>.jhsdb-locks.txt       jhsdb jstack --locks --pid PID
#   <case>.jhsdb-core.txt        gcore PID, then jhsdb jstack --locks --exe JAVA --core core.PID
#                                (run in the directory of the core, so the "Attaching to core"
#                                line names core.PID without a temporary path); the core
#                                (~2.5 GB) is deleted
# mixed_mode runs MonitorCycle and captures only <case>.jhsdb-mixed.txt, jhsdb jstack --mixed
# --pid PID (native frames by LWP, no lock lines).
# big_cycle_3000 keeps only its .jhsdb-core.txt and .jstack-l.txt (2.6 MB each).
# Wall-clock seconds of each jhsdb and gcore run are appended to timings.txt (the machine's load
# at the time shows in them: 2 CPUs shared with other builds).
# The JVM is killed afterwards; a trap kills any JVM left over on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGRAMS="$HERE/../jvm/programs"
OUT="$HERE"
JAVA="${JAVA:-$(readlink -f "$(command -v java)")}"
JDK_BIN="$(dirname "$JAVA")"
JAVAC="${JAVAC:-$JDK_BIN/javac}"
JSTACK="${JSTACK:-$JDK_BIN/jstack}"
JHSDB="${JHSDB:-$JDK_BIN/jhsdb}"
GCORE="${GCORE:-gcore}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"   # seconds to wait for the expected state

ALL_CASES=(monitor_cycle reentrant_lock_cycle mixed_cycle two_cycles_same_name
           rwlock_cycle lost_notify big_cycle_3000 mixed_mode)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dlanalyze-jvmsa.XXXXXX")"
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

main_class() {
    case "$1" in
        monitor_cycle|mixed_mode) echo MonitorCycle ;;
        reentrant_lock_cycle) echo ReentrantLockCycle ;;
        mixed_cycle)          echo MixedCycle ;;
        rwlock_cycle)         echo RwLockCycle ;;
        lost_notify)          echo LostNotify ;;
        big_cycle_3000)       echo BigCycle3000 ;;
        two_cycles_same_name) echo TwoCyclesSameName ;;
        *) return 1 ;;
    esac
}

jvm_opts() {
    case "$1" in
        big_cycle_3000) echo "-Xss256k -Xmx256m" ;;
        *)              echo "-Xmx128m" ;;
    esac
}

count_state() {  # dump-file thread-name-prefix state-text
    awk -v p="\"$2" -v s="$3" '
        /^"/ { cur = (index($0, p) == 1) }
        /^   java.lang.Thread.State: / { if (cur && index($0, s)) n++; cur = 0 }
        END { print n + 0 }' "$1"
}

is_ready() {
    local c="$1" f="$2"
    case "$c" in
        monitor_cycle|reentrant_lock_cycle|mixed_cycle|rwlock_cycle|mixed_mode)
            grep -q '^Found one Java-level deadlock:' "$f" ;;
        two_cycles_same_name)
            grep -q '^Found 2 deadlocks.' "$f" ;;
        lost_notify)
            [[ "$(count_state "$f" 'waiter"' 'WAITING (on object monitor)')" -eq 1 ]] ;;
        big_cycle_3000)
            grep -q '^Found one Java-level deadlock:' "$f" &&
            [[ "$(count_state "$f" blocked-behind- 'BLOCKED (on object monitor)')" -eq 5 ]] &&
            [[ "$(count_state "$f" sleeper- 'TIMED_WAITING (sleeping)')" -eq 1000 ]] &&
            [[ "$(count_state "$f" consumer- 'WAITING (parking)')" -eq 1000 ]] &&
            [[ "$(count_state "$f" poller- 'TIMED_WAITING (on object monitor)')" -eq 993 ]] ;;
        *) return 1 ;;
    esac
}

timed() {  # label command... : runs the command, appends its wall-clock seconds to timings
    local label="$1" start end
    shift
    start=$(date +%s.%N)
    "$@"
    end=$(date +%s.%N)
    printf '%s\t%.1f s\n' "$label" "$(echo "$end - $start" | bc)" >>"$WORK/timings"
}

capture_case() {
    local c="$1" cls opts pid deadline
    cls="$(main_class "$c")" || { log "unknown case: $c"; return 1; }
    opts="$(jvm_opts "$c")"
    local classes="$WORK/classes-$c" stage="$WORK/out-$c" cores="$WORK/cores-$c"
    mkdir -p "$classes" "$stage" "$cores"
    log "$c: compiling $cls.java"
    "$JAVAC" -d "$classes" "$PROGRAMS/$cls.java"
    # shellcheck disable=SC2086
    "$JAVA" $opts -cp "$classes" "$cls" >"$WORK/$c.stdout" 2>"$WORK/$c.stderr" &
    pid=$!
    PIDS+=("$pid")
    log "$c: started pid $pid, waiting for expected state (max ${READY_TIMEOUT}s)"
    deadline=$(( SECONDS + READY_TIMEOUT ))
    while :; do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$c: JVM exited early"; cat "$WORK/$c.stderr" >&2; return 1
        fi
        if "$JSTACK" -l "$pid" >"$WORK/$c.poll" 2>/dev/null && is_ready "$c" "$WORK/$c.poll"; then
            break
        fi
        if (( SECONDS >= deadline )); then
            log "$c: expected state not reached within ${READY_TIMEOUT}s"; return 1
        fi
        sleep 1
    done
    log "$c: ready; capturing"
    if [[ "$c" == mixed_mode ]]; then
        timed "$c jhsdb jstack --mixed --pid" \
            "$JHSDB" jstack --mixed --pid "$pid" >"$stage/$c.jhsdb-mixed.txt"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        mv -f "$stage"/*.txt "$OUT"/
        cat "$WORK/timings" >>"$OUT/timings.txt"
        : >"$WORK/timings"
        log "$c: done"
        return 0
    fi
    "$JSTACK" -l "$pid" >"$stage/$c.jstack-l.txt"
    timed "$c jhsdb jstack --pid" "$JHSDB" jstack --pid "$pid" >"$stage/$c.jhsdb.txt"
    timed "$c jhsdb jstack --locks --pid" \
        "$JHSDB" jstack --locks --pid "$pid" >"$stage/$c.jhsdb-locks.txt"
    timed "$c gcore" "$GCORE" -o "$cores/core" "$pid" >/dev/null
    log "$c: core of $(du -h "$cores/core.$pid" | cut -f1)"
    (cd "$cores" && timed "$c jhsdb jstack --locks --core" \
        "$JHSDB" jstack --locks --exe "$JAVA" --core "core.$pid" >"$stage/$c.jhsdb-core.txt")
    rm -f "$cores/core.$pid"

    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [[ "$c" == big_cycle_3000 ]]; then
        # 2.6 MB each: the core's dump and jstack's reference are enough for the tests.
        rm -f "$stage/$c.jhsdb.txt" "$stage/$c.jhsdb-locks.txt"
    fi
    mv -f "$stage"/*.txt "$OUT"/
    cat "$WORK/timings" >>"$OUT/timings.txt"
    : >"$WORK/timings"
    log "$c: done"
}

if [[ $# -gt 0 ]]; then
    cases=("$@")
else
    cases=("${ALL_CASES[@]}")
fi
for c in "${cases[@]}"; do
    main_class "$c" >/dev/null || { log "unknown case: $c (known: ${ALL_CASES[*]})"; exit 2; }
done
"$JAVA" -version 2>&1 | sed 's/^/[capture] /' >&2
for c in "${cases[@]}"; do
    capture_case "$c"
done
