// Two unrelated subsystems deadlock at once: an order service (inventory vs
// billing) and a chat server (rooms vs users). A report that wants the
// inventory waits behind the first cycle without being part of it.
package main

import (
	"sync"
	"time"
)

type Table struct {
	name string
	mu   sync.Mutex
	rows map[string]int
}

func newTable(name string) *Table { return &Table{name: name, rows: map[string]int{}} }

var inventory, billing = newTable("inventory"), newTable("billing")
var rooms, users = newTable("rooms"), newTable("users")

// update locks first, lets the peer take its own first lock, then locks second.
func update(first, second *Table, peer *sync.WaitGroup, id chan<- string) {
	first.mu.Lock()
	truthHold(&first.mu, "write")
	defer first.mu.Unlock()
	id <- gid()
	peer.Done()
	peer.Wait()
	second.apply("k", 1)
}

func (t *Table) apply(k string, d int) {
	truthWait(&t.mu, "write")
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rows[k] += d
}

func main() {
	truthIdiom("two independent 2-cycles in one program, plus a bystander waiting on a cycle member's lock")
	for _, t := range []*Table{inventory, billing, rooms, users} {
		truthLock(&t.mu, t.name+".mu", "mutex")
	}
	var orders, chat sync.WaitGroup
	orders.Add(2)
	chat.Add(2)
	ids := make([]chan string, 4)
	for i := range ids {
		ids[i] = make(chan string, 1)
	}
	go update(inventory, billing, &orders, ids[0])
	go update(billing, inventory, &orders, ids[1])
	go update(rooms, users, &chat, ids[2])
	go update(users, rooms, &chat, ids[3])
	a, b, c, d := <-ids[0], <-ids[1], <-ids[2], <-ids[3]
	go inventory.apply("report", 0)
	truthCycle(a, b)
	truthCycle(c, d)
	truthDeadlock(true)
	truthReady()
	time.Sleep(time.Hour)
}
