// A monthly report holds the stats read lock for 45 s; a writer that resets
// the counters waits for it, and two dashboards that read-lock after the
// writer are queued behind the writer. All of them will run: no cycle.
package main

import (
	"sync"
	"time"
)

type Stats struct {
	mu     sync.RWMutex
	counts map[string]int
}

var stats = &Stats{counts: map[string]int{"hits": 10}}

func monthlyReport() {
	stats.mu.RLock()
	truthHold(&stats.mu, "read")
	defer stats.mu.RUnlock()
	time.Sleep(45 * time.Second)
}

func resetCounters() {
	truthNotStuck("the report releases its read lock after 45 s")
	truthWait(&stats.mu, "write")
	stats.mu.Lock()
	defer stats.mu.Unlock()
	stats.counts = map[string]int{}
}

func dashboard(name string) int {
	truthNotStuck("queued behind the writer, which will get and release the lock")
	truthWait(&stats.mu, "read")
	stats.mu.RLock()
	defer stats.mu.RUnlock()
	return stats.counts["hits"]
}

func main() {
	truthIdiom("RWMutex: readers queued behind a waiting writer while a long reader holds the lock; everybody will run")
	truthLock(&stats.mu, "stats.mu", "rwlock")
	go monthlyReport()
	time.Sleep(100 * time.Millisecond)
	go resetCounters()
	time.Sleep(200 * time.Millisecond)
	go dashboard("ops")
	go dashboard("sales")
	truthDeadlock(false)
	truthReady()
	time.Sleep(time.Hour)
}
