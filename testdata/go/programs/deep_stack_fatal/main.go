// deep_stack_fatal: the cycle2_fatal lock-order inversion plus an auditor
// goroutine that is 150 calls deep in a recursive walk when it blocks on
// inventory.mu (held by reserveThenBill, which is part of the cycle). Its
// traceback is longer than the runtime prints in full: Go <= 1.20 prints the
// first 100 frames and "...additional frames elided..."; Go 1.21+ prints the
// first 50, "...N frames elided..." and the last 50.
//
// Run with GOTRACEBACK=all; the runtime reports
// "fatal error: all goroutines are asleep - deadlock!".
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

type Category struct {
	name     string
	children []*Category
}

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

// walkCategory descends depth levels, then reads the reservation count for
// the category under inventory.mu.
func walkCategory(c *Category, depth int) int {
	if depth == 0 {
		inventory.mu.Lock()
		defer inventory.mu.Unlock()
		return inventory.reserved[c.name]
	}
	return walkCategory(c, depth-1) + 1
}

func auditCategories(root *Category) {
	defer workers.Done()
	firstLocksHeld.Wait() // start once both order workers hold their first lock
	n := walkCategory(root, 150)
	fmt.Println("audited", root.name, n)
}

func main() {
	inventory.reserved = map[string]int{}
	billing.charged = map[string]int{}
	firstLocksHeld.Add(2)
	workers.Add(3)
	go reserveThenBill("order-1001")
	go billThenReserve("order-1002")
	go auditCategories(&Category{name: "electronics"})
	workers.Wait()
	fmt.Println("unreachable: orders processed")
}
