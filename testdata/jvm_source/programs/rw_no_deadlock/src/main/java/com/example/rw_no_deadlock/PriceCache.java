package com.example.rw_no_deadlock;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** Prices guarded by a ReentrantReadWriteLock (same locks as read_lock_monitor_cycle). */
final class PriceCache {
    static final long HOLD_MILLIS = 40_000;

    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Map<String, Long> prices = new HashMap<>();

    /**
     * Recomputes prices under the read lock (slowly: 40 s), releases it, and
     * only then checks them against the registry. It never holds the read
     * lock while it waits for the registry's monitor: no cycle.
     */
    long totalOfRegistered(Registry registry) throws InterruptedException {
        rw.readLock().lock();
        String took = Truth.above();
        try {
            Truth.line("holds thread=%s lock=PriceCache.rw (ReentrantReadWriteLock$NonfairSync) mode=read at=%s until=%s (sleeps %d ms, then releases)",
                    Truth.me(), took, Instant.now().plusMillis(HOLD_MILLIS), HOLD_MILLIS);
            Main.readerHolds.countDown();
            Thread.sleep(HOLD_MILLIS);
        } finally {
            rw.readLock().unlock();
        }
        Truth.line("released thread=%s lock=PriceCache.rw mode=read", Truth.me());
        long total = 0;
        synchronized (registry) {
            for (Map.Entry<String, Long> e : prices.entrySet()) {
                if (registry.isRegisteredLocked(e.getKey())) {
                    total += e.getValue();
                }
            }
        }
        return total;
    }

    /** Drops every price; called by the registry when a sku changes. */
    void invalidate() {
        Truth.line("blocks thread=%s lock=PriceCache.rw (ReentrantReadWriteLock$NonfairSync) mode=write at=%s (until price-reader releases its read lock)",
                Truth.me(), Truth.below());
        rw.writeLock().lock();
        try {
            prices.clear();
        } finally {
            rw.writeLock().unlock();
        }
    }
}
