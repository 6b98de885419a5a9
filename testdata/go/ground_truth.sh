#!/usr/bin/env bash
# Print, for each traceback-style dump given (debug=2, SIGQUIT, fatal error),
# one line per goroutine that has a frame in a test program's main.go:
#
#   file  goroutine-id  [header state]  lockSlow-arg  semacquire1-arg  innermost main.* frame @ main.go line
#
# lockSlow-arg is the argument of sync.(*Mutex).lockSlow (the mutex address;
# for an RWMutex writer blocked on the inner Mutex it is the RWMutex address),
# semacquire1-arg the first argument of runtime.semacquire1 (only printed at
# GOTRACEBACK=system level, i.e. SIGQUIT and *-system dumps): the semaphore
# word, = Mutex+4, RWMutex+8 (writerSem), RWMutex+12 (readerSem).
# Goroutine ids and addresses change on every capture: rerun this after
# ./capture.sh and update README.md.
#
# Usage: ./ground_truth.sh [FILE ...]   (default: all *.txt here except debug1
#                                        and the 500-goroutine leak dumps)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ $# -eq 0 ]]; then
    files=()
    for f in ./*.txt; do
        case "$f" in
            *.debug1.txt | ./leak.*) ;;
            *) files+=("${f#./}") ;;
        esac
    done
    set -- "${files[@]}"
fi
for f in "$@"; do
    awk -v file="$f" '
        function flush() {
            if (id != "" && user != "")
                printf "%-34s %7s  %-34s %-14s %-14s %s\n", file, id, "[" state "]", (ls == "" ? "-" : ls), (sa == "" ? "-" : sa), user
            id = ""; state = ""; ls = ""; sa = ""; user = ""; want = 0
        }
        /^goroutine [0-9]+ / {
            flush()
            id = $2
            s = $0; sub(/^[^[]*\[/, "", s); sub(/\]:$/, "", s); state = s
            next
        }
        /^sync\.\(\*Mutex\)\.lockSlow\(/ && ls == "" {
            a = $0; sub(/^.*lockSlow\(/, "", a); sub(/\).*$/, "", a); ls = a
        }
        /^runtime\.semacquire1\(/ && sa == "" {
            a = $0; sub(/^runtime\.semacquire1\(/, "", a); sub(/,.*$/, "", a); sa = a
        }
        /^main\./ && user == "" { fn = $0; sub(/\([^()]*\)$/, "", fn); want = 1; next }
        want && /main\.go:[0-9]+/ {
            l = $0; sub(/^.*main\.go:/, "", l); sub(/ .*$/, "", l)
            user = fn " @ main.go:" l; want = 0
        }
        /^$/ { flush() }
        END { flush() }
    ' "$f"
done
