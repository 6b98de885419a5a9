// leak: 500 goroutines stuck forever sending on an unbuffered channel that
// nobody receives from (the dispatcher loop was never started). Served with
// net/http/pprof.
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
	"time"
)

const signups = 500

type Notification struct {
	UserID int
	Email  string
}

type Notifier struct {
	queue chan Notification // unbuffered; (*Notifier).dispatch is never started
}

func (n *Notifier) notify(userID int) {
	n.queue <- Notification{UserID: userID, Email: fmt.Sprintf("user%d@example.com", userID)}
}

func (n *Notifier) dispatch() {
	for note := range n.queue {
		log.Printf("sending welcome mail to %s", note.Email)
	}
}

func handleSignups(n *Notifier, count int) {
	for id := 1; id <= count; id++ {
		go n.notify(id)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	n := &Notifier{queue: make(chan Notification)}
	handleSignups(n, signups)

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
