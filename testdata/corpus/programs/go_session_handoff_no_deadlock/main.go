// A request handler looks a session up into a local, locks it and passes it
// down to a slow persist (45 s of "disk"); the expiry sweeper and a second
// request wait for that session's lock and will get it when persist returns.
package main

import (
	"sync"
	"time"
)

type Session struct {
	User    string
	mu      sync.Mutex
	expires time.Time
	data    map[string]string
}

var sessions = map[string]*Session{}

func handle(user string) {
	sess := sessions[user]
	sess.mu.Lock()
	truthHold(&sess.mu, "write")
	defer sess.mu.Unlock()
	persist(sess)
}

func persist(s *Session) {
	s.data["saved"] = "yes"
	time.Sleep(45 * time.Second)
}

func touch(s *Session) {
	truthWait(&s.mu, "write")
	s.mu.Lock()
	s.expires = time.Now().Add(time.Hour)
	s.mu.Unlock()
}

func sweep() {
	for _, user := range []string{"alice"} {
		truthNotStuck("persist returns after 45 s and unlocks the session")
		touch(sessions[user])
	}
}

func main() {
	truthIdiom("lock taken in the caller through a local and passed down; the holder sleeps 45 s, waiters will be served")
	for _, u := range []string{"alice", "bob"} {
		sessions[u] = &Session{User: u, data: map[string]string{}}
		truthLock(&sessions[u].mu, "sessions["+u+"].mu", "mutex")
	}
	go handle("alice")
	time.Sleep(200 * time.Millisecond)
	go sweep()
	go func() {
		s := sessions["alice"]
		truthNotStuck("persist returns after 45 s and unlocks the session")
		touch(s)
	}()
	truthDeadlock(false)
	truthReady()
	time.Sleep(time.Hour)
}
