// search holds the catalog's read lock and then wants the index mutex;
// reindex holds the index mutex and wants the catalog's write lock, which
// waits for search's read lock: a cycle. A browse that comes after is queued
// behind the waiting writer (not in the cycle).
package main

import (
	"strings"
	"sync"
	"time"
)

type Catalog struct {
	mu    sync.RWMutex
	items map[string]string
}

var (
	catalog = &Catalog{items: map[string]string{"sku1": "red kettle", "sku2": "blue mug"}}
	indexMu sync.Mutex
	index   = map[string][]string{}
	meet    sync.WaitGroup
)

func search(word string, ids chan<- string) []string {
	catalog.mu.RLock()
	truthHold(&catalog.mu, "read")
	defer catalog.mu.RUnlock()
	ids <- gid()
	meet.Done()
	meet.Wait()
	return lookupIndex(word)
}

func lookupIndex(word string) []string {
	truthWait(&indexMu, "write")
	indexMu.Lock()
	defer indexMu.Unlock()
	return index[word]
}

func reindex(ids chan<- string) {
	indexMu.Lock()
	truthHold(&indexMu, "write")
	defer indexMu.Unlock()
	ids <- gid()
	meet.Done()
	meet.Wait()
	time.Sleep(100 * time.Millisecond)
	truthWait(&catalog.mu, "write")
	catalog.mu.Lock()
	defer catalog.mu.Unlock()
	for sku, name := range catalog.items {
		for _, w := range strings.Fields(name) {
			index[w] = append(index[w], sku)
		}
	}
}

func browse(sku string) string {
	truthWait(&catalog.mu, "read")
	catalog.mu.RLock()
	defer catalog.mu.RUnlock()
	return catalog.items[sku]
}

func main() {
	truthIdiom("read lock held while taking a mutex whose holder waits for the write lock; a later reader queued behind the writer")
	truthLock(&catalog.mu, "catalog.mu", "rwlock")
	truthLock(&indexMu, "indexMu", "mutex")
	meet.Add(2)
	a, b := make(chan string, 1), make(chan string, 1)
	go search("kettle", a)
	go reindex(b)
	s, r := <-a, <-b
	time.Sleep(400 * time.Millisecond) // reindex waits for the write lock now
	go browse("sku2")
	// search waits for indexMu (held by reindex); reindex waits for search's read lock
	truthCycle(s, r)
	truthDeadlock(true)
	truthReady()
	time.Sleep(time.Hour)
}
