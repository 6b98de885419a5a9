// go_leak: an HTTP server whose /work handler leaks one goroutine per request.
//
// handleWork starts fetchQuote in a goroutine and waits for its result on an
// unbuffered channel for at most 10 ms. fetchQuote takes 50 ms (a slow
// backend), so the handler always gives up first and returns; fetchQuote's
// later `ch <- result` then blocks forever, because nobody will ever receive
// from ch. One leaked goroutine per request.
//
// The same process runs a steady pool of 8 workers idle in a select on a jobs
// channel and a quit channel (not a leak: they are always 8, and they would
// serve jobs if any came).
//
// The program writes its own ground truth to -truth FILE (UTC times):
//   - a "pool" line per worker (goroutine id, line of its select) at start;
//   - a "leak" line per request, written by the leaking goroutine just
//     before its send (request number, goroutine id, line of the send);
//   - a "snapshot" line on GET /truth?label=L, written after two
//     runtime.GC() calls (a GC stamps blocked goroutines for the
//     ", N minutes" header field): leaked count and ids, pool ids.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ---- ground truth helpers ----

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

// goid returns the current goroutine's id, parsed from "goroutine N [".
func goid() int {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, _ := strconv.Atoi(s[:strings.IndexByte(s, ' ')])
	return id
}

// lineBelow returns the number of the source line after the caller's line.
func lineBelow() int {
	_, _, line, _ := runtime.Caller(1)
	return line + 1
}

// ---- the steady worker pool (not a leak) ----

type Pool struct {
	jobs chan func()
	quit chan struct{}

	mu    sync.Mutex
	ids   []int
	lines []int
	ready sync.WaitGroup
}

func (p *Pool) register(id, line int) {
	p.mu.Lock()
	p.ids = append(p.ids, id)
	p.lines = append(p.lines, line)
	p.mu.Unlock()
	p.ready.Done()
}

func (p *Pool) worker() {
	p.register(goid(), lineBelow()+1) // +1: the select two lines below
	for {
		select {
		case job := <-p.jobs:
			job()
		case <-p.quit:
			return
		}
	}
}

func startPool(size int) *Pool {
	p := &Pool{jobs: make(chan func()), quit: make(chan struct{})}
	p.ready.Add(size)
	for i := 0; i < size; i++ {
		go p.worker()
	}
	p.ready.Wait()
	return p
}

// ---- the leak ----

type Quote struct {
	Request int
	Price   float64
}

var (
	leakMu   sync.Mutex
	leaked   []int // goroutine ids of the blocked senders
	requests int
)

func recordLeak(req, line int) {
	id := goid()
	leakMu.Lock()
	leaked = append(leaked, id)
	n := len(leaked)
	leakMu.Unlock()
	truthf("leak request=%d goroutine=%d func=main.fetchQuote state=[chan send] at=main.go:%d leaked_total=%d",
		req, id, line, n)
}

func fetchQuote(req int, ch chan<- Quote, gaveUp <-chan struct{}) {
	time.Sleep(50 * time.Millisecond) // the slow backend
	result := Quote{Request: req, Price: 100 + float64(req)/100}
	select {
	case <-gaveUp:
		recordLeak(req, lineBelow()+2) // +2: the send three lines below
	default:
	}
	ch <- result // blocks forever once handleWork has given up
}

func handleWork(w http.ResponseWriter, r *http.Request) {
	leakMu.Lock()
	requests++
	req := requests
	leakMu.Unlock()

	ch := make(chan Quote) // unbuffered
	gaveUp := make(chan struct{})
	go fetchQuote(req, ch, gaveUp)
	select {
	case q := <-ch:
		fmt.Fprintf(w, "quote %d: %.2f\n", q.Request, q.Price)
	case <-time.After(10 * time.Millisecond):
		close(gaveUp)
		http.Error(w, "backend timeout", http.StatusGatewayTimeout)
	}
}

func handleTruth(pool *Pool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		runtime.GC()
		runtime.GC()
		leakMu.Lock()
		ids := append([]int(nil), leaked...)
		req := requests
		leakMu.Unlock()
		sort.Ints(ids)
		truthf("snapshot label=%s requests=%d leaked=%d leaked_goroutines=%v pool_goroutines=%v NumGoroutine=%d",
			r.URL.Query().Get("label"), req, len(ids), ids, pool.ids, runtime.NumGoroutine())
		fmt.Fprintf(w, "leaked %d\n", len(ids))
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	truth := flag.String("truth", "truth.txt", "ground-truth output file")
	flag.Parse()

	var err error
	if truthFile, err = os.Create(*truth); err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	pool := startPool(8)
	for i, id := range pool.ids {
		truthf("pool worker=%d goroutine=%d func=main.(*Pool).worker state=[select] at=main.go:%d steady, not a leak",
			i, id, pool.lines[i])
	}

	http.HandleFunc("/work", handleWork)
	http.HandleFunc("/truth", handleTruth(pool))

	if *addrFile != "" {
		if err := os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("listening on http://%s/\n", ln.Addr()) // stdout: stderr is kept for the runtime
	log.Fatal(http.Serve(ln, nil))
}
