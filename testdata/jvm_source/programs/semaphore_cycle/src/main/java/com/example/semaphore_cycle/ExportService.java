package com.example.semaphore_cycle;

import java.util.List;
import java.util.concurrent.Semaphore;

/** Exports, limited to one at a time by a one-permit Semaphore. */
final class ExportService {
    private final Semaphore exportSlots = new Semaphore(1);

    /** Thread exporter: an export slot, then the catalog monitor. */
    int export(Catalog catalog) throws InterruptedException {
        exportSlots.acquire();
        String took = Truth.above();
        try {
            Truth.line("holds thread=%s lock=ExportService.exportSlots (Semaphore$NonfairSync, 1 permit) mode=permit at=%s", Truth.me(), took);
            Main.bothHold();
            Truth.line("blocks thread=%s lock=Catalog (monitor of the Catalog instance) mode=monitor at=%s", Truth.me(), Truth.below());
            synchronized (catalog) {
                List<String> items = catalog.snapshotLocked();
                return items.size();
            }
        } finally {
            exportSlots.release();
        }
    }

    /** Runs task while holding an export slot. */
    void withSlot(Runnable task) throws InterruptedException {
        Truth.line("blocks thread=%s lock=ExportService.exportSlots (Semaphore$NonfairSync, 0 permits left) mode=permit at=%s", Truth.me(), Truth.below());
        exportSlots.acquire();
        try {
            task.run();
        } finally {
            exportSlots.release();
        }
    }
}
