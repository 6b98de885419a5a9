package main

// server_10k: a server of 10,000 goroutines, for scale.
//
//	accept loop   1 goroutine in Accept on a TCP listener ([IO wait])
//	workers       6,000 receiving from jobs, a channel the server holds (live)
//	handlers      2,000 waiting for cache.mu, held by refreshCache, which waits on upstream
//	notifiers     1,995 sending on per-request channels dropped by their requests (leaked)
//	transfers     2 in a lock-order inversion on accounts.mu and ledger.mu (a cycle)
//	refreshCache  1 holding cache.mu, receiving from upstream (a global)
//	janitors      1 sleeping
//
// With main and the runtime's own, 10,000 goroutines and a few.

import (
	"net"
	"sync"
	"time"
)

type Server struct {
	jobs     chan int
	listener net.Listener
}

type Cache struct {
	mu      sync.Mutex
	entries map[int]string
}

var (
	server   *Server
	cache    = &Cache{entries: map[int]string{}}
	upstream = make(chan map[int]string)

	accountsMu sync.Mutex
	ledgerMu   sync.Mutex
	transfers  sync.WaitGroup
)

func worker(jobs <-chan int) {
	for j := range jobs { // WAIT chan receive, live
		_ = j
	}
}

func handleRequest(key int) string {
	cache.mu.Lock() // WAIT cache.mu, held by refreshCache
	defer cache.mu.Unlock()
	return cache.entries[key]
}

func refreshCache() {
	recordMe("refreshCache holds cache.mu waits on upstream")
	cache.mu.Lock() // HOLD cache.mu
	defer cache.mu.Unlock()
	cache.entries = <-upstream // WAIT chan receive, live (a global)
}

func notify(request int) {
	done := make(chan bool)
	go deliver(request, done)
	// The request ends without waiting: nobody receives from done.
}

func deliver(request int, done chan<- bool) {
	done <- true // WAIT chan send, leaked
}

func debit() {
	recordMe("debit holds accountsMu waits ledgerMu")
	accountsMu.Lock() // HOLD accountsMu
	defer accountsMu.Unlock()
	transfers.Done()
	transfers.Wait()
	ledgerMu.Lock() // WAIT ledgerMu
	defer ledgerMu.Unlock()
}

func credit() {
	recordMe("credit holds ledgerMu waits accountsMu")
	ledgerMu.Lock() // HOLD ledgerMu
	defer ledgerMu.Unlock()
	transfers.Done()
	transfers.Wait()
	accountsMu.Lock() // WAIT accountsMu
	defer accountsMu.Unlock()
}

func janitor() {
	for {
		time.Sleep(time.Hour)
	}
}

func server10k() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	server = &Server{jobs: make(chan int), listener: ln}
	go func() {
		for {
			conn, err := ln.Accept() // WAIT IO wait
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	record("lock cache.mu %p", &cache.mu)
	record("lock accountsMu %p", &accountsMu)
	record("lock ledgerMu %p", &ledgerMu)
	go refreshCache()
	time.Sleep(20 * time.Millisecond)
	for i := 0; i < 6000; i++ {
		go worker(server.jobs)
	}
	for i := 0; i < 2000; i++ {
		go handleRequest(i)
	}
	for i := 0; i < 1995; i++ {
		notify(i)
	}
	transfers.Add(2)
	go debit()
	go credit()
	go janitor()
	dumpWhenStuck(time.Second)
}
