// cycle2_fatal: lock-order inversion between two goroutines (a 2-cycle).
//
// reserveThenBill takes inventory.mu then billing.mu; billThenReserve takes
// billing.mu then inventory.mu. A barrier makes sure both first locks are
// held before either goroutine asks for its second lock, so the deadlock is
// certain. main then waits for both workers, so every goroutine is blocked and
// the runtime reports "fatal error: all goroutines are asleep - deadlock!".
//
// Run with GOTRACEBACK=all to get every goroutine in the report.
package main

import (
	"fmt"
	"sync"
)

type Inventory struct {
	mu       sync.Mutex
	reserved map[string]int
}

type Billing struct {
	mu      sync.Mutex
	charged map[string]int
}

// Package-level values: their mutexes live in the data segment.
var (
	inventory Inventory
	billing   Billing

	firstLocksHeld sync.WaitGroup // barrier: both first locks are taken
	workers        sync.WaitGroup
)

func reserveThenBill(order string) {
	defer workers.Done()
	inventory.mu.Lock()
	inventory.reserved[order]++
	firstLocksHeld.Done()
	firstLocksHeld.Wait()
	billing.mu.Lock()
	billing.charged[order] += 100
	billing.mu.Unlock()
	inventory.mu.Unlock()
}

func billThenReserve(order string) {
	defer workers.Done()
	billing.mu.Lock()
	billing.charged[order] += 100
	firstLocksHeld.Done()
	firstLocksHeld.Wait()
	inventory.mu.Lock()
	inventory.reserved[order]++
	inventory.mu.Unlock()
	billing.mu.Unlock()
}

func main() {
	inventory.reserved = map[string]int{}
	billing.charged = map[string]int{}
	firstLocksHeld.Add(2)
	workers.Add(2)
	go reserveThenBill("order-1001")
	go billThenReserve("order-1002")
	workers.Wait()
	fmt.Println("unreachable: orders processed")
}
