#!/usr/bin/env bash
# capture.sh -- build the programs in programs/, run each until it hangs, and
# capture real thread dumps of the hung process with gdb (and eu-stack).
#
#   ./capture.sh                 # every case
#   ./capture.sh mutex_cycle2 rwlock
#
# Every dump of one case comes from ONE process: gdb attaches, prints, detaches,
# and attaches again for the next symbol level, so thread numbers, LWPs and
# addresses agree across all files of a case (they change when you re-run).
#
# Files written per case (stdout+stderr together, as a terminal shows them):
#   <case>.gdb-full.txt        thread apply all bt, glibc debug info (libc6-dbg)
#   <case>.gdb-nodebug.txt     same, glibc debug file hidden
#                              (-iex 'set debug-file-directory /nonexistent')
#   <case>.gdb-stripped.txt    same, and gdb reads `strip --strip-all` copies of
#                              every shared library through `set sysroot`
#   <case>.gdb-stripped-exe.txt  as stripped, and the program itself stripped too
#   <case>.gdb-truth.txt       gdb `info threads` + `print` of the lock words
#                              (ground truth for the README / tests)
#   mutex_cycle2, big_1000 (+ cpp_* for -frame-arguments all):
#   <case>.gdb-btfull.txt      thread apply all bt full
#   <case>.gdb-frameargs-all.txt  thread apply all bt -frame-arguments all
#   <case>.eu-stack.txt        eu-stack -p PID   (elfutils)
#   mutex_cycle2, mutex_cycle3, cpp_mutex:
#   <case>.gdb-owners.txt      gdb -x cli/gdb_commands.gdb, what `dlanalyze gdb-commands` prints (full debug info)
#   <case>.gdb-owners-nodebug.txt  same with glibc debug hidden (futex fallback)
# gstack/pstack: no Debian 12 package ships one (gdb 13 has no gstack), so none.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGS="$HERE/programs"
BUILD="$HERE/build"
ALL_CASES=(mutex_cycle2 mutex_cycle3 self_deadlock rwlock join_cycle cond_nobody
           cpp_mutex cpp_shared_mutex idle_pool big_1000)

