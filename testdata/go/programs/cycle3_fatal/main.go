// cycle3_fatal: a 3-cycle of mutexes between three goroutines.
//
//	reserveThenBill: inventory.mu -> billing.mu
//	billThenShip:    billing.mu   -> shipping.mu
//	shipThenReserve: shipping.mu  -> inventory.mu
//
// A barrier makes sure all three first locks are held before anyone asks for
// a second lock. main waits for the workers, so the runtime reports
// "fatal error: all goroutines are asleep - deadlock!". Run with GOTRACEBACK=all.
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

type Shipping struct {
	mu        sync.Mutex
	scheduled map[string]bool
}

// Heap-allocated (pointers): their mutexes live at 0xc000... addresses.
var (
	inventory = &Inventory{reserved: map[string]int{}}
	billing   = &Billing{charged: map[string]int{}}
	shipping  = &Shipping{scheduled: map[string]bool{}}

	firstLocksHeld sync.WaitGroup
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

func billThenShip(order string) {
	defer workers.Done()
	billing.mu.Lock()
	billing.charged[order] += 100
	firstLocksHeld.Done()
	firstLocksHeld.Wait()
	shipping.mu.Lock()
	shipping.scheduled[order] = true
	shipping.mu.Unlock()
	billing.mu.Unlock()
}

func shipThenReserve(order string) {
	defer workers.Done()
	shipping.mu.Lock()
	shipping.scheduled[order] = true
	firstLocksHeld.Done()
	firstLocksHeld.Wait()
	inventory.mu.Lock()
	inventory.reserved[order]++
	inventory.mu.Unlock()
	shipping.mu.Unlock()
}

func main() {
	firstLocksHeld.Add(3)
	workers.Add(3)
	go reserveThenBill("order-2001")
	go billThenShip("order-2002")
	go shipThenReserve("order-2003")
	workers.Wait()
	fmt.Println("unreachable: orders processed")
}
