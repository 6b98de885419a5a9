// Work stealing between workers: rebalance takes a worker from the slice into
// a local, locks it, and passes it down; enqueue, two calls deeper, locks the
// peer. Workers 1 and 3 rebalance towards each other.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Worker struct {
	name  string
	mu    sync.Mutex
	queue []string
}

var workers []*Worker
var tick sync.WaitGroup

func rebalance(k, peer int, ids chan<- string) {
	w := workers[k]
	w.mu.Lock()
	truthHold(&w.mu, "write")
	defer w.mu.Unlock()
	ids <- gid()
	tick.Done()
	tick.Wait()
	pass(w, workers[peer])
}

func pass(a, b *Worker) {
	if len(a.queue) == 0 {
		return
	}
	job := a.queue[len(a.queue)-1]
	a.queue = a.queue[:len(a.queue)-1]
	enqueue(b, job)
}

func enqueue(b *Worker, job string) {
	truthWait(&b.mu, "write")
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queue = append(b.queue, job)
}

func main() {
	truthIdiom("lock taken in the caller through a local (w := workers[k]; w.mu.Lock(); pass(w, peer)), peer locked two calls down")
	for i := 0; i < 4; i++ {
		w := &Worker{name: fmt.Sprintf("w%d", i), queue: []string{"job-a", "job-b"}}
		workers = append(workers, w)
		truthLock(&w.mu, fmt.Sprintf("workers[%d].mu", i), "mutex")
	}
	tick.Add(2)
	a, b := make(chan string, 1), make(chan string, 1)
	go rebalance(1, 3, a)
	go rebalance(3, 1, b)
	truthCycle(<-a, <-b)
	truthDeadlock(true)
	truthReady()
	time.Sleep(time.Hour)
}
