package com.example.read_write_upgrade;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** Stock levels guarded by one ReentrantReadWriteLock. */
final class Inventory {
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Map<String, Integer> stock = new HashMap<>();

    Inventory() {
        stock.put("sku-1", 0);
        stock.put("sku-2", 7);
    }

    /**
     * Restocks every empty sku. Bug: it upgrades from the read lock to the
     * write lock, which ReentrantReadWriteLock does not support: the write
     * lock waits for all readers to leave, including this thread.
     */
    void restockEmpty() {
        rw.readLock().lock();
        String took = Truth.above();
        try {
            Truth.line("holds thread=%s lock=Inventory.rw (ReentrantReadWriteLock$NonfairSync) mode=read at=%s", Truth.me(), took);
            for (Map.Entry<String, Integer> e : stock.entrySet()) {
                if (e.getValue() == 0) {
                    Truth.line("blocks thread=%s lock=Inventory.rw (ReentrantReadWriteLock$NonfairSync) mode=write at=%s (self-deadlock: it holds the read lock)",
                            Truth.me(), Truth.below());
                    rw.writeLock().lock();
                    try {
                        e.setValue(100);
                    } finally {
                        rw.writeLock().unlock();
                    }
                }
            }
        } finally {
            rw.readLock().unlock();
        }
    }

    /** A plain reader; queues behind the writer that restockEmpty left waiting. */
    int total() {
        Truth.line("blocks thread=%s lock=Inventory.rw (ReentrantReadWriteLock$NonfairSync) mode=read at=%s (behind the queued writer restocker)",
                Truth.me(), Truth.below());
        rw.readLock().lock();
        try {
            int sum = 0;
            for (int n : stock.values()) {
                sum += n;
            }
            return sum;
        } finally {
            rw.readLock().unlock();
        }
    }
}
