// rwmutex: a deadlock through sync.RWMutex in a server that serves
// net/http/pprof.
//
//	refreshPrices  (G1): catalog.mu.RLock()  held, then wants pricing.mu.Lock()
//	repriceCatalog (G2): pricing.mu.Lock()   held, then wants catalog.mu.Lock()
//
// G2's catalog.mu.Lock() waits for the reader G1 to leave; G1 waits for the
// writer G2 on pricing.mu: a 2-cycle. Afterwards listProducts (G3) calls
// catalog.mu.RLock(); because a writer (G2) is pending, the new reader blocks
// too, behind the cycle (it is not part of it).
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

type Catalog struct {
	mu       sync.RWMutex
	products map[string]int // product -> price in cents
}

type Pricing struct {
	mu       sync.RWMutex
	discount map[string]int
}

var (
	catalog = &Catalog{products: map[string]int{"widget": 1999, "gadget": 4999}}
	pricing = &Pricing{discount: map[string]int{}}

	firstLocksHeld sync.WaitGroup
)

func refreshPrices() {
	catalog.mu.RLock()
	defer catalog.mu.RUnlock()
	names := make([]string, 0, len(catalog.products))
	for name := range catalog.products {
		names = append(names, name)
	}
	firstLocksHeld.Done()
	firstLocksHeld.Wait()

	pricing.mu.Lock()
	defer pricing.mu.Unlock()
	for _, name := range names {
		pricing.discount[name] = 10
	}
}

func repriceCatalog() {
	pricing.mu.Lock()
	defer pricing.mu.Unlock()
	firstLocksHeld.Done()
	firstLocksHeld.Wait()

	catalog.mu.Lock()
	defer catalog.mu.Unlock()
	for name, price := range catalog.products {
		catalog.products[name] = price * (100 - pricing.discount[name]) / 100
	}
}

func listProducts() int {
	catalog.mu.RLock()
	defer catalog.mu.RUnlock()
	return len(catalog.products)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/products", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d products\n", listProducts())
	})

	firstLocksHeld.Add(2)
	go refreshPrices()
	go repriceCatalog()
	firstLocksHeld.Wait()
	// Let G2 become a pending writer on catalog.mu, then start a reader.
	time.Sleep(300 * time.Millisecond)
	go listProducts()

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
