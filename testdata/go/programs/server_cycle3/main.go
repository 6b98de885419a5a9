// server_cycle3: a 3-cycle of mutexes between three worker goroutines of a
// long-running HTTP server that serves net/http/pprof.
//
//	(*OrderService).reserveThenBill: inventory.mu -> billing.mu
//	(*OrderService).billThenShip:    billing.mu   -> shipping.mu
//	(*OrderService).shipThenReserve: shipping.mu  -> inventory.mu
//
// The workers are started by (*OrderService).Start.
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

type Shipping struct {
	mu        sync.Mutex
	scheduled map[string]bool
}

type OrderService struct {
	inventory *Inventory
	billing   *Billing
	shipping  *Shipping

	firstLocksHeld sync.WaitGroup
}

func (s *OrderService) reserveThenBill(order string) {
	s.inventory.mu.Lock()
	s.inventory.reserved[order]++
	s.firstLocksHeld.Done()
	s.firstLocksHeld.Wait()
	s.billing.mu.Lock()
	s.billing.charged[order] += 100
	s.billing.mu.Unlock()
	s.inventory.mu.Unlock()
}

func (s *OrderService) billThenShip(order string) {
	s.billing.mu.Lock()
	s.billing.charged[order] += 100
	s.firstLocksHeld.Done()
	s.firstLocksHeld.Wait()
	s.shipping.mu.Lock()
	s.shipping.scheduled[order] = true
	s.shipping.mu.Unlock()
	s.billing.mu.Unlock()
}

func (s *OrderService) shipThenReserve(order string) {
	s.shipping.mu.Lock()
	s.shipping.scheduled[order] = true
	s.firstLocksHeld.Done()
	s.firstLocksHeld.Wait()
	s.inventory.mu.Lock()
	s.inventory.reserved[order]++
	s.inventory.mu.Unlock()
	s.shipping.mu.Unlock()
}

func (s *OrderService) Start() {
	s.firstLocksHeld.Add(3)
	go s.reserveThenBill("order-3001")
	go s.billThenShip("order-3002")
	go s.shipThenReserve("order-3003")
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	svc := &OrderService{
		inventory: &Inventory{reserved: map[string]int{}},
		billing:   &Billing{charged: map[string]int{}},
		shipping:  &Shipping{scheduled: map[string]bool{}},
	}
	svc.Start()
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})

	time.Sleep(200 * time.Millisecond)
	// Two GCs: a GC stamps blocked goroutines with the previous cycle's
	// start time, which is what the ", N minutes" header field measures.
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
