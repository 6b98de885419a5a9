package main

// idle_pool: a healthy server at rest, nothing stuck: 16 workers wait for jobs on a queue the
// server holds, a dispatcher waits for requests on a channel a global holds, a ticker
// goroutine sleeps between rounds, a cache guarded by a mutex nobody holds, and an accept loop
// waits for connections. A core of it must say "no deadlock" and call nothing leaked.

import (
	"net"
	"sync"
	"time"
)

type Pool struct {
	jobs  chan func()
	mu    sync.Mutex
	stats map[string]int
}

var (
	pool     = &Pool{jobs: make(chan func(), 64), stats: map[string]int{}}
	requests = make(chan int)
)

func (p *Pool) work(id int) {
	for job := range p.jobs { // WAIT chan receive, live (a global holds the pool)
		job()
		p.mu.Lock()
		p.stats["done"]++
		p.mu.Unlock()
	}
}

func dispatch() {
	recordMe("dispatch receives from requests (a global)")
	for r := range requests { // WAIT chan receive, live
		n := r
		pool.jobs <- func() { _ = n * n }
	}
}

func tick() {
	recordMe("tick sleeps between rounds")
	for {
		time.Sleep(time.Minute) // WAIT sleep
		pool.mu.Lock()
		pool.stats["ticks"]++
		pool.mu.Unlock()
	}
}

func idlePool() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			conn, err := ln.Accept() // WAIT IO wait
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	record("channel jobs %p", pool.jobs)
	record("channel requests %p", requests)
	for i := 0; i < 16; i++ {
		go pool.work(i)
	}
	go dispatch()
	go tick()
	for i := 0; i < 100; i++ {
		requests <- i
	}
	dumpWhenStuck(300*time.Millisecond, 0)
}
