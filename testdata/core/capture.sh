#!/usr/bin/env bash
# capture.sh -- build the C/C++ deadlock programs of ../gdb/programs/, run each until it hangs and
# take ELF cores of the hung process two ways: gdb's `gcore` and the kernel's own core dump
# (`ulimit -c unlimited`, `kill -ABRT`). Before the cores, gdb attaches once and prints
# `thread apply all bt`, so the gdb text and both cores come from ONE process: same LWPs, same
# addresses. The ground truth (lock owners) is then read with gdb from the gcore itself.
#
#   ./capture.sh                  # every committed case, then README's numbers need a refresh
#   ./capture.sh mutex_cycle2 rwlock
#   ./capture.sh big_1000         # 1,000 threads, into $BIG_DIR (default /tmp/dlanalyze-core),
#                                 # not committed: the benchmark's input
#   ./capture.sh --truth [case ...]
#                                 # redo <case>.truth.txt from the gcore kept in build/
#   ./capture.sh --compare [DLANALYZE]
#                                 # whole-process time and peak RSS of dlanalyze, gdb and eu-stack
#                                 # on the 1,000-thread core (/usr/bin/time -v), in one run
#
# Files written per case, here (all xz -9e; the tests decompress them into a temporary directory
# and pass the executable explicitly):
#   <case>.exe.xz      the executable that ran (its build-id is in the cores)
#   <case>.gcore.xz    gcore of the hung process
#   <case>.kernel.xz   the kernel's core of the same process (SIGABRT)
#   <case>.gdb.txt     gdb -p PID -batch -ex 'thread apply all bt', taken before the cores
#   <case>.truth.txt   gdb -batch EXE <gcore>: info threads, the lock words, thread descriptors
#   mutex_cycle2.head.core  the first 16 KiB of mutex_cycle2's kernel core, uncompressed: the
#                      fuzzer's seed (headers and notes, no memory)
# Cases: the programs' names, plus
#   mutex_cycle2_O2    mutex_cycle2.c built with -O2 and run `strip --strip-all`ed; its unstripped
#                      twin is kept too (<case>.unstripped.xz: strip keeps the build-id, so gdb
#                      and dlanalyze -e accept it for the core; the truth is read through it)
#   truncated          mutex_cycle2 again (another process), its kernel core cut by a core size
#                      limit (`ulimit -c 96`; Linux 6.18 stopped at 749,568 of 1,138,688 bytes):
#                      <case>.kernel.xz, .exe.xz and .gdb.txt only
#
# Thread stacks are kept small (`ulimit -s 256` before the program starts: glibc takes the default
# thread stack size from RLIMIT_STACK), so the cores are ~1 MB and ~100 KB compressed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGS="$(cd "$HERE/../gdb/programs" && pwd)"
BUILD="$HERE/build"
BIG_DIR="${BIG_DIR:-/tmp/dlanalyze-core}"
COMMITTED=(mutex_cycle2 mutex_cycle3 self_deadlock rwlock join_cycle cpp_mutex cpp_shared_mutex
           idle_pool mutex_cycle2_O2 truncated)
GDB=(gdb -nx -batch -iex 'set debuginfod enabled off')

