#!/usr/bin/env bash
# Capture real HotSpot thread dumps for dlanalyze tests.
#
# Usage: ./capture.sh [case ...]
#   cases: monitor_cycle reentrant_lock_cycle mixed_cycle rwlock_cycle
#          idle_pool lost_notify big_cycle_3000 two_cycles_same_name
#   (no arguments = all cases)
#
# For each case the program in programs/ is compiled into a temporary
# directory, started in the background with stdout redirected to a file,
# polled with `jstack` until the expected state is reached (bounded wait),
# and then dumped three ways from the same process:
#   <case>.jstack-l.txt   jstack -l PID
#   <case>.jcmd.txt       jcmd PID Thread.print -l
#   <case>.kill3.txt      the JVM's stdout after kill -3 PID
# monitor_cycle additionally gets a plain `jstack PID` (monitor_cycle.jstack.txt).
# The JVM is killed afterwards; a trap kills any JVM left over on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGRAMS="$HERE/programs"
OUT="$HERE"
JAVA="${JAVA:-java}"
JAVAC="${JAVAC:-javac}"
JSTACK="${JSTACK:-jstack}"
JCMD="${JCMD:-jcmd}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"   # seconds to wait for the expected state

ALL_CASES=(monitor_cycle reentrant_lock_cycle mixed_cycle rwlock_cycle
           idle_pool lost_notify big_cycle_3000 two_cycles_same_name)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dlanalyze-jvm.XXXXXX")"
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

# case name -> Java main class
main_class() {
    case "$1" in
        monitor_cycle)        echo MonitorCycle ;;
        reentrant_lock_cycle) echo ReentrantLockCycle ;;
        mixed_cycle)          echo MixedCycle ;;
        rwlock_cycle)         echo RwLockCycle ;;
        idle_pool)            echo IdlePool ;;
        lost_notify)          echo LostNotify ;;
        big_cycle_3000)       echo BigCycle3000 ;;
        two_cycles_same_name) echo TwoCyclesSameName ;;
        *) return 1 ;;
    esac
}

# case name -> extra JVM options
jvm_opts() {
    case "$1" in
        big_cycle_3000) echo "-Xss256k -Xmx256m" ;;
        *)              echo "-Xmx128m" ;;
    esac
}

# Number of threads whose header line starts with "<prefix> and whose
# java.lang.Thread.State line contains <state text>.
count_state() {  # dump-file prefix state-text
    awk -v p="\"$2" -v s="$3" '
        /^"/ { cur = (index($0, p) == 1) }
        /^   java.lang.Thread.State: / { if (cur && index($0, s)) n++; cur = 0 }
        END { print n + 0 }' "$1"
}

# Succeeds when the dump in $2 shows the state expected for case $1.
is_ready() {
    local c="$1" f="$2"
    case "$c" in
        monitor_cycle|reentrant_lock_cycle|mixed_cycle|rwlock_cycle)
            grep -q '^Found one Java-level deadlock:' "$f" ;;
        two_cycles_same_name)
            grep -q '^Found 2 deadlocks.' "$f" ;;
        idle_pool)
            [[ "$(count_state "$f" pool-worker- 'WAITING (parking)')" -eq 200 ]] ;;
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

capture_case() {
    local c="$1" cls opts pid stdout_f poll_f deadline size prev
    cls="$(main_class "$c")" || { log "unknown case: $c"; return 1; }
    opts="$(jvm_opts "$c")"
    local classes="$WORK/classes-$c"
    mkdir -p "$classes"
    log "$c: compiling $cls.java"
    "$JAVAC" -d "$classes" "$PROGRAMS/$cls.java"

    stdout_f="$WORK/$c.stdout"
    poll_f="$WORK/$c.poll"
    # Dumps are written here first and moved into place only when the case
    # completed, so an interrupted run never leaves partial files behind.
    local stage="$WORK/out-$c"
    mkdir -p "$stage"
    # shellcheck disable=SC2086
    "$JAVA" $opts -cp "$classes" "$cls" >"$stdout_f" 2>"$WORK/$c.stderr" &
    pid=$!
    PIDS+=("$pid")
    log "$c: started pid $pid, waiting for expected state (max ${READY_TIMEOUT}s)"

    deadline=$(( SECONDS + READY_TIMEOUT ))
    while :; do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$c: JVM exited early"; cat "$WORK/$c.stderr" >&2; return 1
        fi
        if "$JSTACK" -l "$pid" >"$poll_f" 2>/dev/null && is_ready "$c" "$poll_f"; then
            break
        fi
        if (( SECONDS >= deadline )); then
            log "$c: expected state not reached within ${READY_TIMEOUT}s"; return 1
        fi
        sleep 1
    done
    log "$c: ready; capturing"

    "$JSTACK" -l "$pid" >"$stage/$c.jstack-l.txt"
    if [[ "$c" == monitor_cycle ]]; then
        "$JSTACK" "$pid" >"$stage/$c.jstack.txt"
    fi
    "$JCMD" "$pid" Thread.print -l >"$stage/$c.jcmd.txt"

    # kill -3: the VM prints the dump (and a heap summary) on its own stdout.
    kill -3 "$pid"
    sleep 1
    deadline=$(( SECONDS + 60 ))
    prev=-1
    while :; do
        size=$(stat -c %s "$stdout_f")
        if grep -q '^Full thread dump' "$stdout_f" &&
           grep -q '^ Metaspace' "$stdout_f" &&
           [[ "$size" -eq "$prev" ]]; then
            break
        fi
        if (( SECONDS >= deadline )); then
            log "$c: kill -3 output incomplete after 60s"; return 1
        fi
        prev=$size
        sleep 1
    done
    cp "$stdout_f" "$stage/$c.kill3.txt"

    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [[ -s "$WORK/$c.stderr" ]]; then
        log "$c: JVM stderr was not empty:"; cat "$WORK/$c.stderr" >&2
    fi
    mv -f "$stage"/*.txt "$OUT"/
    log "$c: done ($(wc -c <"$OUT/$c.jstack-l.txt") / $(wc -c <"$OUT/$c.jcmd.txt") / $(wc -c <"$OUT/$c.kill3.txt") bytes)"
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
