// Lock upgrade: two goroutines read the cache under RLock and, on a miss,
// call Lock without releasing the read lock. Each waits for the other
// reader to leave: the first writer inside RWMutex.Lock waits for readers,
// the second queues on the RWMutex's internal writer mutex. Each one is
// already deadlocked on its own (Lock waits for every reader, itself
// included): cycles [a], [b], and [a, b] (a waits for the lock b reads).
package main

import (
	"sync"
	"time"
)

type Cache struct {
	mu   sync.RWMutex
	data map[string]string
}

var cache = &Cache{data: map[string]string{}}
var bothReading sync.WaitGroup

func (c *Cache) getOrFill(key string, ids chan<- string, delay time.Duration) string {
	c.mu.RLock()
	truthHold(&c.mu, "read")
	defer c.mu.RUnlock()
	if v, ok := c.data[key]; ok {
		return v
	}
	ids <- gid()
	bothReading.Done()
	bothReading.Wait()
	time.Sleep(delay)
	truthWait(&c.mu, "write")
	c.mu.Lock()
	c.data[key] = "filled"
	c.mu.Unlock()
	return c.data[key]
}

func main() {
	truthIdiom("Go: RWMutex read lock upgraded to Lock by two goroutines at once")
	truthLock(&cache.mu, "cache.mu", "rwlock")
	ids := make(chan string, 2)
	bothReading.Add(2)
	var done sync.WaitGroup
	done.Add(2)
	go func() { defer done.Done(); cache.getOrFill("a", ids, 0) }()
	go func() { defer done.Done(); cache.getOrFill("b", ids, 100*time.Millisecond) }()
	a, b := <-ids, <-ids
	truthCycle(a)
	truthCycle(b)
	truthCycle(a, b)
	truthDeadlock(true)
	truthReady()
	truthBehind("done.Wait() for two upgrading readers")
	done.Wait()
}
