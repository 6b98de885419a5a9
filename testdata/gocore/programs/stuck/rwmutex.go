package main

// rwmutex: refreshPrices holds catalog.mu for reading and waits for
// pricing.mu; repriceCatalog holds pricing.mu and waits to write catalog.mu,
// which waits for the reader: a 2-cycle through a read lock. listProducts
// asks for a read lock of catalog.mu after the writer queued: it waits behind
// the writer, outside the cycle.

import (
	"sync"
	"time"
)

type Catalog struct {
	mu       sync.RWMutex
	products map[string]int
}

type Pricing struct {
	mu       sync.RWMutex
	discount map[string]int
}

var (
	catalog = &Catalog{products: map[string]int{"widget": 1999, "gadget": 4999}}
	pricing = &Pricing{discount: map[string]int{}}

	rwFirstLocksHeld sync.WaitGroup
)

func refreshPrices() {
	recordMe("refreshPrices holds catalog.mu (read) waits pricing.mu (write)")
	catalog.mu.RLock() // HOLD catalog.mu (read)
	defer catalog.mu.RUnlock()
	names := make([]string, 0, len(catalog.products))
	for name := range catalog.products {
		names = append(names, name)
	}
	rwFirstLocksHeld.Done()
	time.Sleep(100 * time.Millisecond) // until repriceCatalog queued as a writer

	pricing.mu.Lock() // WAIT pricing.mu (write)
	defer pricing.mu.Unlock()
	for _, name := range names {
		pricing.discount[name] = 10
	}
}

func repriceCatalog() {
	recordMe("repriceCatalog holds pricing.mu (write) waits catalog.mu (write)")
	pricing.mu.Lock() // HOLD pricing.mu (write)
	defer pricing.mu.Unlock()
	rwFirstLocksHeld.Done()
	rwFirstLocksHeld.Wait()

	catalog.mu.Lock() // WAIT catalog.mu (write)
	defer catalog.mu.Unlock()
	for name, price := range catalog.products {
		catalog.products[name] = price * (100 - pricing.discount[name]) / 100
	}
}

func listProducts() int {
	recordMe("listProducts waits catalog.mu (read), behind the writer")
	catalog.mu.RLock() // WAIT catalog.mu (read)
	defer catalog.mu.RUnlock()
	return len(catalog.products)
}

func rwmutexCycle() {
	record("lock catalog.mu %p", &catalog.mu)
	record("lock pricing.mu %p", &pricing.mu)
	rwFirstLocksHeld.Add(2)
	go refreshPrices()
	go repriceCatalog()
	rwFirstLocksHeld.Wait()
	time.Sleep(50 * time.Millisecond) // the writer is queued on catalog.mu
	go listProducts()
	dumpWhenStuck(300*time.Millisecond, 0)
}