# ---------------------------------------------------------------- dependencies
install_deps() {
    local need=() p
    for p in gcc g++ gdb libc6-dbg elfutils binutils xz-utils time; do
        if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed'; then
            need+=("$p")
        fi
    done
    ((${#need[@]} == 0)) && return 0
    echo "capture.sh: installing ${need[*]}" >&2
    local sudo=()
    [[ "$(id -u)" != 0 ]] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
}

# ---------------------------------------------------------------- kernel core_pattern
# The kernel writes `core` (or core.PID) into the crashing process's working directory when
# core_pattern is a plain relative name. A pipe to a handler (systemd-coredump, apport) would
# swallow it: then, as root only, the pattern is set to core.%p for the run and restored after.
SAVED_PATTERN=""
KERNEL_CORES=1
setup_core_pattern() {
    local pattern
    pattern=$(cat /proc/sys/kernel/core_pattern)
    if [[ "$pattern" != *'|'* && "$pattern" != */* ]]; then
        return 0
    fi
    if [[ "$(id -u)" == 0 ]]; then
        SAVED_PATTERN="$pattern"
        sysctl -q -w kernel.core_pattern=core.%p
        echo "capture.sh: core_pattern was '$pattern'; core.%p for this run" >&2
    else
        echo "capture.sh: core_pattern is '$pattern' and we are not root: no kernel cores" >&2
        KERNEL_CORES=0
    fi
}
restore_core_pattern() {
    if [[ -n "$SAVED_PATTERN" ]]; then
        sysctl -q -w kernel.core_pattern="$SAVED_PATTERN"
        SAVED_PATTERN=""
    fi
}

# ---------------------------------------------------------------- process control
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill -KILL "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    restore_core_pattern
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Wait for the program's "DEADLOCKED pid=" / "IDLE pid=" line, then until every thread of it
# sleeps (state S) in two checks in a row.
wait_hung() {
    local pid=$1 log=$2 i t state all_s stable=0
    for ((i = 0; i < 600; i++)); do
        grep -qsE '^(DEADLOCKED|IDLE) pid=' "$log" && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "capture.sh: program exited early:" >&2; cat "$log" >&2; return 1
        fi
        sleep 0.1
    done
    grep -qsE '^(DEADLOCKED|IDLE) pid=' "$log" || { echo "capture.sh: no hang marker" >&2; return 1; }
    for ((i = 0; i < 600; i++)); do
        all_s=1
        for t in /proc/"$pid"/task/*/stat; do
            state=$(sed -E 's/^.*\) (.).*$/\1/' "$t" 2>/dev/null || echo '?')
            if [[ "$state" != S ]]; then all_s=0; break; fi
        done
        if ((all_s)); then
            stable=$((stable + 1))
            ((stable >= 2)) && return 0
        else
            stable=0
        fi
        sleep 0.2
    done
    echo "capture.sh: threads of $pid never all went to sleep" >&2
    return 1
}

# ---------------------------------------------------------------- build
program_of() { # case -> program source name
    case "$1" in
        mutex_cycle2_O2|truncated) echo mutex_cycle2 ;;
        *) echo "$1" ;;
    esac
}

build() { # build CASE -> $BUILD/CASE (what runs) [+ $BUILD/CASE.unstripped, the O2 twin]
    local c=$1 p flags=(-g -O0) src
    p=$(program_of "$c")
    [[ "$c" == mutex_cycle2_O2 ]] && flags=(-g -O2)
    mkdir -p "$BUILD"
    # Compile from inside programs/ so the debug info names the file relatively, as in ../gdb.
    if [[ -f "$PROGS/$p.c" ]]; then
        src="$p.c"
        (cd "$PROGS" && gcc "${flags[@]}" -pthread -o "$BUILD/$c" "$src")
    else
        src="$p.cpp"
        (cd "$PROGS" && g++ -std=c++17 "${flags[@]}" -pthread -o "$BUILD/$c" "$src")
    fi
    if [[ "$c" == mutex_cycle2_O2 ]]; then
        # Not "<name>.debug": debuggers would take that for its debug file (.gnu_debuglink's
        # default name) and the core would not show a stripped program.
        mv "$BUILD/$c" "$BUILD/$c.unstripped"
        strip --strip-all -o "$BUILD/$c" "$BUILD/$c.unstripped"
    fi
}

# ---------------------------------------------------------------- ground truth
# gdb commands printing the lock words (for people: `print`) and one machine-readable line per lock
# (`owner <symbol> <address> <LWP of the owner or writer>`, for tests/elf_core_test.cpp).
truth_cmds() {
    local m
    case "$(program_of "$1")" in
        mutex_cycle2|big_1000) for m in m_alpha m_beta; do mutex_truth "$m" "$m.__data"; done ;;
        mutex_cycle3) for m in m_alpha m_beta m_gamma; do mutex_truth "$m" "$m.__data"; done ;;
        self_deadlock) mutex_truth m_alpha m_alpha.__data ;;
        rwlock)
            rwlock_truth rw_table rw_table.__data
            mutex_truth m_index m_index.__data
            echo 'print rw_table.__data' ;;
        join_cycle)
            for m in a b c; do
                echo "print/x t_joiner_$m"
                echo "print ((struct pthread *) t_joiner_$m)->tid"
                echo "print &((struct pthread *) t_joiner_$m)->tid"
            done ;;
        cpp_mutex) for m in m_alpha m_beta; do mutex_truth "$m" "$m._M_mutex.__data"; done ;;
        cpp_shared_mutex)
            rwlock_truth sm_table sm_table._M_impl._M_rwlock.__data
            mutex_truth m_index m_index._M_mutex.__data ;;
        idle_pool)
            mutex_truth q_mutex q_mutex.__data
            echo 'print &q_cond'; echo 'print q_idle' ;;
    esac
}
mutex_truth() { # symbol, expression of its struct __pthread_mutex_s
    echo "print &$1"; echo "print $2.__owner"
    echo "printf \"owner $1 %p %d\\n\", &$1, $2.__owner"
}
rwlock_truth() { # symbol, expression of its struct __pthread_rwlock_arch_t
    echo "print &$1"; echo "print $2.__cur_writer"
    echo "printf \"owner $1 %p %d\\n\", &$1, $2.__cur_writer"
}

