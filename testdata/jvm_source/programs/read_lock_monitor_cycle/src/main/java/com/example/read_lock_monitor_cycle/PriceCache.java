package com.example.read_lock_monitor_cycle;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** Prices guarded by a ReentrantReadWriteLock. */
final class PriceCache {
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Map<String, Long> prices = new HashMap<>();

    /** Reads all prices under the read lock and checks each sku against the registry. */
    long totalOfRegistered(Registry registry) {
        rw.readLock().lock();
        String took = Truth.above();
        try {
            Truth.line("holds thread=%s lock=PriceCache.rw (ReentrantReadWriteLock$NonfairSync) mode=read at=%s", Truth.me(), took);
            Main.bothHold();
            long total = 0;
            Truth.line("blocks thread=%s lock=Registry (monitor of the Registry instance) mode=monitor at=%s", Truth.me(), Truth.below());
            synchronized (registry) {
                for (Map.Entry<String, Long> e : prices.entrySet()) {
                    if (registry.isRegisteredLocked(e.getKey())) {
                        total += e.getValue();
                    }
                }
            }
            return total;
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Drops every price; called by the registry when a sku changes. */
    void invalidate() {
        Truth.line("blocks thread=%s lock=PriceCache.rw (ReentrantReadWriteLock$NonfairSync) mode=write at=%s", Truth.me(), Truth.below());
        rw.writeLock().lock();
        try {
            prices.clear();
        } finally {
            rw.writeLock().unlock();
        }
    }
}
