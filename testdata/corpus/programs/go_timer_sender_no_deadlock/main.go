// Waiters whose wake-up is on its way: a config watcher receives from a
// channel that a 60 s timer will send to, a batcher selects on a ticker, and
// a shutdown waits on a WaitGroup whose Done comes from a timer callback.
package main

import (
	"sync"
	"time"
)

type Config struct{ version int }

func watch(updates <-chan Config) {
	truthNotStuck("a time.AfterFunc sends the new config after 60 s")
	cfg := <-updates
	_ = cfg
}

func batch(flush *time.Ticker, items <-chan string) {
	var buf []string
	for {
		truthNotStuck("the 60 s ticker fires")
		select {
		case it := <-items:
			buf = append(buf, it)
		case <-flush.C:
			buf = buf[:0]
		}
	}
}

func main() {
	truthIdiom("channel and WaitGroup waits that a timer will satisfy after 60 s: nothing is stuck")
	updates := make(chan Config)
	time.AfterFunc(60*time.Second, func() { updates <- Config{version: 2} })
	go watch(updates)
	go batch(time.NewTicker(60*time.Second), make(chan string))
	var pending sync.WaitGroup
	pending.Add(1)
	time.AfterFunc(60*time.Second, pending.Done)
	go func() {
		truthNotStuck("a time.AfterFunc calls Done after 60 s")
		pending.Wait()
	}()
	truthDeadlock(false)
	truthReady()
	time.Sleep(time.Hour)
}
