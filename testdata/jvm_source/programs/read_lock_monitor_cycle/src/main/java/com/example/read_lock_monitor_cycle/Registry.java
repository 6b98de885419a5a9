package com.example.read_lock_monitor_cycle;

import java.util.HashSet;
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
            Main.bothHold();
            cache.invalidate();
        }
    }
}
