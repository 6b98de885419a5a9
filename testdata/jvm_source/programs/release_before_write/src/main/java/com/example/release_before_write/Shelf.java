package com.example.release_before_write;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/** Correct upgrade: the read lock is released before the write lock is taken. */
final class Shelf {
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private int items;

    /** Thread browser: holds the read lock for a while (sleeping), then releases it. */
    int browse(long millis) throws InterruptedException {
        rw.readLock().lock();
        String took = Truth.above();
        try {
            Truth.line("holds thread=%s lock=Shelf.rw (ReentrantReadWriteLock$NonfairSync) mode=read at=%s until=+%dms", Truth.me(), took, millis);
            Thread.sleep(millis);
            return items;
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Thread restocker: reads, releases, then writes (never holds both). */
    void restock() {
        int seen;
        rw.readLock().lock();
        try {
            seen = items;
        } finally {
            rw.readLock().unlock();
        }
        synchronized (this) {
            Truth.line("holds thread=%s lock=Shelf (monitor of the Shelf instance) mode=monitor at=%s", Truth.me(), Truth.above());
            Truth.line("blocks thread=%s lock=Shelf.rw (ReentrantReadWriteLock$NonfairSync) mode=write at=%s", Truth.me(), Truth.below());
            rw.writeLock().lock();
            try {
                items = seen + 10;
            } finally {
                rw.writeLock().unlock();
            }
        }
    }

    /** Thread counter: waits for the Shelf monitor, behind restocker. */
    synchronized int count() {
        return items;
    }
}
