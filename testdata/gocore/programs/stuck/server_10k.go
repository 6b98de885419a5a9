package main

// server_10k: a server of 10,000 goroutines, for scale.
//
//	accept loop   1 goroutine in Accept on a TCP listener ([IO wait])
//	workers       6,000 receiving from jobs, a channel the server holds (live)
//	handlers      2,000 waiting for cache.mu, held by refreshCache, which waits on upstream
//	notifiers     1,992 sending on per-request channels dropped by their requests (leaked)
//	transfers     2 in a lock-order inversion on a heap-allocated Bank's two mutexes (a cycle)
//	refreshCache  1 holding cache.mu, receiving from upstream (a global)
//	janitor       1 sleeping
//	spin          1 running (busy on a CPU when the core is taken)
//	readControl   1 in a read(2) system call on a pipe nobody writes to
//
// 9,999 of them: with main, 10,000 goroutines when the core is taken, and the runtime's own.

import (
	"net"
	"sync"
	"syscall"
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

// Bank is allocated on the heap: its locks have no symbol, only the receiver's address ties the
// goroutine that holds one to the goroutine that waits for it.
type Bank struct {
	accounts struct {
		mu      sync.Mutex
		balance map[int]int
	}
	ledger struct {
		mu      sync.Mutex
		entries []int
	}
}

var (
	server   *Server
	cache    = &Cache{entries: map[int]string{}}
	upstream = make(chan map[int]string)

	transfers sync.WaitGroup
	spins     uint64
	control   [2]int // a pipe: readControl reads [0], nobody writes [1]
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

func (b *Bank) debit(amount int) {
	recordMe("debit holds bank.accounts.mu waits bank.ledger.mu")
	b.accounts.mu.Lock() // HOLD bank.accounts.mu
	defer b.accounts.mu.Unlock()
	b.accounts.balance[1] -= amount
	transfers.Done()
	transfers.Wait()
	b.ledger.mu.Lock() // WAIT bank.ledger.mu
	defer b.ledger.mu.Unlock()
	b.ledger.entries = append(b.ledger.entries, -amount)
}

func (b *Bank) credit(amount int) {
	recordMe("credit holds bank.ledger.mu waits bank.accounts.mu")
	b.ledger.mu.Lock() // HOLD bank.ledger.mu
	defer b.ledger.mu.Unlock()
	b.ledger.entries = append(b.ledger.entries, amount)
	transfers.Done()
	transfers.Wait()
	b.accounts.mu.Lock() // WAIT bank.accounts.mu
	defer b.accounts.mu.Unlock()
	b.accounts.balance[2] += amount
}

func janitor() {
	for {
		time.Sleep(time.Hour)
	}
}

func spin() {
	recordMe("spin runs")
	for {
		spins++ // RUNNING
	}
}

func readControl(fd int) {
	recordMe("readControl in read(2)")
	buf := make([]byte, 1)
	syscall.Read(fd, buf) // SYSCALL read
}

func server10k() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	if err := syscall.Pipe(control[:]); err != nil {
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
	go refreshCache()
	time.Sleep(20 * time.Millisecond)
	for i := 0; i < 6000; i++ {
		go worker(server.jobs)
	}
	for i := 0; i < 2000; i++ {
		go handleRequest(i)
	}
	for i := 0; i < 1992; i++ {
		notify(i)
	}
	bank := &Bank{}
	bank.accounts.balance = map[int]int{1: 100, 2: 0}
	record("lock bank.accounts.mu %p", &bank.accounts.mu)
	record("lock bank.ledger.mu %p", &bank.ledger.mu)
	transfers.Add(2)
	go bank.debit(10)
	go bank.credit(10)
	go janitor()
	go readControl(control[0])
	go spin()
	dumpWhenStuck(time.Second, 0)
}