# <case>.truth.txt from the gcore, offline (the O2 case reads symbols from its unstripped twin):
# info threads, the lock words, and every thread's syscall number, first argument and thread
# pointer. `./capture.sh --truth [case ...]` redoes it from the cores kept in build/.
write_truth() {
    local c=$1 out=$2 sym="$BUILD/$1" gargs=(-ex 'info threads') cmd
    [[ "$c" == mutex_cycle2_O2 ]] && sym="$BUILD/$c.unstripped"
    while IFS= read -r cmd; do gargs+=(-ex "$cmd"); done < <(truth_cmds "$c")
    gargs+=(-ex 'thread apply all printf "orig_rax %d rdi 0x%lx fs_base 0x%lx\n", $orig_rax, $rdi, $fs_base')
    timeout 900 "${GDB[@]}" "$sym" "$BUILD/$c.gcore" "${gargs[@]}" >"$out/$c.truth.txt" 2>&1 || true
}

# The kernel's core of PID, which must have been started in DIR: sends SIGABRT and waits.
kernel_core() {
    local pid=$1 dir=$2 out=$3 f
    kill -ABRT "$pid"
    wait "$pid" 2>/dev/null || true
    for f in "$dir/core.$pid" "$dir/core"; do
        if [[ -f "$f" ]]; then mv "$f" "$out"; return 0; fi
    done
    echo "capture.sh: no kernel core for $pid in $dir (core_pattern: $(cat /proc/sys/kernel/core_pattern))" >&2
    return 1
}

xz_into() { # xz_into SRC DEST.xz
    xz -9e -T1 -c "$1" >"$2"
}

capture_case() {
    local c=$1 dir="$BUILD/run-$c" pid exe="$BUILD/$c" sym gargs cmd
    echo "== $c" >&2
    build "$c"
    if [[ "$c" == truncated ]]; then
        # ulimit -c for the program only (KiB): the kernel stops writing at the limit.
        rm -rf "$dir"; mkdir -p "$dir"
        (cd "$dir" && ulimit -s 256 && ulimit -c 96 && exec "$exe" >"$dir/log" 2>&1) &
        pid=$!; PIDS+=("$pid")
        wait_hung "$pid" "$dir/log"
        timeout 300 "${GDB[@]}" -p "$pid" -ex 'thread apply all bt' >"$HERE/$c.gdb.txt" 2>&1
        kernel_core "$pid" "$dir" "$BUILD/$c.kernel"
        xz_into "$BUILD/$c.kernel" "$HERE/$c.kernel.xz"
        xz_into "$exe" "$HERE/$c.exe.xz"
        return 0
    fi
    rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && ulimit -s 256 && ulimit -c unlimited && exec "$exe" >"$dir/log" 2>&1) &
    pid=$!; PIDS+=("$pid")
    wait_hung "$pid" "$dir/log"

    local out="$HERE"
    [[ "$c" == big_1000 ]] && { out="$BIG_DIR"; mkdir -p "$out"; }
    timeout 900 "${GDB[@]}" -p "$pid" -ex 'thread apply all bt' >"$out/$c.gdb.txt" 2>&1
    rm -f "$BUILD/$c.gcore".*
    timeout 900 gcore -o "$BUILD/$c.gcore" "$pid" >/dev/null 2>&1
    mv "$BUILD/$c.gcore.$pid" "$BUILD/$c.gcore"
    if ((KERNEL_CORES)); then
        kernel_core "$pid" "$dir" "$BUILD/$c.kernel"
    else
        kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
    fi

    write_truth "$c" "$out"

    if [[ "$c" == big_1000 ]]; then
        cp "$exe" "$out/$c"
        mv "$BUILD/$c.gcore" "$out/$c.gcore"
        ((KERNEL_CORES)) && mv "$BUILD/$c.kernel" "$out/$c.kernel"
        echo "capture.sh: $out/$c, $c.gcore, $c.kernel, $c.gdb.txt, $c.truth.txt" >&2
        return 0
    fi
    xz_into "$exe" "$HERE/$c.exe.xz"
    [[ "$c" == mutex_cycle2_O2 ]] && xz_into "$BUILD/$c.unstripped" "$HERE/$c.unstripped.xz"
    xz_into "$BUILD/$c.gcore" "$HERE/$c.gcore.xz"
    ((KERNEL_CORES)) && xz_into "$BUILD/$c.kernel" "$HERE/$c.kernel.xz"
    # The fuzzer's seed (its -max_len is 64 KiB): the first 16 KiB of a real core, which holds the
    # ELF header, the program headers and every note, but no memory.
    if [[ "$c" == mutex_cycle2 && -f "$BUILD/$c.kernel" ]]; then
        head -c 16384 "$BUILD/$c.kernel" >"$HERE/$c.head.core"
    fi
    return 0
}

