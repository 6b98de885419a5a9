package com.example.rw_no_deadlock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Registered skus; its monitor guards the set. */
final class Registry {
    private final Set<String> skus = new HashSet<>();

    /** Caller holds this object's monitor. */
    boolean isRegisteredLocked(String sku) {
        return skus.contains(sku);
    }

    void register(String sku, PriceCache cache) {
        synchronized (this) {
            String took = Truth.above();
            Truth.line("holds thread=%s lock=Registry (monitor of the Registry instance) mode=monitor at=%s", Truth.me(), took);
            skus.add(sku);
            cache.invalidate();
        }
    }

    List<String> list() {
        Truth.line("blocks thread=%s lock=Registry (monitor of the Registry instance) mode=monitor at=%s (behind registry-updater)",
                Truth.me(), Truth.below());
        synchronized (this) {
            return new ArrayList<>(skus);
        }
    }
}
