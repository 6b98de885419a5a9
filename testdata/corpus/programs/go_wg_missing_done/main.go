// A crawler adds one WaitGroup count per URL; fetch returns early for
// unsupported schemes before its deferred Done is registered, so Wait never
// returns. No lock is involved.
package main

import (
	"strings"
	"sync"
	"time"
)

type Crawler struct {
	mu    sync.Mutex
	pages map[string]int
}

func (c *Crawler) fetch(url string, wg *sync.WaitGroup) {
	if !strings.HasPrefix(url, "http") {
		return // leaks the WaitGroup count
	}
	defer wg.Done()
	c.mu.Lock()
	c.pages[url] = len(url)
	c.mu.Unlock()
}

func (c *Crawler) crawl(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go c.fetch(u, &wg)
	}
	truthStuck("wg.Wait(): a fetch returned without calling Done")
	wg.Wait()
}

func main() {
	truthIdiom("wg.Wait() where the goroutine that would call Done has exited without it")
	c := &Crawler{pages: map[string]int{}}
	go c.crawl([]string{"http://a.example/", "ftp://files.example/", "https://b.example/"})
	truthDeadlock(false)
	truthReady()
	time.Sleep(time.Hour)
}
