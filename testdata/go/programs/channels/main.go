// channels: five goroutines, each stuck forever in a different way that does
// not involve a mutex, in a server that serves net/http/pprof:
//
//	nil_chan             (*Watcher).run ranges over a nil channel (field never initialised)
//	select_nocases       keepAlive does `select {}`
//	send_no_receiver     (*Publisher).publish sends on an unbuffered channel nobody reads
//	range_unclosed       consumeJobs ranges over a channel its producer never closes
//	waitgroup_never_done awaitShards waits for a shard that returned without Done
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

// nil_chan
type Event struct{ Name string }

type Watcher struct {
	events chan Event // never initialised: nil
	seen   int
}

func (w *Watcher) run() {
	for ev := range w.events {
		w.seen++
		log.Printf("config event %s", ev.Name)
	}
}

// select_nocases
func keepAlive() {
	select {}
}

// send_no_receiver
type Publisher struct {
	out chan string // unbuffered; the subscriber was never started
}

func (p *Publisher) publish(msg string) {
	p.out <- msg
}

// range_unclosed
func produceJobs(jobs chan<- int) {
	for i := 1; i <= 3; i++ {
		jobs <- i
	}
	// forgot close(jobs)
}

func consumeJobs(jobs <-chan int) {
	total := 0
	for j := range jobs {
		total += j
	}
	log.Printf("processed jobs, total %d", total)
}

// waitgroup_never_done
func loadShard(id int, wg *sync.WaitGroup) error {
	if id == 2 {
		return fmt.Errorf("shard %d unavailable", id) // returns without wg.Done()
	}
	wg.Done()
	return nil
}

func awaitShards() {
	var wg sync.WaitGroup
	wg.Add(3)
	for id := 1; id <= 3; id++ {
		go loadShard(id, &wg)
	}
	wg.Wait()
	log.Printf("all shards loaded")
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})

	w := &Watcher{}
	go w.run()
	go keepAlive()
	p := &Publisher{out: make(chan string)}
	go p.publish("user.created")
	jobs := make(chan int)
	go produceJobs(jobs)
	go consumeJobs(jobs)
	go awaitShards()

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
