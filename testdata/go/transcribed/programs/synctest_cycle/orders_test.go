// Reference source for ../../go125_synctest_durable.txt (Go 1.25+ only:
// testing/synctest.Test does not exist in the Go 1.19 installed here, so this
// file is not built by capture.sh). Module path: dlanalyze/orders.
//
// The lock-order inversion of cycle2_fatal, with channel "lock tokens"
// instead of sync.Mutex: synctest treats a goroutine blocked on a channel of
// its bubble as durably blocked, but not one blocked on a sync.Mutex.
package orders

import (
	"testing"
	"testing/synctest"
)

// token is a one-slot channel used as a mutex.
type token chan struct{}

func newToken() token   { return make(token, 1) }
func (t token) lock()   { t <- struct{}{} }
func (t token) unlock() { <-t }

func reserveThenBill(inventory, billing token, ready chan<- struct{}, start <-chan struct{}) {
	inventory.lock()
	ready <- struct{}{}
	<-start
	billing.lock() // blocks: billThenReserve holds billing
	billing.unlock()
	inventory.unlock()
}

func billThenReserve(inventory, billing token, ready chan<- struct{}, start <-chan struct{}) {
	billing.lock()
	ready <- struct{}{}
	<-start
	inventory.lock() // blocks: reserveThenBill holds inventory
	inventory.unlock()
	billing.unlock()
}

func TestReserveAndBill(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inventory, billing := newToken(), newToken()
		ready, start := make(chan struct{}), make(chan struct{})
		go reserveThenBill(inventory, billing, ready, start)
		go billThenReserve(inventory, billing, ready, start)
		<-ready
		<-ready
		close(start)
		synctest.Wait() // returns once both workers are durably blocked
	})
}
