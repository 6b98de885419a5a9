// self_deadlock: a goroutine locks the same sync.Mutex twice (Go mutexes are
// not reentrant). (*SessionStore).ExpireOlderThan holds sessions.mu and calls
// (*SessionStore).Len, which locks sessions.mu again. Served with
// net/http/pprof so the process stays up.
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

type SessionStore struct {
	mu       sync.Mutex
	sessions map[string]time.Time
}

var sessions = &SessionStore{sessions: map[string]time.Time{}}

func (s *SessionStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

func (s *SessionStore) ExpireOlderThan(cutoff time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	expired := 0
	for id, seen := range s.sessions {
		if seen.Before(cutoff) {
			delete(s.sessions, id)
			expired++
		}
	}
	log.Printf("expired %d sessions, %d left", expired, s.Len()) // locks s.mu again
	return expired
}

func janitor(store *SessionStore) {
	store.ExpireOlderThan(time.Now().Add(-30 * time.Minute))
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addr-file", "", "write the bound address here")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	now := time.Now()
	for i := 0; i < 8; i++ {
		sessions.sessions[fmt.Sprintf("sess-%02d", i)] = now.Add(-time.Duration(i*10) * time.Minute)
	}
	http.HandleFunc("/sessions", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d sessions\n", sessions.Len())
	})
	go janitor(sessions)

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
