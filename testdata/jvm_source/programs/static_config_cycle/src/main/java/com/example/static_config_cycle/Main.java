package com.example.static_config_cycle;

import java.util.concurrent.CyclicBarrier;

/**
 * A read lock of a static fair ReentrantReadWriteLock against a synchronized method
 * (HotSpot does not report it):
 *
 *   config-reader  holds Locks.CONFIG_RW read (Settings.readConfig, a static helper),
 *                  blocks entering the synchronized method Ledger.post
 *   ledger-writer  holds the Ledger monitor (synchronized Ledger.settle),
 *                  blocks in Locks.CONFIG_RW.writeLock().lockInterruptibly() (Settings.apply)
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    private static final CyclicBarrier BOTH = new CyclicBarrier(2);

    static void rendezvous() {
        try {
            BOTH.await();
            Thread.sleep(100);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        Ledger ledger = new Ledger();
        Thread reader = new Thread(() -> Settings.reload(ledger), "config-reader");
        Thread writer = new Thread(ledger::settle, "ledger-writer");
        reader.start();
        writer.start();
        Truth.awaitStates(new Thread[] {reader, writer},
                new Thread.State[] {Thread.State.BLOCKED, Thread.State.WAITING});
        Truth.line("ready: cycle config-reader -> ledger-writer -> config-reader; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
