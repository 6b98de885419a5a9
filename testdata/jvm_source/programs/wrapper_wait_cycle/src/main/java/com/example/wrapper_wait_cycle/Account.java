package com.example.wrapper_wait_cycle;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/** An account whose read lock is taken through small helpers, and a mailbox of notifications. */
final class Account {
    private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
    private final Object mailbox = new Object();
    private boolean delivered;
    private long balance = 100;

    private void enterRead() {
        guard.readLock().lock();
    }

    private void exitRead() {
        guard.readLock().unlock();
    }

    /** Thread auditor: the read lock through enterRead(), then the ledger's monitor. */
    long audit(Ledger ledger) {
        enterRead();
        String took = Truth.above();
        try {
            Truth.line("holds thread=%s lock=Account.guard (ReentrantReadWriteLock$NonfairSync) mode=read at=%s (through enterRead())", Truth.me(), took);
            Main.meet();
            Truth.line("blocks thread=%s lock=Ledger (monitor of the Ledger instance) mode=monitor at=%s", Truth.me(), Truth.below());
            synchronized (ledger) {
                return balance + ledger.size();
            }
        } finally {
            exitRead();
        }
    }

    /** Called by poster inside the ledger's monitor: the write lock, then it notifies the mailbox. */
    void adjust(long delta) {
        Truth.line("blocks thread=%s lock=Account.guard (ReentrantReadWriteLock$NonfairSync) mode=write at=%s", Truth.me(), Truth.below());
        guard.writeLock().lock();
        try {
            balance += delta;
        } finally {
            guard.writeLock().unlock();
        }
        synchronized (mailbox) {
            delivered = true;
            mailbox.notifyAll(); // the mailbox's only notify
        }
    }

    /** Thread mail-waiter: waits until adjust() has run. */
    void awaitDelivery() throws InterruptedException {
        synchronized (mailbox) {
            while (!delivered) {
                Truth.line("waits thread=%s on=Account.mailbox mode=wait at=%s released-only-by=poster (Account.adjust, notifyAll() after the write lock)", Truth.me(), Truth.below());
                mailbox.wait();
            }
        }
    }
}
