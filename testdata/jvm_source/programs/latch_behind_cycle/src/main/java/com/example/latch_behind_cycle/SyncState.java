package com.example.latch_behind_cycle;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** What the waiters wait for. */
final class SyncState {
    /** Counted down once, by OrderSync.run, after it has left both monitors. */
    final CountDownLatch ordersSynced = new CountDownLatch(1);

    final ReentrantLock stateLock = new ReentrantLock();
    /** Signalled once, by StockSync.run, after it has left both monitors. */
    final Condition stockReadyCond = stateLock.newCondition();
    boolean stockReady;

    final CountDownLatch bothHold = new CountDownLatch(2);

    void bothHold() {
        bothHold.countDown();
        try {
            bothHold.await();
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
