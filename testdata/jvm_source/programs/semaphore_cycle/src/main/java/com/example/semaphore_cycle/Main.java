package com.example.semaphore_cycle;

import java.util.concurrent.CountDownLatch;

/**
 * A deadlock through a Semaphore, which HotSpot does not report (a permit has
 * no owner thread):
 *
 *   exporter  holds the only permit of ExportService.exportSlots
 *             (ExportService.export), blocks entering synchronized (catalog)
 *   indexer   holds the Catalog monitor (Catalog.reindex), blocks in
 *             exportSlots.acquire() (ExportService.withSlot)
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
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
        Catalog catalog = new Catalog();
        ExportService exports = new ExportService();
        Thread exporter = new Thread(() -> {
            try {
                exports.export(catalog);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "exporter");
        Thread indexer = new Thread(() -> {
            try {
                catalog.reindex(exports);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "indexer");
        exporter.start();
        indexer.start();
        Truth.awaitStates(new Thread[] {exporter, indexer},
                new Thread.State[] {Thread.State.BLOCKED, Thread.State.WAITING});
        Truth.line("ready: cycle exporter -> indexer -> exporter; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
