// An audit log writer ranges over its channel until it is closed; the
// producer returns without closing it. A metrics drain ranges over a channel
// that nobody ever sends to or closes. Both wait forever, no lock involved.
package main

import (
	"fmt"
	"strings"
)

type AuditLog struct {
	lines []string
	done  chan struct{}
}

func (a *AuditLog) writer(in <-chan string) {
	truthStuck("range over a channel that is never closed, the producer has returned")
	for line := range in {
		a.lines = append(a.lines, strings.ToUpper(line))
	}
	close(a.done)
}

func produce(out chan<- string) {
	for _, ev := range []string{"login alice", "logout alice"} {
		out <- ev
	}
	// forgot: close(out)
}

func drainMetrics(samples <-chan float64) (sum float64) {
	truthStuck("range over a channel nobody sends to or closes")
	for v := range samples {
		sum += v
	}
	return sum
}

func main() {
	truthIdiom("for v := range ch on channels nobody closes (and one nobody sends to)")
	log := &AuditLog{done: make(chan struct{})}
	events := make(chan string)
	go log.writer(events)
	produce(events)
	go drainMetrics(make(chan float64))
	truthDeadlock(false)
	truthReady()
	truthBehind("<-log.done: the writer never finishes")
	<-log.done
	fmt.Println(len(log.lines))
}
