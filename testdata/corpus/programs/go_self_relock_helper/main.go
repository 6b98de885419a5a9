// A cache's Get holds the cache mutex and, on a miss, evicts expired entries
// through Delete, which locks the same mutex again: one goroutine waits for
// itself (a cycle of one).
package main

import (
	"sync"
	"time"
)

type entry struct {
	val     string
	expires time.Time
}

type Cache struct {
	mu      sync.Mutex
	entries map[string]entry
	misses  int
}

func (c *Cache) Get(key string) (string, bool) {
	c.mu.Lock()
	truthHold(&c.mu, "write")
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || time.Now().After(e.expires) {
		c.misses++
		c.evictExpired()
		return "", false
	}
	return e.val, true
}

func (c *Cache) evictExpired() {
	now := time.Now()
	for k, e := range c.entries {
		if now.After(e.expires) {
			c.Delete(k)
		}
	}
}

func (c *Cache) Delete(key string) {
	truthWait(&c.mu, "write")
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, key)
}

func main() {
	truthIdiom("self-deadlock: Get holds the cache mutex, a helper two calls down (Delete) locks it again")
	cache := &Cache{entries: map[string]entry{
		"stale": {val: "x", expires: time.Now().Add(-time.Minute)},
	}}
	truthLock(&cache.mu, "cache.mu", "mutex")
	var wg sync.WaitGroup
	wg.Add(1)
	id := make(chan string, 1)
	go func() {
		defer wg.Done()
		id <- gid()
		cache.Get("session:42")
	}()
	truthCycle(<-id)
	truthDeadlock(true)
	truthReady()
	truthBehind("wg.Wait() for the self-deadlocked lookup")
	wg.Wait()
}
