package main

// waitgroup: sync waits that no goroutine will end.
//
//	awaitShards   WaitGroup.Wait on a local WaitGroup; shard 2 returned without Done: leaked
//	awaitWorkers  WaitGroup.Wait on pending, a package variable, never Done: stuck, but reachable
//	lockOrphan    Mutex.Lock on cacheMu, a package variable whose holder returned without Unlock
//	lockDropped   Mutex.Lock (x2) on a mutex only they can reach, its holder gone: leaked
//	awaitReady    sync.Cond.Wait on a package variable's Cond, never signalled

import (
	"errors"
	"sync"
	"time"
)

var (
	pending sync.WaitGroup
	cacheMu sync.Mutex
	readyMu sync.Mutex
	ready   = sync.NewCond(&readyMu)
)

func loadShard(id int, wg *sync.WaitGroup) error {
	if id == 2 {
		return errors.New("shard 2 unavailable") // returns without wg.Done()
	}
	wg.Done()
	return nil
}

func awaitShards() {
	recordMe("awaitShards waits on a local WaitGroup (leaked)")
	var wg sync.WaitGroup
	record("waitgroup shards %p", &wg)
	wg.Add(3)
	for id := 1; id <= 3; id++ {
		go loadShard(id, &wg)
	}
	wg.Wait() // WAIT WaitGroup.Wait, leaked
}

func awaitWorkers() {
	recordMe("awaitWorkers waits on pending (a global)")
	pending.Wait() // WAIT WaitGroup.Wait, reachable
}

func warmCache() {
	cacheMu.Lock() // returns holding cacheMu
}

func lockOrphan() {
	recordMe("lockOrphan waits for cacheMu (holder exited)")
	cacheMu.Lock() // WAIT cacheMu
	defer cacheMu.Unlock()
}

type Session struct {
	mu    sync.Mutex
	Token string
}

func lockDropped(s *Session) {
	recordMe("lockDropped waits for a dropped session's mu (leaked)")
	s.mu.Lock() // WAIT session.mu, leaked
	defer s.mu.Unlock()
}

func abandonSession() {
	s := &Session{Token: "t0k3n"}
	record("lock session.mu %p", &s.mu)
	s.mu.Lock() // never unlocked
	go lockDropped(s)
	go lockDropped(s)
}

func awaitReady() {
	recordMe("awaitReady waits on ready (sync.Cond)")
	readyMu.Lock()
	ready.Wait() // WAIT sync.Cond.Wait
	readyMu.Unlock()
}

func waitGroup() {
	record("waitgroup pending %p", &pending)
	record("lock cacheMu %p", &cacheMu)
	go awaitShards()
	pending.Add(1)
	go awaitWorkers()
	warmCache()
	go lockOrphan()
	abandonSession()
	go awaitReady()
	time.Sleep(20 * time.Millisecond)
	dumpWhenStuck(300*time.Millisecond, 65*time.Second)
}
