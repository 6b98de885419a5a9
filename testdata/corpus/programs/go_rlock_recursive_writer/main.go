// Quote read-locks the price book and, per item, calls price(), which
// read-locks it again. An Update arrives in between and waits for the write
// lock; Go's RWMutex queues the nested RLock behind that writer: a cycle of
// two (reader, writer). A later reader is queued behind the writer too, but
// is not part of the cycle.
package main

import (
	"sync"
	"time"
)

type PriceBook struct {
	mu     sync.RWMutex
	prices map[string]int
}

func (b *PriceBook) Quote(items []string, held chan<- string, go_ <-chan struct{}) int {
	b.mu.RLock()
	truthHold(&b.mu, "read")
	defer b.mu.RUnlock()
	held <- gid()
	<-go_
	total := 0
	for _, it := range items {
		total += b.price(it)
	}
	return total
}

func (b *PriceBook) price(item string) int {
	truthWait(&b.mu, "read")
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.prices[item]
}

func (b *PriceBook) Update(item string, p int, id chan<- string) {
	id <- gid()
	truthWait(&b.mu, "write")
	b.mu.Lock()
	defer b.mu.Unlock()
	b.prices[item] = p
}

func main() {
	truthIdiom("RWMutex: recursive RLock while a writer waits (cycle of reader and writer), plus a reader queued behind the writer")
	book := &PriceBook{prices: map[string]int{"apple": 3, "pear": 4}}
	truthLock(&book.mu, "book.mu", "rwlock")
	var wg sync.WaitGroup
	wg.Add(3)
	held, writer, late := make(chan string, 1), make(chan string, 1), make(chan string, 1)
	proceed := make(chan struct{})
	go func() { defer wg.Done(); book.Quote([]string{"apple", "pear"}, held, proceed) }()
	reader := <-held
	go func() { defer wg.Done(); book.Update("apple", 5, writer) }()
	w := <-writer
	time.Sleep(200 * time.Millisecond) // the writer is waiting now
	close(proceed)
	go func() { defer wg.Done(); late <- gid(); book.price("pear") }()
	<-late
	truthCycle(reader, w)
	truthDeadlock(true)
	truthReady()
	truthBehind("wg.Wait() for the quote, the update and the late reader")
	wg.Wait()
}
