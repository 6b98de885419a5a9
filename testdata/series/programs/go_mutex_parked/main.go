// go_mutex_parked: a lock-order inversion between two goroutines in a server
// that stays alive (goroutine 1 is in http.Serve), so the two goroutines
// stay parked in [semacquire] for as long as the process runs.
//
//	(*Bank).transfer  locks accounts.mu, then (after both hold one) ledger.mu
//	(*Bank).audit     locks ledger.mu,   then accounts.mu
//
// The program writes its own ground truth to -truth FILE (UTC times): one
// "holds" and one "blocks" line per goroutine (goroutine id, mutex address as
// %p, which is what sync.(*Mutex).lockSlow prints, and the source line),
// then a "snapshot" line on every GET /truth?label=L.
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
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	truthMu   sync.Mutex
	truthFile *os.File
	started   = time.Now()
)

func truthf(format string, args ...any) {
	truthMu.Lock()
	defer truthMu.Unlock()
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	fmt.Fprintf(truthFile, "%s "+format+"\n", append([]any{now}, args...)...)
}

func goid() int {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, _ := strconv.Atoi(s[:strings.IndexByte(s, ' ')])
	return id
}

func lineAbove() int {
	_, _, line, _ := runtime.Caller(1)
	return line - 1
}

func lineBelow() int {
	_, _, line, _ := runtime.Caller(1)
	return line + 1
}

type Accounts struct {
	mu       sync.Mutex
	balances map[string]int
}

type Ledger struct {
	mu      sync.Mutex
	entries []string
}

type Bank struct {
	accounts  *Accounts
	ledger    *Ledger
	bothHold  sync.WaitGroup
	blockedAt sync.WaitGroup
}

func (b *Bank) transfer(from, to string, amount int) {
	b.accounts.mu.Lock()
	truthf("holds goroutine=%d func=main.(*Bank).transfer mutex=accounts.mu addr=%p at=main.go:%d", goid(), &b.accounts.mu, lineAbove())
	defer b.accounts.mu.Unlock()
	b.accounts.balances[from] -= amount
	b.accounts.balances[to] += amount

	b.bothHold.Done()
	b.bothHold.Wait()
	truthf("blocks goroutine=%d func=main.(*Bank).transfer mutex=ledger.mu addr=%p at=main.go:%d", goid(), &b.ledger.mu, lineBelow()+1)
	b.blockedAt.Done()
	b.ledger.mu.Lock()
	defer b.ledger.mu.Unlock()
	b.ledger.entries = append(b.ledger.entries, fmt.Sprintf("%s->%s %d", from, to, amount))
}

func (b *Bank) audit() {
	b.ledger.mu.Lock()
	truthf("holds goroutine=%d func=main.(*Bank).audit mutex=ledger.mu addr=%p at=main.go:%d", goid(), &b.ledger.mu, lineAbove())
	defer b.ledger.mu.Unlock()
	n := len(b.ledger.entries)

	b.bothHold.Done()
	b.bothHold.Wait()
	truthf("blocks goroutine=%d func=main.(*Bank).audit mutex=accounts.mu addr=%p at=main.go:%d", goid(), &b.accounts.mu, lineBelow()+1)
	b.blockedAt.Done()
	b.accounts.mu.Lock()
	defer b.accounts.mu.Unlock()
	total := 0
	for _, v := range b.accounts.balances {
		total += v
	}
	log.Printf("audit: %d entries, total %d", n, total)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	truth := flag.String("truth", "truth.txt", "ground-truth output file")
	flag.Parse()

	var err error
	if truthFile, err = os.Create(*truth); err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}

	bank := &Bank{
		accounts: &Accounts{balances: map[string]int{"alice": 100, "bob": 50}},
		ledger:   &Ledger{},
	}
	bank.bothHold.Add(2)
	bank.blockedAt.Add(2)
	go bank.transfer("alice", "bob", 30)
	go bank.audit()
	bank.blockedAt.Wait()

	// Let both reach Lock, then two GCs: the first GC after a goroutine
	// blocks stamps its wait start (with the previous cycle's start time),
	// which the ", N minutes" header field is computed from.
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	truthf("ready: both goroutines blocked; cycle transfer -> audit -> transfer")

	http.HandleFunc("/truth", func(w http.ResponseWriter, r *http.Request) {
		truthf("snapshot label=%s uptime=%s (blocked since ~0.2 s after start) NumGoroutine=%d",
			r.URL.Query().Get("label"), time.Since(started).Round(time.Millisecond), runtime.NumGoroutine())
		fmt.Fprintln(w, "ok")
	})
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
