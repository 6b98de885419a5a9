package main

// mutex_cycle: the server in small. reserveThenBill holds inventory.mu
// and waits for billing.mu; billThenReserve holds billing.mu and waits for
// inventory.mu: a 2-cycle. auditInventory waits for inventory.mu behind it.
// publishOrder sends on a channel whose only receiver gave up: leaked.

import (
	"sync"
	"time"
)

type Inventory struct {
	mu    sync.Mutex
	stock map[string]int
}

type Billing struct {
	mu      sync.Mutex
	charged map[string]int
}

var (
	inventory = &Inventory{stock: map[string]int{"widget": 3}}
	billing   = &Billing{charged: map[string]int{}}

	firstLocksHeld sync.WaitGroup
)

func reserveThenBill(item string) {
	recordMe("reserveThenBill holds inventory.mu waits billing.mu")
	inventory.mu.Lock() // HOLD inventory.mu
	defer inventory.mu.Unlock()
	inventory.stock[item]--
	firstLocksHeld.Done()
	firstLocksHeld.Wait()

	billing.mu.Lock() // WAIT billing.mu
	defer billing.mu.Unlock()
	billing.charged[item]++
}

func billThenReserve(item string) {
	recordMe("billThenReserve holds billing.mu waits inventory.mu")
	billing.mu.Lock() // HOLD billing.mu
	defer billing.mu.Unlock()
	billing.charged[item]++
	firstLocksHeld.Done()
	firstLocksHeld.Wait()

	inventory.mu.Lock() // WAIT inventory.mu
	defer inventory.mu.Unlock()
	inventory.stock[item]--
}

func auditInventory() int {
	recordMe("auditInventory waits inventory.mu")
	inventory.mu.Lock() // WAIT inventory.mu (behind the cycle)
	defer inventory.mu.Unlock()
	return len(inventory.stock)
}

type Order struct{ ID int }

// placeOrder hands the order to a publisher and waits 10 ms for its
// confirmation; on timeout it returns, and nobody ever receives from confirmed.
func placeOrder(id int) {
	confirmed := make(chan Order)
	record("channel confirmed %p", confirmed)
	go publishOrder(Order{id}, confirmed)
	select {
	case <-confirmed:
	case <-time.After(10 * time.Millisecond):
	}
}

func publishOrder(o Order, confirmed chan Order) {
	recordMe("publishOrder sends on confirmed (leaked)")
	time.Sleep(50 * time.Millisecond) // slower than placeOrder's patience
	confirmed <- o                    // WAIT chan send, leaked
}

func mutexCycle() {
	record("lock inventory.mu %p", &inventory.mu)
	record("lock billing.mu %p", &billing.mu)
	firstLocksHeld.Add(2)
	go reserveThenBill("widget")
	go billThenReserve("widget")
	firstLocksHeld.Wait()
	time.Sleep(50 * time.Millisecond)
	go auditInventory()
	placeOrder(7)
	dumpWhenStuck(300*time.Millisecond, 0)
}
