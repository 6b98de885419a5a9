// idle_pool_twice (Go part): a server with a steady pool of 50 goroutines
// idle in a select on a jobs channel and a quit channel. Nothing is stuck and
// nothing leaks: two captures 10 s apart show the same 50 goroutines.
//
// Ground truth goes to -truth FILE (UTC times): one "pool" line per worker
// (goroutine id, line of the select) and a "snapshot" line per
// GET /truth?label=L (after two runtime.GC() calls).
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

func lineBelow() int {
	_, _, line, _ := runtime.Caller(1)
	return line + 1
}

type Resizer struct {
	jobs chan string
	quit chan struct{}

	mu    sync.Mutex
	ids   []int
	lines []int
	ready sync.WaitGroup
}

func (r *Resizer) register(id, line int) {
	r.mu.Lock()
	r.ids = append(r.ids, id)
	r.lines = append(r.lines, line)
	r.mu.Unlock()
	r.ready.Done()
}

func (r *Resizer) worker() {
	r.register(goid(), lineBelow()+1) // +1: the select two lines below
	for {
		select {
		case img := <-r.jobs:
			log.Printf("resizing %s", img)
		case <-r.quit:
			return
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	truth := flag.String("truth", "go.truth.txt", "ground-truth output file")
	flag.Parse()

	var err error
	if truthFile, err = os.Create(*truth); err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	const size = 50
	r := &Resizer{jobs: make(chan string), quit: make(chan struct{})}
	r.ready.Add(size)
	for i := 0; i < size; i++ {
		go r.worker()
	}
	r.ready.Wait()
	for i, id := range r.ids {
		truthf("pool worker=%d goroutine=%d func=main.(*Resizer).worker state=[select] at=main.go:%d idle, not a leak", i, id, r.lines[i])
	}
	http.HandleFunc("/truth", func(w http.ResponseWriter, req *http.Request) {
		runtime.GC()
		runtime.GC()
		ids := append([]int(nil), r.ids...)
		sort.Ints(ids)
		truthf("snapshot label=%s pool=%d pool_goroutines=%v NumGoroutine=%d",
			req.URL.Query().Get("label"), len(ids), ids, runtime.NumGoroutine())
		fmt.Fprintln(w, "ok")
	})
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
