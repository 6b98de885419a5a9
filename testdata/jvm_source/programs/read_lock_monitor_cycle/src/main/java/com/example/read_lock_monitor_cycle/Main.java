package com.example.read_lock_monitor_cycle;

import java.util.concurrent.CountDownLatch;

/**
 * A deadlock HotSpot does not report: a read lock against a monitor.
 *
 *   price-reader      holds PriceCache.rw read lock (PriceCache.totalOfRegistered),
 *                     blocks entering synchronized (registry)
 *   registry-updater  holds the Registry monitor (Registry.register),
 *                     blocks in rw.writeLock().lock() (PriceCache.invalidate)
 *
 * A read lock has no owner thread (no exclusiveOwnerThread, not listed under
 * "Locked ownable synchronizers"), so jstack's deadlock detector cannot close
 * the cycle. Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    private static final CountDownLatch BOTH_HOLD = new CountDownLatch(2);

    static void bothHold() {
        BOTH_HOLD.countDown();
        try {
            BOTH_HOLD.await();
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        PriceCache cache = new PriceCache();
        Registry registry = new Registry();
        Thread reader = new Thread(() -> cache.totalOfRegistered(registry), "price-reader");
        Thread updater = new Thread(() -> registry.register("sku-42", cache), "registry-updater");
        reader.start();
        updater.start();
        Truth.awaitStates(new Thread[] {reader, updater},
                new Thread.State[] {Thread.State.BLOCKED, Thread.State.WAITING});
        Truth.line("ready: cycle price-reader -> registry-updater -> price-reader; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
