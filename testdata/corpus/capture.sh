#!/usr/bin/env bash
# capture.sh -- build every corpus program at a fixed path, run it until its
# goroutines/threads are blocked, capture real dumps of that one process and
# write its own ground truth next to them.
#
#   ./capture.sh                # every program in programs/
#   ./capture.sh go_move_reversed c_log_then_db
#
# Go is built with CGO_ENABLED=0: a cgo runtime (net imports cgo by default)
# never declares "all goroutines are asleep", and the fatal runs need that.
# Each program is copied to $ROOT/<name>/ (default /tmp/dlanalyze-corpus) and
# built there, so Go tracebacks and DWARF name /tmp/dlanalyze-corpus/<name>/...
# (map it back with --source-root /tmp/dlanalyze-corpus=<this dir>/programs).
# The program prints TRUTH lines and, once every task announced its wait and
# half a second passed, READY. Files written to captures/<name>/:
#   Go:    debug2.txt   curl /debug/pprof/goroutine?debug=2 (net/http/pprof on
#                       127.0.0.1:0, address written to $DLA_ADDR_FILE)
#          sigquit.txt  stderr after kill -QUIT (default GOTRACEBACK), same process
#          truth.json   from that process's TRUTH lines
#          fatal.txt, fatal.truth.json  (programs in FATAL below) a second run
#                       without the listener, dying of "all goroutines are asleep"
#   C/C++: gdb-full.txt     gdb -p PID 'thread apply all bt' (libc6-dbg in use)
#          gdb-nodebug.txt  same, glibc debug info hidden
#          gdb-owners.txt   gdb `print` of every lock's owner word from memory
#          core.xz, exe.xz  gcore of the same process, and its executable
#          truth.json
# Every file of one capture comes from one process: ids and addresses agree.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROGS="$HERE/programs"
CAPS="$HERE/captures"
ROOT="${ROOT:-/tmp/dlanalyze-corpus}"
GDB=(gdb -nx -batch -iex 'set debuginfod enabled off')
# Go programs whose goroutines all block: also captured dying of Go's own detector.
FATAL=(go_move_reversed go_rlock_recursive_writer go_self_relock_helper
       go_chan_send_no_receiver go_range_never_closed go_cycle3_pipeline)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dlanalyze-corpus-capture.XXXXXX")"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]:-}"; do
        [[ -n "$p" ]] || continue
        kill -KILL "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[corpus] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

lang_of() {
    local n=$1
    if [[ -f "$PROGS/$n/main.go" ]]; then echo go
    elif [[ -f "$PROGS/$n/$n.c" ]]; then echo c
    elif [[ -f "$PROGS/$n/$n.cpp" ]]; then echo cpp
    else return 1; fi
}
src_of() {
    case "$(lang_of "$1")" in go) echo main.go ;; c) echo "$1.c" ;; cpp) echo "$1.cpp" ;; esac
}

