// A package-level config mutex is locked directly by reload; plugins are
// locked through a helper acquire(m) that locks its parameter. apply holds a
// plugin and reads the config through the same helper: inversion.
package main

import (
	"sync"
	"time"
)

var (
	configMu sync.Mutex
	config   = map[string]string{"level": "info"}
)

type Plugin struct {
	Name string
	mu   sync.Mutex
	opts map[string]string
}

var plugins = []*Plugin{{Name: "auth"}, {Name: "audit"}}
var both sync.WaitGroup

func acquire(m *sync.Mutex) {
	m.Lock()
}

func reload(ids chan<- string) {
	configMu.Lock()
	truthHold(&configMu, "write")
	defer configMu.Unlock()
	ids <- gid()
	both.Done()
	both.Wait()
	for _, p := range plugins[1:] {
		truthWaitIn(&p.mu, "write", acquire, 1)
		acquire(&p.mu)
		p.opts = map[string]string{"level": config["level"]}
		p.mu.Unlock()
	}
}

func (p *Plugin) apply(ids chan<- string) {
	acquire(&p.mu)
	truthHold(&p.mu, "write")
	defer p.mu.Unlock()
	ids <- gid()
	both.Done()
	both.Wait()
	truthWaitIn(&configMu, "write", acquire, 1)
	acquire(&configMu)
	p.opts = map[string]string{"level": config["level"]}
	configMu.Unlock()
}

func main() {
	truthIdiom("a global locked in one function, a helper acquire(m) that locks its parameter in the other")
	truthLock(&configMu, "configMu", "mutex")
	for _, p := range plugins {
		truthLock(&p.mu, "plugins["+p.Name+"].mu", "mutex")
	}
	both.Add(2)
	a, b := make(chan string, 1), make(chan string, 1)
	go reload(a)
	go plugins[1].apply(b)
	truthCycle(<-a, <-b)
	truthDeadlock(true)
	truthReady()
	time.Sleep(time.Hour)
}
