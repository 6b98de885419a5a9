package com.example.rw_no_deadlock;

import java.util.concurrent.CountDownLatch;

/**
 * The locks of read_lock_monitor_cycle, without the deadlock: the reader
 * holds the read lock for 40 s and then releases it before it touches the
 * registry. The dumps are taken while it still holds it:
 *
 *   price-reader     holds PriceCache.rw read lock, TIMED_WAITING in Thread.sleep
 *                    (PriceCache.totalOfRegistered); releases after 40 s
 *   registry-updater holds the Registry monitor, waits in rw.writeLock().lock()
 *                    for price-reader's read lock (PriceCache.invalidate)
 *   registry-lister  waits to enter the Registry monitor (Registry.list),
 *                    behind registry-updater
 *
 * A chain lister -> updater -> reader, no cycle: everything completes about
 * 40 s after start. Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    static final CountDownLatch readerHolds = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        PriceCache cache = new PriceCache();
        Registry registry = new Registry();
        Thread reader = new Thread(() -> {
            try {
                cache.totalOfRegistered(registry);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "price-reader");
        reader.start();
        readerHolds.await();
        Thread updater = new Thread(() -> registry.register("sku-42", cache), "registry-updater");
        updater.start();
        Truth.awaitStates(new Thread[] {reader, updater},
                new Thread.State[] {Thread.State.TIMED_WAITING, Thread.State.WAITING});
        Thread lister = new Thread(registry::list, "registry-lister");
        lister.start();
        Truth.awaitStates(new Thread[] {reader, updater, lister},
                new Thread.State[] {Thread.State.TIMED_WAITING, Thread.State.WAITING, Thread.State.BLOCKED});
        Truth.line("ready: chain registry-lister -> registry-updater -> price-reader (sleeping, releases in time); no deadlock");
        reader.join();
        updater.join();
        lister.join();
        Truth.line("done: all three threads finished");
    }
}