build() {
    local n=$1 lang=$2 dir="$ROOT/$1"
    rm -rf "$dir"; mkdir -p "$dir"
    cp -L "$PROGS/$n"/* "$dir/"
    case "$lang" in
        go)
            [[ -f "$dir/go.mod" ]] || printf 'module corpus/%s\n' "$n" >"$dir/go.mod"
            (cd "$dir" && CGO_ENABLED=0 GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOWORK=off \
                go build -o "$dir/$n" .) ;;
        c)   gcc -g -O0 -pthread -o "$dir/$n" "$dir/$n.c" ;;
        cpp) g++ -std=c++17 -g -O0 -pthread -o "$dir/$n" "$dir/$n.cpp" ;;
    esac
}

# wait_line FILE PID: until the program printed READY (or died).
wait_ready_line() {
    local f=$1 pid=$2 i
    for ((i = 0; i < 300; i++)); do
        grep -q '^READY$' "$f" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$f" >&2; die "process $pid exited early"; }
        sleep 0.1
    done
    die "no READY from $pid in 30 s"
}

# The tasks the truth says are blocked (waits, stuck, not stuck, behind).
blocked_tasks() {
    awk '/^TRUTH (wait|stuck|notstuck|behind) / {
            for (i = 3; i <= NF; i++) if ($i ~ /^task=/) { sub(/^task=/, "", $i); print $i }
         }' "$1" | sort -u
}

# go_blocked DUMP STDOUT: every announced task shows in DUMP in a waiting state.
go_blocked() {
    local dump=$1 out=$2 g st
    for g in $(blocked_tasks "$out"); do
        st=$(awk -v g="$g" '$1 == "goroutine" && $2 == g { s = $0; sub(/^[^[]*\[/, "", s); sub(/[],].*$/, "", s); print s }' "$dump")
        case "$st" in ""|running|runnable|syscall) return 1 ;; esac
    done
    return 0
}

capture_go() {
    local n=$1 out="$CAPS/$1" exe="$ROOT/$1/$1" addr pid rc i
    rm -rf "$out"; mkdir -p "$out"
    DLA_ADDR_FILE="$WORK/$n.addr" "$exe" >"$WORK/$n.out" 2>"$WORK/$n.err" &
    pid=$!; PIDS+=("$pid")
    wait_ready_line "$WORK/$n.out" "$pid"
    addr=$(head -n1 "$WORK/$n.addr")
    for ((i = 0; ; i++)); do
        curl -sS --fail --max-time 60 -o "$WORK/$n.poll" "http://$addr/debug/pprof/goroutine?debug=2"
        go_blocked "$WORK/$n.poll" "$WORK/$n.out" && break
        ((i < 60)) || die "$n: announced goroutines not blocked after 30 s"
        sleep 0.5
    done
    sleep 1
    curl -sS --fail --max-time 60 -o "$out/debug2.txt" "http://$addr/debug/pprof/goroutine?debug=2"
    go_blocked "$out/debug2.txt" "$WORK/$n.out" || die "$n: a task woke up before debug2"
    kill -QUIT "$pid"
    rc=0; wait "$pid" || rc=$?
    [[ $rc -eq 2 ]] || log "$n: exit status $rc after SIGQUIT (expected 2)"
    head -n1 "$WORK/$n.err" | grep -q '^SIGQUIT: quit$' || die "$n: no SIGQUIT traceback"
    cp "$WORK/$n.err" "$out/sigquit.txt"
    python3 "$HERE/truth2json.py" "$n" go "$WORK/$n.out" "$PROGS/$n/main.go" "$out/truth.json"
    python3 "$HERE/truth2json.py" --stacks "$out/truth.json" "$out/debug2.txt" >&2 || die "$n: debug2 disagrees with the truth"
    python3 "$HERE/truth2json.py" --stacks "$out/truth.json" "$out/sigquit.txt" >&2 || die "$n: sigquit disagrees with the truth"

    local f
    for f in "${FATAL[@]}"; do
        [[ "$f" == "$n" ]] || continue
        rc=0
        timeout 60 "$exe" >"$WORK/$n.fatal.out" 2>"$out/fatal.txt" || rc=$?
        [[ $rc -eq 2 ]] || die "$n: fatal run exit status $rc (expected 2)"
        head -n1 "$out/fatal.txt" | grep -q '^fatal error: all goroutines are asleep - deadlock!$' ||
            die "$n: fatal run did not die of the deadlock detector"
        python3 "$HERE/truth2json.py" "$n" go "$WORK/$n.fatal.out" "$PROGS/$n/main.go" "$out/fatal.truth.json"
        python3 "$HERE/truth2json.py" --stacks "$out/fatal.truth.json" "$out/fatal.txt" >&2 ||
            die "$n: fatal.txt disagrees with the truth"
    done
}

# All threads of PID asleep (state S) in two checks in a row.
wait_threads_asleep() {
    local pid=$1 i t st all stable=0
    for ((i = 0; i < 300; i++)); do
        all=1
        for t in /proc/"$pid"/task/*/stat; do
            st=$(sed -E 's/^.*\) (.).*$/\1/' "$t" 2>/dev/null || echo '?')
            [[ "$st" == S ]] || { all=0; break; }
        done
        if ((all)); then stable=$((stable + 1)); ((stable >= 2)) && return 0; else stable=0; fi
        sleep 0.2
    done
    die "threads of $pid never all went to sleep"
}

