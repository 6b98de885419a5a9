package com.example.nested_and_lambda;

/**
 * A 2-thread cycle through a ReentrantLock and a read lock (HotSpot does not
 * report it: the read lock has no owner):
 *
 *   inner-reader   holds Warehouse.stockRw read lock (Warehouse$Auditor.audit),
 *                  blocks in shipLock.lock() (Warehouse$Auditor.audit)
 *   lambda-locker  holds Warehouse.shipLock (Warehouse.lambda$run$0),
 *                  blocks in stockRw.writeLock().lock() (Warehouse$1.run)
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        Thread[] threads = new Warehouse().run();
        Truth.awaitStates(threads, new Thread.State[] {Thread.State.WAITING, Thread.State.WAITING});
        Truth.line("ready: cycle inner-reader -> lambda-locker -> inner-reader; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
