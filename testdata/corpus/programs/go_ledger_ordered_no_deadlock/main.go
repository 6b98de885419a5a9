// The same move(src, dst) called with reversed arguments, but it locks the
// lower account id first: no cycle. One transfer holds both ledgers during a
// 45 s audit; the other two wait and will get their turn.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Ledger struct {
	ID      int
	mu      sync.Mutex
	entries []int64
}

func ordered(a, b *Ledger) (*Ledger, *Ledger) {
	if a.ID < b.ID {
		return a, b
	}
	return b, a
}

func move(src, dst *Ledger, amount int64, audit time.Duration) {
	first, second := ordered(src, dst)
	waiter := audit == 0
	truthNotStuckIf(waiter, "the auditing transfer releases both ledgers after 45 s")
	truthWaitIf(waiter, &first.mu, "write")
	first.mu.Lock()
	truthHold(&first.mu, "write")
	defer first.mu.Unlock()
	second.mu.Lock()
	truthHold(&second.mu, "write")
	defer second.mu.Unlock()
	src.entries = append(src.entries, -amount)
	dst.entries = append(dst.entries, amount)
	time.Sleep(audit)
}

func main() {
	truthIdiom("same function, reversed arguments, but locks ordered by id: waiters, no cycle")
	ledgers := []*Ledger{{ID: 1}, {ID: 2}, {ID: 3}}
	for i, l := range ledgers {
		truthLock(&l.mu, fmt.Sprintf("ledgers[%d].mu", i), "mutex")
	}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); move(ledgers[0], ledgers[1], 40, 45*time.Second) }()
	time.Sleep(200 * time.Millisecond)
	go func() { defer wg.Done(); move(ledgers[1], ledgers[0], 15, 0) }()
	go func() { defer wg.Done(); move(ledgers[2], ledgers[1], 5, 0) }()
	truthDeadlock(false)
	truthReady()
	wg.Wait()
	fmt.Println("all transfers booked")
}
