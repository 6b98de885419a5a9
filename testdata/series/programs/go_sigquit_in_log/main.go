// go_sigquit_in_log: a service that logs to stderr (log package, with
// microsecond timestamps) and, on SIGUSR1, writes a runtime.Stack(all)
// goroutine dump into the same stderr log, between two log lines. Later the
// process gets SIGQUIT, and the runtime appends its own dump to stderr. The
// whole stderr (two snapshots in one file) is the capture.
//
// What is wrong with it:
//   - settle and refund deadlock (lock-order inversion on payments.mu and
//     refunds.mu): two goroutines [semacquire] forever;
//   - every 2 s the heartbeat loop starts a webhook delivery that waits for
//     an acknowledgement nobody sends: one more goroutine blocked in
//     [chan receive] in (*Webhooks).deliver each time (a leak).
//
// Ground truth goes to -truth FILE (UTC times): holds/blocks lines for the
// two deadlocked goroutines, a "leak" line per webhook goroutine (written
// just before it blocks), and a "snapshot" line when the SIGUSR1 dump is
// written.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

var (
	truthMu   sync.Mutex
	truthFile *os.File
)

func truthf(format string, args ...any) {
	truthMu.Lock()
	defer truthMu.Unlock()
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	fmt.Fprintf(truthFile, "%s "+format+"\n", append([]any{now}, args...)...)
}

func goid() int {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, _ := strconv.Atoi(s[:strings.IndexByte(s, ' ')])
	return id
}

func lineAbove() int {
	_, _, line, _ := runtime.Caller(1)
	return line - 1
}

func lineBelow() int {
	_, _, line, _ := runtime.Caller(1)
	return line + 1
}

// ---- the deadlock ----

type Payments struct {
	mu      sync.Mutex
	settled map[string]int
}

type Refunds struct {
	mu      sync.Mutex
	pending []string
}

var (
	payments = &Payments{settled: map[string]int{}}
	refunds  = &Refunds{}
	bothHold sync.WaitGroup
)

func settle(id string, amount int) {
	payments.mu.Lock()
	took := lineAbove()
	defer payments.mu.Unlock()
	truthf("holds goroutine=%d func=main.settle mutex=payments.mu addr=%p at=main.go:%d", goid(), &payments.mu, took)
	payments.settled[id] += amount
	bothHold.Done()
	bothHold.Wait()
	truthf("blocks goroutine=%d func=main.settle mutex=refunds.mu addr=%p at=main.go:%d", goid(), &refunds.mu, lineBelow())
	refunds.mu.Lock()
	defer refunds.mu.Unlock()
	refunds.pending = append(refunds.pending, id)
}

func refund(id string) {
	refunds.mu.Lock()
	took := lineAbove()
	defer refunds.mu.Unlock()
	truthf("holds goroutine=%d func=main.refund mutex=refunds.mu addr=%p at=main.go:%d", goid(), &refunds.mu, took)
	bothHold.Done()
	bothHold.Wait()
	truthf("blocks goroutine=%d func=main.refund mutex=payments.mu addr=%p at=main.go:%d", goid(), &payments.mu, lineBelow())
	payments.mu.Lock()
	defer payments.mu.Unlock()
	delete(payments.settled, id)
}

// ---- the leak ----

type Webhooks struct {
	mu     sync.Mutex
	leaked []int
}

func (w *Webhooks) deliver(n int, acks chan bool) {
	w.mu.Lock()
	w.leaked = append(w.leaked, goid())
	total := len(w.leaked)
	w.mu.Unlock()
	truthf("leak webhook=%d goroutine=%d func=main.(*Webhooks).deliver state=[chan receive] at=main.go:%d leaked_total=%d",
		n, goid(), lineBelow(), total)
	if ok := <-acks; !ok { // nobody ever sends an acknowledgement
		log.Printf("webhook %d rejected", n)
	}
}

func (w *Webhooks) ids() []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids := append([]int(nil), w.leaked...)
	sort.Ints(ids)
	return ids
}

// ---- SIGUSR1 dump ----

func dumpOnSignal(hooks *Webhooks) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	for range sigs {
		ids := hooks.ids()
		truthf("snapshot label=SIGUSR1 goroutine_dump_by=%d leaked=%d leaked_goroutines=%v NumGoroutine=%d",
			goid(), len(ids), ids, runtime.NumGoroutine())
		log.Printf("SIGUSR1: writing goroutine dump (%d goroutines)", runtime.NumGoroutine())
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		os.Stderr.Write(buf)
		log.Printf("SIGUSR1: goroutine dump done (%d bytes)", len(buf))
	}
}

func main() {
	truth := flag.String("truth", "truth.txt", "ground-truth output file")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	log.SetPrefix("payments: ")

	var err error
	if truthFile, err = os.Create(*truth); err != nil {
		log.Fatal(err)
	}
	log.Printf("starting, pid %d", os.Getpid())
	hooks := &Webhooks{}
	go dumpOnSignal(hooks)

	bothHold.Add(2)
	go settle("pay-7001", 120)
	go refund("pay-7001")

	acks := make(chan bool) // never sent to
	for tick := 1; ; tick++ {
		time.Sleep(time.Second)
		if tick%2 == 0 {
			go hooks.deliver(tick/2, acks)
			log.Printf("heartbeat %d: delivering webhook %d", tick, tick/2)
		} else {
			log.Printf("heartbeat %d: settlement queue not draining", tick)
		}
	}
}
