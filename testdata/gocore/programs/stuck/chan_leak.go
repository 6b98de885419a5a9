package main

// chan_leak: goroutines parked on channels. Some can never be woken, because no
// goroutine that can still run (and no global variable) can reach their
// channel; the others can:
//
//	leaked   fetchQuote's senders (x20): the caller timed out and dropped the channel
//	leaked   sumResults: ranges over a channel its producer never closes and dropped
//	leaked   flushBatch: sends on a full buffered channel nobody else holds
//	live     awaitShutdown: receives from shutdown, a package variable
//	live     awaitTick: receives from a channel a sleeping goroutine will send on
//	live     awaitEither: selects on a dropped channel and on shutdown

import (
	"time"
)

type Quote struct {
	Symbol string
	Cents  int
}

var shutdown = make(chan struct{})

// fetchQuote waits 5 ms for a quote, then gives up and drops the channel.
func fetchQuote(symbol string) {
	quotes := make(chan Quote)
	record("channel quotes %s %p", symbol, quotes)
	go lookupQuote(symbol, quotes)
	select {
	case q := <-quotes:
		_ = q
	case <-time.After(5 * time.Millisecond):
	}
}

func lookupQuote(symbol string, quotes chan<- Quote) {
	recordMe("lookupQuote sends on quotes " + symbol + " (leaked)")
	time.Sleep(30 * time.Millisecond)
	quotes <- Quote{symbol, 100} // WAIT chan send, leaked
}

func produceResults(results chan<- int) {
	for i := 1; i <= 3; i++ {
		results <- i
	}
	// forgot close(results)
}

func sumResults(results <-chan int) {
	recordMe("sumResults receives from results (leaked)")
	total := 0
	for r := range results { // WAIT chan receive, leaked
		total += r
	}
	_ = total
}

func flushBatch(batch chan<- int) {
	recordMe("flushBatch sends on a full batch (leaked)")
	for i := 0; ; i++ {
		batch <- i // WAIT chan send, leaked (buffer of 4 full)
	}
}

func awaitShutdown() {
	recordMe("awaitShutdown receives from shutdown (live: a global)")
	<-shutdown // WAIT chan receive, live
}

func awaitTick(tick <-chan int) {
	recordMe("awaitTick receives from tick (live: a sleeper holds it)")
	<-tick // WAIT chan receive, live
}

func sleepThenTick(tick chan<- int) {
	recordMe("sleepThenTick sleeps, then sends on tick")
	time.Sleep(time.Hour)
	tick <- 1
}

func awaitEither(dropped <-chan int) {
	recordMe("awaitEither selects on a dropped channel and shutdown (live)")
	select { // WAIT select, live through shutdown
	case <-dropped:
	case <-shutdown:
	}
}

func chanLeak() {
	record("channel shutdown %p", shutdown)
	for _, s := range []string{"AAPL", "GOOG", "MSFT", "AMZN", "META", "NFLX", "NVDA", "INTC", "AMD", "IBM",
		"ORCL", "CSCO", "QCOM", "TXN", "ADBE", "CRM", "PYPL", "UBER", "LYFT", "SNAP"} {
		fetchQuote(s)
	}
	results := make(chan int)
	record("channel results %p", results)
	go produceResults(results)
	go sumResults(results)
	batch := make(chan int, 4)
	record("channel batch %p", batch)
	go flushBatch(batch)
	go awaitShutdown()
	tick := make(chan int)
	record("channel tick %p", tick)
	go sleepThenTick(tick)
	go awaitTick(tick)
	go awaitEither(make(chan int))
	dumpWhenStuck(300*time.Millisecond, 0)
}
