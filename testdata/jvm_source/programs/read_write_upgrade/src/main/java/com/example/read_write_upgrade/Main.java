package com.example.read_write_upgrade;

/**
 * A self-deadlock HotSpot does not report: read lock to write lock upgrade.
 *
 *   restocker     holds Inventory.rw read lock, blocks in rw.writeLock().lock()
 *                 on the same ReentrantReadWriteLock (Inventory.restockEmpty)
 *   stock-report  (started after restocker is parked) blocks in
 *                 rw.readLock().lock(): a non-fair ReentrantReadWriteLock
 *                 makes a new reader wait when the first queued thread is a
 *                 writer (Inventory.total)
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        Inventory inventory = new Inventory();
        Thread restocker = new Thread(inventory::restockEmpty, "restocker");
        restocker.start();
        Truth.awaitStates(new Thread[] {restocker}, new Thread.State[] {Thread.State.WAITING});
        Thread report = new Thread(inventory::total, "stock-report");
        report.start();
        Truth.awaitStates(new Thread[] {restocker, report},
                new Thread.State[] {Thread.State.WAITING, Thread.State.WAITING});
        Truth.line("ready: restocker waits for itself (read -> write upgrade); stock-report waits behind it; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
