// A three-stage pipeline whose stages flush into the next stage: each flusher
// locks its own stage, then the next one, and the last stage flushes into the
// first. Three goroutines, a cycle of three.
package main

import (
	"sync"
)

type Stage struct {
	Name    string
	mu      sync.Mutex
	pending []string
	next    *Stage
}

var flushing sync.WaitGroup

func (s *Stage) flush(ids chan<- string) {
	s.mu.Lock()
	truthHold(&s.mu, "write")
	defer s.mu.Unlock()
	ids <- gid()
	flushing.Done()
	flushing.Wait()
	s.next.accept(s.pending)
	s.pending = nil
}

func (s *Stage) accept(items []string) {
	truthWait(&s.mu, "write")
	s.mu.Lock()
	s.pending = append(s.pending, items...)
	s.mu.Unlock()
}

func main() {
	truthIdiom("three goroutines, each flushes its stage into the next; the last stage flushes into the first (cycle of 3)")
	parse := &Stage{Name: "parse", pending: []string{"r1"}}
	enrich := &Stage{Name: "enrich", pending: []string{"r2"}}
	store := &Stage{Name: "store", pending: []string{"r3"}}
	parse.next, enrich.next, store.next = enrich, store, parse
	stages := []*Stage{parse, enrich, store}
	for _, s := range stages {
		truthLock(&s.mu, s.Name+".mu", "mutex")
	}
	flushing.Add(len(stages))
	var wg sync.WaitGroup
	ids := make([]chan string, len(stages))
	for i, s := range stages {
		ids[i] = make(chan string, 1)
		wg.Add(1)
		go func(s *Stage, out chan<- string) {
			defer wg.Done()
			s.flush(out)
		}(s, ids[i])
	}
	// flusher i waits for stage i+1, held by flusher i+1
	truthCycle(<-ids[0], <-ids[1], <-ids[2])
	truthDeadlock(true)
	truthReady()
	truthBehind("wg.Wait() for three deadlocked flushers")
	wg.Wait()
}
