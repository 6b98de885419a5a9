package com.example.lock_in_field;

import com.example.lock_in_field.guard.Guard;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** Prices; written under the write lock of their own ReentrantReadWriteLock. */
final class Pricing {
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Guard writeGuard = new Guard(rw.writeLock());
    private final Map<String, Long> prices = new HashMap<>();

    /** Thread catalog-reader, holding the catalog read lock. */
    void refresh(List<String> skus) {
        Truth.line("blocks thread=%s lock=Pricing.rw (ReentrantReadWriteLock$NonfairSync) via=Guard.acquire() in try-with-resources (Pricing.writeGuard) mode=write at=%s",
                Truth.me(), Truth.below());
        try (var g = writeGuard.acquire()) {
            for (String sku : skus) {
                prices.putIfAbsent(sku, 100L);
            }
        }
    }

    /** Thread price-writer: the pricing write lock, then the catalog write lock. */
    void publish(Catalog catalog) throws InterruptedException {
        if (rw.writeLock().tryLock(1, TimeUnit.SECONDS)) {
            String took = Truth.above();
            try {
                Truth.line("holds thread=%s lock=Pricing.rw (ReentrantReadWriteLock$NonfairSync) via=writeLock().tryLock(1, SECONDS) returned true mode=write at=%s",
                        Truth.me(), took);
                Main.bothHold();
                catalog.applyPrices();
            } finally {
                rw.writeLock().unlock();
            }
        }
    }
}
