// A method on the account moves money: a.TransferTo(b) locks a.mu, then
// deposits into b, which locks b.mu. Two goroutine literals capture the two
// accounts crosswise.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Account struct {
	Owner   string
	mu      sync.Mutex
	balance int
	history []string
}

// cutoff: both transfers debit their own account before either credits.
var cutoff sync.WaitGroup

func (a *Account) TransferTo(b *Account, amount int) error {
	a.mu.Lock()
	truthHold(&a.mu, "write")
	defer a.mu.Unlock()
	if a.balance < amount {
		return fmt.Errorf("%s: insufficient funds", a.Owner)
	}
	a.balance -= amount
	cutoff.Done()
	cutoff.Wait()
	b.deposit(a.Owner, amount)
	return nil
}

func (a *Account) deposit(from string, amount int) {
	truthWait(&a.mu, "write")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += amount
	a.history = append(a.history, from)
}

func main() {
	truthIdiom("same method, different receivers: a.TransferTo(b) and b.TransferTo(a) from goroutine literals")
	alice := &Account{Owner: "alice", balance: 120}
	bob := &Account{Owner: "bob", balance: 75}
	truthLock(&alice.mu, "alice.mu", "mutex")
	truthLock(&bob.mu, "bob.mu", "mutex")
	cutoff.Add(2)
	ids := make(chan string, 2)
	go func() {
		ids <- gid()
		if err := alice.TransferTo(bob, 30); err != nil {
			fmt.Println(err)
		}
	}()
	go func() {
		ids <- gid()
		if err := bob.TransferTo(alice, 10); err != nil {
			fmt.Println(err)
		}
	}()
	truthCycle(<-ids, <-ids)
	truthDeadlock(true)
	truthReady()
	for {
		time.Sleep(time.Minute)
	}
}
