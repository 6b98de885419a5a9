// gen_big: a large server-like process with 100,000 parked goroutines in a
// handful of realistic stack shapes, plus exactly one 2-cycle of mutexes,
// serving net/http/pprof. Used to produce a ~40 MB goroutine?debug=2 dump for
// performance tests.
//
//	30000  chan receive   (*JobQueue).worker          ranges over a job channel
//	20000  select         (*Session).loop             waits on inbox / shutdown
//	20000  sync.Cond.Wait (*Batcher).waitForBatch     waits for a batch to fill
//	       (these three run under supervise, a recover wrapper)
//	16000  sleep          (*Poller).poll              time.Sleep(1h) between polls
//	 8000  IO wait        serveConn / (*Client).readResponses, 4000 loopback TCP
//	                      connections read on both ends
//	 5998  chan send      (*ResultSink).emit          unbuffered send, no reader
//	    2  semacquire     postThenSettle / settleThenPost: ledger.mu <-> accounts.mu
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sync"
	"time"
)

const (
	nWorkers      = 30000
	nSessions     = 20000
	nBatchWaiters = 20000
	nPollers      = 16000
	nConns        = 4000 // two readers each
	nSenders      = 5998
)

// supervise runs fn and logs a panic instead of crashing the process, the
// way many servers wrap their long-lived goroutines.
func supervise(component string, id int, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("%s %d: recovered: %v", component, id, r)
		}
	}()
	fn()
}

// chan receive
type JobQueue struct{ jobs chan func() }

func (q *JobQueue) worker(id int) {
	for job := range q.jobs {
		job()
	}
}

// select
type Session struct {
	id       int
	inbox    chan []byte
	shutdown chan struct{}
}

func (s *Session) loop() {
	for {
		select {
		case msg := <-s.inbox:
			_ = msg
		case <-s.shutdown:
			return
		}
	}
}

// sync.Cond.Wait
type Batcher struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
	size  int
}

func (b *Batcher) waitForBatch(id int) []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.items) < b.size {
		b.cond.Wait()
	}
	return b.items
}

// sleep
type Poller struct {
	target   string
	interval time.Duration
}

func (p *Poller) poll() {
	for {
		time.Sleep(p.interval)
		log.Printf("polling %s", p.target)
	}
}

// IO wait
func serveConn(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			c.Close()
			return
		}
		fmt.Fprintf(c, "echo %s", line)
	}
}

type Client struct{ conn net.Conn }

func (cl *Client) readResponses() {
	buf := make([]byte, 512)
	for {
		if _, err := cl.conn.Read(buf); err != nil {
			return
		}
	}
}

// chan send
type ResultSink struct{ results chan string }

func (s *ResultSink) emit(id int) {
	s.results <- fmt.Sprintf("result-%d", id)
}

// the one mutex cycle
type Ledger struct {
	mu      sync.Mutex
	entries []string
}

type Accounts struct {
	mu       sync.Mutex
	balances map[string]int
}

var (
	ledger   = &Ledger{}
	accounts = &Accounts{balances: map[string]int{}}

	firstLocksHeld sync.WaitGroup
)

func postThenSettle(tx string) {
	ledger.mu.Lock()
	ledger.entries = append(ledger.entries, tx)
	firstLocksHeld.Done()
	firstLocksHeld.Wait()
	accounts.mu.Lock()
	accounts.balances[tx] -= 100
	accounts.mu.Unlock()
	ledger.mu.Unlock()
}

func settleThenPost(tx string) {
	accounts.mu.Lock()
	accounts.balances[tx] += 100
	firstLocksHeld.Done()
	firstLocksHeld.Wait()
	ledger.mu.Lock()
	ledger.entries = append(ledger.entries, tx)
	ledger.mu.Unlock()
	accounts.mu.Unlock()
}

func startConnections(n int) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveConn(c)
		}
	}()
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return err
		}
		go (&Client{conn: c}).readResponses()
	}
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}

	q := &JobQueue{jobs: make(chan func())}
	for i := 0; i < nWorkers; i++ {
		id := i
		go supervise("job-worker", id, func() { q.worker(id) })
	}
	shutdown := make(chan struct{})
	for i := 0; i < nSessions; i++ {
		s := &Session{id: i, inbox: make(chan []byte), shutdown: shutdown}
		go supervise("session", s.id, s.loop)
	}
	b := &Batcher{size: 1 << 30}
	b.cond = sync.NewCond(&b.mu)
	for i := 0; i < nBatchWaiters; i++ {
		id := i
		go supervise("batcher", id, func() { b.waitForBatch(id) })
	}
	for i := 0; i < nPollers; i++ {
		p := &Poller{target: fmt.Sprintf("http://backend-%d.internal/health", i%64), interval: time.Hour}
		go p.poll()
	}
	if err := startConnections(nConns); err != nil {
		log.Fatal(err)
	}
	sink := &ResultSink{results: make(chan string)}
	for i := 0; i < nSenders; i++ {
		go sink.emit(i)
	}
	firstLocksHeld.Add(2)
	go postThenSettle("tx-1")
	go settleThenPost("tx-2")

	time.Sleep(2 * time.Second)
	// Two GCs: a GC stamps blocked goroutines with the previous cycle's
	// start time, which is what the ", N minutes" header field measures.
	runtime.GC()
	runtime.GC()

	if *addrFile != "" {
		if err := os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("listening on http://%s/ with %d goroutines\n", ln.Addr(), runtime.NumGoroutine())
	log.Fatal(http.Serve(ln, nil))
}