# gdb commands printing every named lock's owner word from memory.
owner_cmds() {
    awk '/^TRUTH lock / {
            addr = ""; kind = ""; name = ""
            for (i = 3; i <= NF; i++) {
                if ($i ~ /^addr=/) addr = substr($i, 6)
                else if ($i ~ /^kind=/) kind = substr($i, 6)
                else if ($i ~ /^name=/) name = substr($i, 6)
            }
            printf "echo lock %s %s %s\\n\n", addr, name, kind
            if (kind == "rwlock") {
                printf "print ((pthread_rwlock_t*)%s)->__data.__cur_writer\n", addr
                printf "print ((pthread_rwlock_t*)%s)->__data.__readers\n", addr
            } else {
                printf "print ((pthread_mutex_t*)%s)->__data.__owner\n", addr
            }
         }' "$1"
}

capture_c() {
    local n=$1 lang=$2 out="$CAPS/$1" dir="$ROOT/$1" pid sz
    rm -rf "$out"; mkdir -p "$out"
    (cd "$dir" && ulimit -s 256 && exec "./$n") >"$WORK/$n.out" 2>"$WORK/$n.err" &
    pid=$!; PIDS+=("$pid")
    wait_ready_line "$WORK/$n.out" "$pid"
    wait_threads_asleep "$pid"
    sleep 1
    timeout 300 "${GDB[@]}" -p "$pid" -ex 'thread apply all bt' >"$out/gdb-full.txt" 2>&1
    timeout 300 "${GDB[@]}" -iex 'set debug-file-directory /nonexistent' -p "$pid" \
        -ex 'thread apply all bt' >"$out/gdb-nodebug.txt" 2>&1
    owner_cmds "$WORK/$n.out" >"$WORK/$n.gdbcmds"
    timeout 300 "${GDB[@]}" -p "$pid" -ex 'info threads' -x "$WORK/$n.gdbcmds" \
        >"$out/gdb-owners.txt" 2>&1
    rm -f "$WORK/core".*
    timeout 300 gcore -o "$WORK/core" "$pid" >/dev/null 2>&1
    kill -0 "$pid" 2>/dev/null || die "$n: process gone before the end of the capture"
    kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
    xz -9e -T1 -c "$WORK/core.$pid" >"$out/core.xz"
    xz -9e -T1 -c "$dir/$n" >"$out/exe.xz"
    python3 "$HERE/truth2json.py" "$n" "$lang" "$WORK/$n.out" "$PROGS/$n/$(src_of "$n")" "$out/truth.json"
    python3 "$HERE/truth2json.py" --owners "$out/truth.json" "$out/gdb-owners.txt" >&2 ||
        die "$n: gdb's owners disagree with the truth"
    python3 "$HERE/truth2json.py" --stacks "$out/truth.json" "$out/gdb-full.txt" >&2 ||
        die "$n: gdb's stacks disagree with the truth"
    sz=$(stat -c %s "$out/core.xz")
    log "$n: core.xz $sz bytes"
}

# captures/INDEX.tsv: one row per capture file.
write_index() {
    local d n f truth lang dl
    {
        printf 'program\tcapture\ttruth\tlanguage\tdeadlock\n'
        for d in "$CAPS"/*/; do
            n=$(basename "$d")
            for f in debug2.txt sigquit.txt fatal.txt gdb-full.txt gdb-nodebug.txt core.xz; do
                [[ -f "$d/$f" ]] || continue
                truth=truth.json; [[ "$f" == fatal.txt ]] && truth=fatal.truth.json
                lang=$(jq -r .language "$d/$truth")
                dl=$(jq -r 'if .deadlock then "yes" else "no" end' "$d/$truth")
                printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$n/$f" "$n/$truth" "$lang" "$dl"
            done
        done
    } >"$CAPS/INDEX.tsv"
}

main() {
    local names=("$@") n lang
    if ((${#names[@]} == 0)); then
        for n in "$PROGS"/*/; do
            n=$(basename "$n"); [[ "$n" == _* ]] || names+=("$n")
        done
    fi
    for n in "${names[@]}"; do
        lang=$(lang_of "$n") || die "unknown program $n"
        log "$n ($lang)"
        build "$n" "$lang"
        if [[ "$lang" == go ]]; then capture_go "$n"; else capture_c "$n" "$lang"; fi
    done
    write_index
    log done
}

main "$@"