# ---------------------------------------------------------------- benchmark comparison
# One line per tool: wall seconds and peak RSS (KiB) from /usr/bin/time -v, whole process, same
# core, same run. Output goes to /dev/null; each tool runs 3 times, the best time is kept.
compare() {
    local dla=${1:-"$HERE/../../build-core/dlanalyze"} core="$BIG_DIR/big_1000.kernel"
    local exe="$BIG_DIR/big_1000"
    [[ -f "$core" ]] || core="$BIG_DIR/big_1000.gcore"
    [[ -f "$core" ]] || { echo "capture.sh: run ./capture.sh big_1000 first" >&2; exit 2; }
    echo "core: $core ($(du -h "$core" | cut -f1)), $(grep -c '^Thread ' "$BIG_DIR/big_1000.gdb.txt") threads"
    # (dlanalyze finds the executable at the path the core records; -e/--exe is not needed here.)
    run_timed "dlanalyze" "$dla" "$core"
    run_timed "gdb" "${GDB[@]}" -ex 'thread apply all bt' "$exe" "$core"
    run_timed "eu-stack" eu-stack --core "$core" -e "$exe"
}
run_timed() {
    local name=$1 i best="" rss="" t r
    shift
    for i in 1 2 3; do
        /usr/bin/time -v "$@" >/dev/null 2>"$BUILD/time.txt" || true
        t=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$BUILD/time.txt" |
            awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
        r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$BUILD/time.txt")
        if [[ -z "$best" ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$t; rss=$r
        fi
    done
    printf '%-10s %8.2f s  %8d KiB peak RSS\n' "$name" "$best" "$rss"
}

main() {
    mkdir -p "$BUILD"
    if [[ "${1:-}" == --compare ]]; then
        shift
        compare "$@"
        return 0
    fi
    if [[ "${1:-}" == --truth ]]; then
        shift
        local t
        for t in "${@:-${COMMITTED[@]}}"; do
            [[ "$t" == truncated ]] || write_truth "$t" "$HERE"
        done
        return 0
    fi
    local cases=("$@") c
    ((${#cases[@]} == 0)) && cases=("${COMMITTED[@]}")
    for c in "${cases[@]}"; do
        local p
        p=$(program_of "$c")
        if [[ ! -f "$PROGS/$p.c" && ! -f "$PROGS/$p.cpp" ]]; then
            echo "capture.sh: unknown case $c (have: ${COMMITTED[*]} big_1000)" >&2
            exit 2
        fi
    done
    install_deps
    setup_core_pattern
    for c in "${cases[@]}"; do capture_case "$c"; done
    restore_core_pattern
    echo "capture.sh: done" >&2
}

main "$@"