# ---------------------------------------------------------------- dependencies
install_deps() {
    local need=() p
    for p in gcc g++ gdb libc6-dbg elfutils binutils; do
        if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed'; then
            need+=("$p")
        fi
    done
    if ((${#need[@]} == 0)); then
        return 0
    fi
    echo "capture.sh: installing ${need[*]}" >&2
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"; then
        "${sudo[@]}" apt-get update
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"
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
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Wait for the program's "DEADLOCKED pid=" / "IDLE pid=" line, then until every
# thread of it sleeps (state S) in two checks in a row.
wait_hung() {
    local pid=$1 log=$2 i t state all_s stable=0
    for ((i = 0; i < 600; i++)); do
        if grep -qE '^(DEADLOCKED|IDLE) pid=' "$log"; then break; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "capture.sh: program exited early:" >&2; cat "$log" >&2; return 1
        fi
        sleep 0.1
    done
    grep -qE '^(DEADLOCKED|IDLE) pid=' "$log" || { echo "capture.sh: no hang marker" >&2; return 1; }
    for ((i = 0; i < 600; i++)); do
        all_s=1
        for t in /proc/"$pid"/task/*/stat; do
            state=$(sed -E 's/^.*\) (.).*$/\1/' "$t" 2>/dev/null || echo '?')
            if [[ "$state" != S ]]; then all_s=0; break; fi
        done
        if ((all_s)); then
            stable=$((stable + 1))
            if ((stable >= 2)); then return 0; fi
        else
            stable=0
        fi
        sleep 0.2
    done
    echo "capture.sh: threads of $pid never all went to sleep" >&2
    return 1
}

# ---------------------------------------------------------------- build
build() {
    mkdir -p "$BUILD"
    local c
    for c in "$@"; do
        # Compile from inside programs/ so the debug info names the file
        # relatively ("at mutex_cycle2.c:21"), not by this checkout's path.
        if [[ -f "$PROGS/$c.c" ]]; then
            (cd "$PROGS" && gcc -g -O0 -pthread -o "$BUILD/$c" "$c.c")
        else
            (cd "$PROGS" && g++ -std=c++17 -g -O0 -pthread -o "$BUILD/$c" "$c.cpp")
        fi
        strip --strip-all -o "$BUILD/$c.stripped" "$BUILD/$c"
    done
}

# A sysroot for gdb holding `strip --strip-all` copies of every shared object
# the process maps, at its mapped path, at that path without a leading /usr
# (the link map says /lib/x86_64-linux-gnu/libc.so.6 on merged-/usr Debian)
# and, for the dynamic loader, at /lib64/.  The executable is placed at its own
# path: as built ($2 = full) or stripped ($2 = stripped).
make_sysroot() {
    local pid=$1 exe_kind=$2 root=$3 exe f d
    rm -rf "$root"
    mkdir -p "$root"
    exe=$(readlink "/proc/$pid/exe")
    while read -r f; do
        [[ "$f" == "$exe" ]] && continue
        # the mapped file, plus the symlinks naming it in its directory (the
        # link map says libstdc++.so.6 where the maps say libstdc++.so.6.0.30)
        local names=("$f") l
        while IFS= read -r l; do
            [[ "$(readlink -f "$l")" == "$(readlink -f "$f")" ]] && names+=("$l")
        done < <(find "$(dirname "$f")" -maxdepth 1 -type l -name "$(basename "$f" | sed -E 's/\.so.*$//').so*")
        for l in "${names[@]}"; do
            for d in "$l" "${l#/usr}"; do
                mkdir -p "$root$(dirname "$d")"
                strip --strip-all -o "$root$d" "$f"
            done
        done
        case "$f" in
            */ld-linux-x86-64.so.2)
                mkdir -p "$root/lib64"
                strip --strip-all -o "$root/lib64/ld-linux-x86-64.so.2" "$f" ;;
        esac
    done < <(awk '$6 ~ /^\// && $6 ~ /\.so/ {print $6}' "/proc/$pid/maps" | sort -u)
    mkdir -p "$root$(dirname "$exe")"
    if [[ "$exe_kind" == stripped ]]; then
        cp "$exe.stripped" "$root$exe"
    else
        cp "$exe" "$root$exe"
    fi
}

GDB_BASE=(gdb -nx -batch -iex 'set debuginfod enabled off')
NODEBUG=(-iex 'set debug-file-directory /nonexistent')

run_gdb() { # run_gdb OUTFILE gdb-args...   (stdout+stderr, as a terminal shows)
    local out=$1; shift
    timeout 900 "$@" >"$out" 2>&1 || { echo "capture.sh: gdb failed for $out" >&2; return 1; }
}

truth_cmds() {
    case "$1" in
        mutex_cycle2|big_1000)
            echo 'print &m_alpha'; echo 'print &m_beta'
            echo 'print m_alpha.__data.__owner'; echo 'print m_beta.__data.__owner'
            echo 'print m_alpha'; echo 'print m_beta' ;;
        mutex_cycle3)
            echo 'print &m_alpha'; echo 'print &m_beta'; echo 'print &m_gamma'
            echo 'print m_alpha.__data.__owner'; echo 'print m_beta.__data.__owner'
            echo 'print m_gamma.__data.__owner' ;;
        self_deadlock)
            echo 'print &m_alpha'; echo 'print m_alpha.__data.__owner'; echo 'print m_alpha' ;;
        rwlock)
            echo 'print &rw_table'; echo 'print &m_index'
            echo 'print rw_table.__data.__cur_writer'; echo 'print m_index.__data.__owner'
            echo 'print rw_table'; echo 'print m_index' ;;
        join_cycle)
            echo 'print/x t_joiner_a'; echo 'print/x t_joiner_b'; echo 'print/x t_joiner_c'
            echo 'print ((struct pthread *) t_joiner_a)->tid'
            echo 'print ((struct pthread *) t_joiner_b)->tid'
            echo 'print ((struct pthread *) t_joiner_c)->tid'
            echo 'print &((struct pthread *) t_joiner_a)->tid'
            echo 'print &((struct pthread *) t_joiner_b)->tid'
            echo 'print &((struct pthread *) t_joiner_c)->tid'
            echo 'print ((struct pthread *) t_joiner_a)->joinid'
            echo 'print ((struct pthread *) t_joiner_b)->joinid'
            echo 'print ((struct pthread *) t_joiner_c)->joinid' ;;
        cond_nobody)
            echo 'print &c_ready'; echo 'print &m_alpha'; echo 'print m_alpha.__data.__owner'
            echo 'print c_ready'; echo 'print ready' ;;
        cpp_mutex)
            echo 'print &m_alpha'; echo 'print &m_beta'
            echo 'print m_alpha._M_mutex.__data.__owner'; echo 'print m_beta._M_mutex.__data.__owner'
            echo 'print m_alpha'; echo 'print m_beta' ;;
        cpp_shared_mutex)
            echo 'print &sm_table'; echo 'print &m_index'
            echo 'print sm_table._M_impl._M_rwlock.__data.__cur_writer'
            echo 'print m_index._M_mutex.__data.__owner'
            echo 'print sm_table'; echo 'print m_index' ;;
        idle_pool)
            echo 'print &q_mutex'; echo 'print &q_cond'; echo 'print q_mutex.__data.__owner'
            echo 'print q_idle'; echo 'print q_len'; echo 'print q_cond' ;;
    esac
}

