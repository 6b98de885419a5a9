// Named locks live in a map[string]*sync.Mutex. withBoth(first, second)
// looks both up and takes each through a method value: lock := m.Lock;
// lock(). Two jobs name the same two resources in opposite orders.
package main

import (
	"sync"
)

var locks = map[string]*sync.Mutex{
	"inventory": new(sync.Mutex),
	"billing":   new(sync.Mutex),
	"audit":     new(sync.Mutex),
}

var crossing sync.WaitGroup

func acquireNamed(name string) func() {
	lock := locks[name].Lock
	lock()
	return locks[name].Unlock
}

func withBoth(first, second string, ids chan<- string) {
	lockFirst := locks[first].Lock
	lockFirst()
	truthHold(locks[first], "write")
	defer locks[first].Unlock()
	ids <- gid()
	crossing.Done()
	crossing.Wait()
	truthWaitIn(locks[second], "write", acquireNamed, 2)
	release := acquireNamed(second)
	defer release()
}

func main() {
	truthIdiom("Go: map[string]*sync.Mutex keyed by name, taken through method values lock := m.Lock; lock()")
	for _, n := range []string{"inventory", "billing", "audit"} {
		truthLock(locks[n], "locks[\""+n+"\"]", "mutex")
	}
	// audit is taken and released: no hold at capture time.
	release := acquireNamed("audit")
	release()
	ids := make(chan string, 2)
	crossing.Add(2)
	var done sync.WaitGroup
	done.Add(2)
	go func() { defer done.Done(); withBoth("inventory", "billing", ids) }()
	go func() { defer done.Done(); withBoth("billing", "inventory", ids) }()
	a, b := <-ids, <-ids
	truthCycle(a, b)
	truthDeadlock(true)
	truthReady()
	truthBehind("done.Wait() for two deadlocked jobs")
	done.Wait()
}
