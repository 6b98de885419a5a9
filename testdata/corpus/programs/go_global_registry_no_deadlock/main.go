// A service registry behind a package-level mutex: Register holds it through
// a 45 s health check of the new service; lookups lock it through a helper
// and simply wait their turn.
package main

import (
	"sync"
	"time"
)

var (
	registryMu sync.Mutex
	registry   = map[string]string{}
)

func acquire(m *sync.Mutex) { m.Lock() }

func Register(name, addr string) {
	registryMu.Lock()
	truthHold(&registryMu, "write")
	defer registryMu.Unlock()
	healthCheck(addr)
	registry[name] = addr
}

func healthCheck(addr string) { time.Sleep(45 * time.Second) }

func Lookup(name string) string {
	truthNotStuck("Register unlocks after its 45 s health check")
	truthWaitIn(&registryMu, "write", acquire, 0)
	acquire(&registryMu)
	defer registryMu.Unlock()
	return registry[name]
}

func main() {
	truthIdiom("global mutex held across a slow call; lookups lock it through a helper and wait, no cycle")
	truthLock(&registryMu, "registryMu", "mutex")
	go Register("billing", "10.0.0.7:8080")
	time.Sleep(200 * time.Millisecond)
	for _, n := range []string{"billing", "auth"} {
		go Lookup(n)
	}
	truthDeadlock(false)
	truthReady()
	time.Sleep(time.Hour)
}