capture_case() {
    local c=$1 log pid gargs=() cmd
    log="$BUILD/$c.log"
    echo "== $c" >&2
    "$BUILD/$c" >"$log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_hung "$pid" "$log"

    run_gdb "$HERE/$c.gdb-full.txt" "${GDB_BASE[@]}" -p "$pid" -ex 'thread apply all bt'
    run_gdb "$HERE/$c.gdb-nodebug.txt" "${GDB_BASE[@]}" "${NODEBUG[@]}" -p "$pid" -ex 'thread apply all bt'

    make_sysroot "$pid" full "$BUILD/sysroot-stripped"
    run_gdb "$HERE/$c.gdb-stripped.txt" "${GDB_BASE[@]}" "${NODEBUG[@]}" \
        -iex "set sysroot $BUILD/sysroot-stripped" -p "$pid" -ex 'thread apply all bt'
    make_sysroot "$pid" stripped "$BUILD/sysroot-stripped-exe"
    run_gdb "$HERE/$c.gdb-stripped-exe.txt" "${GDB_BASE[@]}" "${NODEBUG[@]}" \
        -iex "set sysroot $BUILD/sysroot-stripped-exe" -p "$pid" -ex 'thread apply all bt'

    gargs=(-ex 'info threads')
    while IFS= read -r cmd; do gargs+=(-ex "$cmd"); done < <(truth_cmds "$c")
    run_gdb "$HERE/$c.gdb-truth.txt" "${GDB_BASE[@]}" -p "$pid" "${gargs[@]}"

    case "$c" in
        mutex_cycle2|big_1000)
            run_gdb "$HERE/$c.gdb-btfull.txt" "${GDB_BASE[@]}" -p "$pid" -ex 'thread apply all bt full'
            run_gdb "$HERE/$c.gdb-frameargs-all.txt" "${GDB_BASE[@]}" -p "$pid" \
                -ex 'thread apply all bt -frame-arguments all'
            timeout 600 eu-stack -p "$pid" >"$HERE/$c.eu-stack.txt" 2>&1 || true ;;
        cpp_mutex|cpp_shared_mutex)
            run_gdb "$HERE/$c.gdb-frameargs-all.txt" "${GDB_BASE[@]}" -p "$pid" \
                -ex 'thread apply all bt -frame-arguments all' ;;
    esac
    case "$c" in
        mutex_cycle2|mutex_cycle3|cpp_mutex)
            run_gdb "$HERE/$c.gdb-owners.txt" "${GDB_BASE[@]}" -p "$pid" -x "$HERE/../../cli/gdb_commands.gdb"
            run_gdb "$HERE/$c.gdb-owners-nodebug.txt" "${GDB_BASE[@]}" "${NODEBUG[@]}" \
                -p "$pid" -x "$HERE/../../cli/gdb_commands.gdb" ;;
    esac

    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

main() {
    local cases=("$@") c
    if ((${#cases[@]} == 0)); then cases=("${ALL_CASES[@]}"); fi
    for c in "${cases[@]}"; do
        if [[ ! -f "$PROGS/$c.c" && ! -f "$PROGS/$c.cpp" ]]; then
            echo "capture.sh: unknown case $c (have: ${ALL_CASES[*]})" >&2
            exit 2
        fi
    done
    install_deps
    build "${cases[@]}"
    for c in "${cases[@]}"; do capture_case "$c"; done
    echo "capture.sh: done" >&2
}

main "$@"
