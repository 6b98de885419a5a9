// A sharded map: snapshot locks every shard in a loop (and defers each
// unlock); migrate holds the shard of one key and moves it into shard 0.
// snapshot holds shards 0 and 1 and waits for shard 2 inside the same loop.
package main

import (
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

type Shard struct {
	mu sync.Mutex
	m  map[string]int
}

var shards [4]Shard

func shardFor(key string) *Shard {
	h := fnv.New32a()
	h.Write([]byte(key))
	return &shards[h.Sum32()%uint32(len(shards))]
}

func snapshot(busy *Shard) map[string]int {
	out := map[string]int{}
	for i := range shards {
		truthWaitIf(&shards[i] == busy, &shards[i].mu, "write")
		shards[i].mu.Lock()
		truthHold(&shards[i].mu, "write")
		defer shards[i].mu.Unlock()
		for k, v := range shards[i].m {
			out[k] = v
		}
	}
	return out
}

func migrate(key string, locked chan<- string, proceed <-chan struct{}) {
	src := shardFor(key)
	src.mu.Lock()
	truthHold(&src.mu, "write")
	defer src.mu.Unlock()
	locked <- gid()
	<-proceed
	v := src.m[key]
	delete(src.m, key)
	truthWait(&shards[0].mu, "write")
	shards[0].mu.Lock()
	shards[0].m[key] = v
	shards[0].mu.Unlock()
}

func main() {
	truthIdiom("locks taken in a loop over an array of shards (defer in the loop) against a key migration")
	for i := range shards {
		shards[i].m = map[string]int{}
		truthLock(&shards[i].mu, fmt.Sprintf("shards[%d].mu", i), "mutex")
	}
	key := ""
	for n := 7; shardFor(key) != &shards[2]; n++ {
		key = fmt.Sprintf("user:%d", n)
	}
	shards[2].m[key] = 1
	locked, proceed := make(chan string, 1), make(chan struct{})
	go migrate(key, locked, proceed)
	m := <-locked
	s := make(chan string, 1)
	go func() { s <- gid(); snapshot(&shards[2]) }()
	snap := <-s
	time.Sleep(300 * time.Millisecond) // snapshot holds 0 and 1 and waits for 2
	close(proceed)
	truthCycle(snap, m)
	truthDeadlock(true)
	truthReady()
	time.Sleep(time.Hour)
}
