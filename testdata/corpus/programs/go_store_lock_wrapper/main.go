// A key-value store locks through wrappers (s.lock()/s.unlock()); Put holds
// the store and records a metric under the global metrics mutex, while the
// metrics flusher holds that mutex and asks the store for its size.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Store struct {
	mu    sync.Mutex
	items map[string][]byte
}

func (s *Store) lock()   { s.mu.Lock() }
func (s *Store) unlock() { s.mu.Unlock() }

var (
	metricsMu  sync.Mutex
	metrics    = map[string]int{}
	rendezvous sync.WaitGroup
)

func (s *Store) Put(k string, v []byte, ids chan<- string) {
	s.lock()
	truthHold(&s.mu, "write")
	defer s.unlock()
	s.items[k] = v
	ids <- gid()
	rendezvous.Done()
	rendezvous.Wait()
	record("put")
}

func (s *Store) Len() int {
	truthWaitIn(&s.mu, "write", (*Store).lock, 0)
	s.lock()
	defer s.unlock()
	return len(s.items)
}

func record(name string) {
	truthWait(&metricsMu, "write")
	metricsMu.Lock()
	defer metricsMu.Unlock()
	metrics[name]++
}

func flushMetrics(s *Store, ids chan<- string) {
	metricsMu.Lock()
	truthHold(&metricsMu, "write")
	defer metricsMu.Unlock()
	ids <- gid()
	rendezvous.Done()
	rendezvous.Wait()
	metrics["size"] = s.Len()
	fmt.Println(metrics)
}

func main() {
	truthIdiom("lock wrapper func (s *Store) lock() { s.mu.Lock() } against a global metrics mutex")
	store := &Store{items: map[string][]byte{}}
	truthLock(&store.mu, "store.mu", "mutex")
	truthLock(&metricsMu, "metricsMu", "mutex")
	rendezvous.Add(2)
	a, b := make(chan string, 1), make(chan string, 1)
	go store.Put("k1", []byte("v1"), a)
	go flushMetrics(store, b)
	truthCycle(<-a, <-b)
	truthDeadlock(true)
	truthReady()
	time.Sleep(time.Hour)
}
