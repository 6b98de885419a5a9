// Job queues with early returns that unlock and a branch that unlocks and
// relocks: transferOne's early exits unlock, but the path taken keeps the
// source queue locked; compact drops its lock to flush and relocks it in the
// branch, then wants the other queue.
package main

import (
	"sync"
	"time"
)

type Queue struct {
	name   string
	mu     sync.Mutex
	items  []string
	dirty  bool
	closed bool
}

var meet sync.WaitGroup

func transferOne(from, to *Queue, id chan<- string) bool {
	from.mu.Lock()
	truthHold(&from.mu, "write")
	if len(from.items) == 0 {
		from.mu.Unlock()
		return false
	}
	if to.closed {
		from.mu.Unlock()
		return false
	}
	item := from.items[0]
	from.items = from.items[1:]
	id <- gid()
	meet.Done()
	meet.Wait()
	to.push(item)
	from.mu.Unlock()
	return true
}

func (q *Queue) push(item string) {
	truthWait(&q.mu, "write")
	q.mu.Lock()
	q.items = append(q.items, item)
	q.mu.Unlock()
}

func (q *Queue) flush() { time.Sleep(10 * time.Millisecond); q.dirty = false }

func compact(q, overflow *Queue, id chan<- string) {
	q.mu.Lock()
	if q.dirty {
		q.mu.Unlock()
		q.flush()
		q.mu.Lock()
		truthHold(&q.mu, "write")
	}
	defer q.mu.Unlock()
	id <- gid()
	meet.Done()
	meet.Wait()
	if len(q.items) > 1 {
		overflow.push(q.items[len(q.items)-1])
		q.items = q.items[:len(q.items)-1]
	}
}

func main() {
	truthIdiom("early returns that unlock and an if-branch that unlocks then relocks; the path taken keeps the lock")
	ingest := &Queue{name: "ingest", items: []string{"j1", "j2"}}
	retry := &Queue{name: "retry", items: []string{"r1", "r2"}, dirty: true}
	truthLock(&ingest.mu, "ingest.mu", "mutex")
	truthLock(&retry.mu, "retry.mu", "mutex")
	meet.Add(2)
	a, b := make(chan string, 1), make(chan string, 1)
	go transferOne(ingest, retry, a)
	go compact(retry, ingest, b)
	truthCycle(<-a, <-b)
	truthDeadlock(true)
	truthReady()
	time.Sleep(time.Hour)
}
