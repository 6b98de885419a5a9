// Two transfers call the same function move(src, dst) with the accounts
// reversed: each locks its src, then waits for its dst.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	ID      int
	mu      sync.Mutex
	balance int64
}

var accounts = []*Account{{ID: 100, balance: 500}, {ID: 200, balance: 800}}

// settle keeps both transfers between their two Lock calls at the same time.
var settle sync.WaitGroup

func move(src, dst *Account, amount int64, started chan<- string) {
	src.mu.Lock()
	truthHold(&src.mu, "write")
	defer src.mu.Unlock()
	started <- gid()
	settle.Done()
	settle.Wait()
	truthWait(&dst.mu, "write")
	dst.mu.Lock()
	defer dst.mu.Unlock()
	src.balance -= amount
	dst.balance += amount
}

func main() {
	truthIdiom("same function, different objects: move(src,dst) called with arguments reversed")
	for i, a := range accounts {
		truthLock(&a.mu, fmt.Sprintf("accounts[%d].mu", i), "mutex")
	}
	var done sync.WaitGroup
	started := make(chan string, 2)
	settle.Add(2)
	done.Add(2)
	go func() { defer done.Done(); move(accounts[0], accounts[1], 50, started) }()
	go func() { defer done.Done(); move(accounts[1], accounts[0], 20, started) }()
	a, b := <-started, <-started
	truthCycle(a, b)
	truthDeadlock(true)
	truthReady()
	truthBehind("done.Wait() for two deadlocked transfers")
	done.Wait()
	fmt.Println(accounts[0].balance, accounts[1].balance)
}
