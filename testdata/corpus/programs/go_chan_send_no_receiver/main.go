// Fan-out fetches report on an unbuffered channel; the collector returns at
// the first error, so the fetches that finish later block forever on their
// send. No lock is involved.
package main

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

type result struct {
	url string
	err error
}

func fetch(url string, fail bool, out chan<- result) {
	if fail {
		out <- result{url, errors.New("connection refused")}
		return
	}
	time.Sleep(100 * time.Millisecond)
	truthStuck("chan send, no receiver: the collector returned at the first error")
	out <- result{url: url}
}

func collect(in <-chan result, n int) error {
	for i := 0; i < n; i++ {
		if r := <-in; r.err != nil {
			return fmt.Errorf("%s: %w", r.url, r.err)
		}
	}
	return nil
}

func main() {
	truthIdiom("goroutines blocked on a channel send whose only receiver has returned")
	urls := []string{"http://a.example", "http://b.example", "http://c.example"}
	results := make(chan result)
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func(u string, fail bool) {
			defer wg.Done()
			fetch(u, fail, results)
		}(u, i == 0)
	}
	fmt.Println("collect:", collect(results, len(urls)))
	truthDeadlock(false)
	truthReady()
	truthBehind("wg.Wait() for fetches stuck on their send")
	wg.Wait()
}
