// stuck: Go programs that hang, one per case, for dlanalyze's Go core tests
// (testdata/gocore/capture.sh). One binary for every case keeps the committed
// executables to one:
//
//	stuck mutex_cycle   lock-order inversion on two sync.Mutex, a waiter behind it, a leaked sender
//	stuck rwmutex       a reader and a writer of two sync.RWMutex in a cycle, a reader behind it
//	stuck chan_leak     senders and receivers on channels nobody else can reach, and some that can be
//	stuck waitgroup     WaitGroup.Wait that no Done can end, a mutex whose holder exited, sync.Cond
//	stuck server_10k    a server of 10,000 goroutines: workers, lock waiters, leaks, one cycle,
//	                    one goroutine running, one in a system call
//	stuck idle_pool     a healthy server at rest: nothing is stuck
//
// Each case sets up its hang, then a goroutine of its own (the dumper) waits
// until the hang is in place (waitgroup: 65 s more, so that its waiters show
// ", 1 minutes"), runs the GC twice, writes every goroutine's stack
// (runtime.Stack(all): the text of /debug/pprof/goroutine?debug=2) to -stack
// FILE, prints the ground truth (goroutine ids, lock and channel addresses) as
// TRUTH lines and READY, and exits. The dumper is the only goroutine the stack
// file shows that a core taken afterwards does not (it is dead by then).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

var cases = map[string]func(){
	"mutex_cycle": mutexCycle,
	"rwmutex":     rwmutexCycle,
	"chan_leak":   chanLeak,
	"waitgroup":   waitGroup,
	"server_10k":  server10k,
	"idle_pool":   idlePool,
}

var stackFile string

func main() {
	if len(os.Args) < 2 || cases[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: stuck CASE [-stack FILE]; cases: mutex_cycle rwmutex chan_leak waitgroup server_10k idle_pool")
		os.Exit(2)
	}
	if len(os.Args) == 4 && os.Args[2] == "-stack" {
		stackFile = os.Args[3]
	}
	cases[os.Args[1]]()
	time.Sleep(24 * time.Hour) // main: [sleep], a timer, so the runtime never declares a deadlock
}

// --- Ground truth ----------------------------------------------------------

var (
	truthMu sync.Mutex
	truth   []string
)

// goid is the calling goroutine's id, from its own traceback header.
func goid() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	fields := strings.Fields(string(buf))
	id, _ := strconv.ParseInt(fields[1], 10, 64)
	return id
}

// record adds one TRUTH line, printed by the dumper.
func record(format string, args ...any) {
	truthMu.Lock()
	truth = append(truth, fmt.Sprintf(format, args...))
	truthMu.Unlock()
}

// recordMe records "goroutine ID ROLE" for the calling goroutine.
func recordMe(role string) {
	record("goroutine %d %s", goid(), role)
}

// dumpWhenStuck starts the dumper: after `settle`, two GCs (a GC stamps each parked goroutine
// with its start time, which the ", N minutes" of a traceback measures from); after `age` more,
// two GCs again, then the stack file, the TRUTH lines and READY.
func dumpWhenStuck(settle, age time.Duration) {
	go func() {
		time.Sleep(settle)
		runtime.GC()
		runtime.GC()
		if age > 0 {
			time.Sleep(age)
			runtime.GC()
			runtime.GC()
		}
		if stackFile != "" {
			buf := make([]byte, 64<<20)
			buf = buf[:runtime.Stack(buf, true)]
			if err := os.WriteFile(stackFile, buf, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		truthMu.Lock()
		for _, line := range truth {
			fmt.Println("TRUTH", line)
		}
		truthMu.Unlock()
		fmt.Printf("READY pid=%d\n", os.Getpid())
	}()
}
