// Four philosophers around a table, forks in a slice: each goroutine literal
// captures its seat and picks up the left fork, then the right one. A cycle
// of four.
package main

import (
	"fmt"
	"sync"
	"time"
)

type Fork struct {
	mu   sync.Mutex
	uses int
}

func main() {
	truthIdiom("dining philosophers: closures lock forks[i] then forks[(i+1)%4], a cycle of four")
	const seats = 4
	forks := make([]Fork, seats)
	for i := range forks {
		truthLock(&forks[i].mu, fmt.Sprintf("forks[%d].mu", i), "mutex")
	}
	var seated sync.WaitGroup
	seated.Add(seats)
	ids := make([]chan string, seats)
	for i := 0; i < seats; i++ {
		i := i
		ids[i] = make(chan string, 1)
		go func() {
			left, right := &forks[i], &forks[(i+1)%seats]
			left.mu.Lock()
			truthHold(&left.mu, "write")
			ids[i] <- gid()
			seated.Done()
			seated.Wait()
			truthWait(&right.mu, "write")
			right.mu.Lock()
			left.uses++
			right.uses++
			right.mu.Unlock()
			left.mu.Unlock()
		}()
	}
	// philosopher i waits for fork i+1, held by philosopher i+1
	truthCycle(<-ids[0], <-ids[1], <-ids[2], <-ids[3])
	truthDeadlock(true)
	truthReady()
	time.Sleep(time.Hour)
}
