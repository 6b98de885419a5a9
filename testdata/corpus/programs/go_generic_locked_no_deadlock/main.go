// A generic Locked[T] guards values kept in a slice (accts[i].mu). Every
// transfer locks the lower index first, whatever direction it moves money:
// no cycle. One transfer holds both accounts through a 45 s review; two
// more wait (not stuck).
package main

import (
	"fmt"
	"sync"
	"time"
)

type Locked[T any] struct {
	mu  sync.Mutex
	val T
}

func (l *Locked[T]) Lock()   { l.mu.Lock() } // line lockedLockLine
func (l *Locked[T]) Unlock() { l.mu.Unlock() }

type Account struct {
	owner   string
	balance int64
}

var accts = make([]Locked[Account], 3)

// lockedLockLine is the line of Locked[T].Lock's l.mu.Lock() call: a method
// expression of a generic method is a closure, so truthWaitIn cannot find it.
const lockedLockLine = 18

func truthWaitLine(lock any, mode string, line int) {
	fmt.Printf("TRUTH wait task=%s addr=%p mode=%s file=main.go line=%d\n", gid(), lock, mode, line)
}

func transfer(from, to int, amount int64, review time.Duration) {
	lo, hi := from, to
	if hi < lo {
		lo, hi = hi, lo
	}
	waiter := review == 0
	truthNotStuckIf(waiter, "the reviewing transfer releases both accounts after 45 s")
	if waiter {
		truthWaitLine(&accts[lo].mu, "write", lockedLockLine)
	}
	accts[lo].Lock()
	truthHold(&accts[lo].mu, "write")
	defer accts[lo].Unlock()
	accts[hi].mu.Lock()
	truthHold(&accts[hi].mu, "write")
	defer accts[hi].mu.Unlock()
	accts[from].val.balance -= amount
	accts[to].val.balance += amount
	time.Sleep(review)
}

func main() {
	truthIdiom("Go: generic Locked[T] in slice elements accts[i].mu, locks ordered by index: waiters, no cycle")
	for i := range accts {
		accts[i].val = Account{owner: fmt.Sprint("acct", i), balance: 100}
		truthLock(&accts[i].mu, fmt.Sprintf("accts[%d].mu", i), "mutex")
	}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); transfer(2, 0, 30, 45*time.Second) }()
	time.Sleep(200 * time.Millisecond)
	go func() { defer wg.Done(); transfer(0, 2, 10, 0) }()
	go func() { defer wg.Done(); transfer(1, 0, 5, 0) }()
	truthDeadlock(false)
	truthReady()
	wg.Wait()
	fmt.Println("all transfers booked")
}
