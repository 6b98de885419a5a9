// sync.Mutex embedded in the struct: callers lock through the promoted
// method (inv.Lock()), no field name appears at the call. The unlock is a
// deferred func literal. restock(from, to) locks its destination, then
// takes from its source; two restocks run in opposite directions.
package main

import (
	"sync"
)

type Inventory struct {
	sync.Mutex
	name  string
	items map[string]int
}

var (
	warehouse = &Inventory{name: "warehouse", items: map[string]int{"bolt": 100}}
	shop      = &Inventory{name: "shop", items: map[string]int{"bolt": 3}}
	crossing  sync.WaitGroup
)

func take(inv *Inventory, item string, n int) {
	truthWait(&inv.Mutex, "write")
	inv.Lock()
	defer func() { inv.Unlock() }()
	inv.items[item] -= n
}

func restock(from, to *Inventory, ids chan<- string) {
	to.Lock()
	truthHold(&to.Mutex, "write")
	defer func() {
		to.Unlock()
	}()
	ids <- gid()
	crossing.Done()
	crossing.Wait()
	take(from, "bolt", 10)
	to.items["bolt"] += 10
}

func main() {
	truthIdiom("Go: sync.Mutex embedded in a struct, locked through the promoted method inv.Lock(); deferred func literal unlocks")
	truthLock(&warehouse.Mutex, "warehouse.Mutex", "mutex")
	truthLock(&shop.Mutex, "shop.Mutex", "mutex")
	ids := make(chan string, 2)
	crossing.Add(2)
	var done sync.WaitGroup
	done.Add(2)
	go func() { defer done.Done(); restock(warehouse, shop, ids) }()
	go func() { defer done.Done(); restock(shop, warehouse, ids) }()
	a, b := <-ids, <-ids
	truthCycle(a, b)
	truthDeadlock(true)
	truthReady()
	truthBehind("done.Wait() for two deadlocked restocks")
	done.Wait()
}
