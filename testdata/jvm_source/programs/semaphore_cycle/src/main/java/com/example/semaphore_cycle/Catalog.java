package com.example.semaphore_cycle;

import java.util.ArrayList;
import java.util.List;

/** The catalog; its monitor guards the item list. */
final class Catalog {
    private final List<String> items = new ArrayList<>(List.of("sku-1", "sku-2"));

    /** Thread indexer: the catalog monitor, then an export slot. */
    void reindex(ExportService exports) throws InterruptedException {
        synchronized (this) {
            String took = Truth.above();
            Truth.line("holds thread=%s lock=Catalog (monitor of the Catalog instance) mode=monitor at=%s", Truth.me(), took);
            Main.bothHold();
            exports.withSlot(() -> items.sort(null));
        }
    }

    /** Caller must hold this object's monitor. */
    List<String> snapshotLocked() {
        return new ArrayList<>(items);
    }
}
