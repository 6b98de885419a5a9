// server_cycle2: a lock-order inversion (2-cycle) inside a long-running HTTP
// server that also serves net/http/pprof. Because the HTTP listener keeps a
// goroutine in IO wait, the runtime never declares a deadlock; the two order
// workers just hang forever. Both workers use `defer x.mu.Unlock()` right
// after Lock.
//
// Flags: -addr (default 127.0.0.1:0, i.e. a random free port) and -addr-file,
// a file that receives the address actually bound once the deadlock is set up.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sync"
	"time"
)

type Inventory struct {
	mu       sync.Mutex
	reserved map[string]int
}

type Billing struct {
	mu      sync.Mutex
	charged map[string]int
}

var (
	inventory = &Inventory{reserved: map[string]int{}}
	billing   = &Billing{charged: map[string]int{}}

	firstLocksHeld sync.WaitGroup
)

func reserveThenBill(order string) {
	inventory.mu.Lock()
	defer inventory.mu.Unlock()
	inventory.reserved[order]++
	firstLocksHeld.Done()
	firstLocksHeld.Wait()

	billing.mu.Lock()
	defer billing.mu.Unlock()
	billing.charged[order] += 100
}

func billThenReserve(order string) {
	billing.mu.Lock()
	defer billing.mu.Unlock()
	billing.charged[order] += 100
	firstLocksHeld.Done()
	firstLocksHeld.Wait()

	inventory.mu.Lock()
	defer inventory.mu.Unlock()
	inventory.reserved[order]++
}

func handleOrders(w http.ResponseWriter, r *http.Request) {
	inventory.mu.Lock()
	n := len(inventory.reserved)
	inventory.mu.Unlock()
	fmt.Fprintf(w, "%d orders\n", n)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/orders", handleOrders)

	firstLocksHeld.Add(2)
	go reserveThenBill("order-1001")
	go billThenReserve("order-1002")

	// Give the workers time to block, then run two GCs: the runtime only
	// records when a goroutine started waiting (for the ", N minutes" field
	// of the traceback header) when a GC scans it, and the first GC stamps
	// it with the previous cycle's start time, which is 0 in a fresh process.
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	runtime.GC()

	if *addrFile != "" {
		if err := os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("listening on http://%s/\n", ln.Addr()) // stdout: stderr is kept for the runtime
	log.Fatal(http.Serve(ln, nil))
}
