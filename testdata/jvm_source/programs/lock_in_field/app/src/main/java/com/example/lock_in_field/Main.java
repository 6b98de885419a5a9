package com.example.lock_in_field;

import com.example.lock_in_field.guard.Guard;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A 2-thread cycle through a write lock and a read lock, with the locks
 * taken the indirect ways real code takes them (HotSpot does not report it):
 *
 *   catalog-reader  holds AUDIT_LOCK through Guard.acquire() in a
 *                   try-with-resources (Catalog.exportWithPrices), holds the
 *                   Catalog.rw read lock through the field Catalog.readLock,
 *                   blocks in Guard.acquire() on Pricing.rw's write lock
 *                   (try-with-resources in Pricing.refresh)
 *   price-writer    holds the Pricing.rw write lock (tryLock(1, SECONDS)
 *                   succeeded, Pricing.publish), blocks in
 *                   Catalog.writeLock.lockInterruptibly() (Catalog.applyPrices)
 *
 * Guard lives in the second module (guard/). Usage: Main TRUTH_FILE.
 * Prints nothing on stdout.
 */
public final class Main {
    static final ReentrantLock AUDIT_LOCK = new ReentrantLock();
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
        Catalog catalog = new Catalog();
        Pricing pricing = new Pricing();
        Guard audit = new Guard(AUDIT_LOCK);
        Thread reader = new Thread(() -> catalog.exportWithPrices(audit, pricing), "catalog-reader");
        Thread writer = new Thread(() -> {
            try {
                pricing.publish(catalog);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "price-writer");
        reader.start();
        writer.start();
        Truth.awaitStates(new Thread[] {reader, writer},
                new Thread.State[] {Thread.State.WAITING, Thread.State.WAITING});
        Truth.line("ready: cycle catalog-reader -> price-writer -> catalog-reader; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
