package com.example.lock_in_field;

import com.example.lock_in_field.guard.Guard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** The catalog; its ReentrantReadWriteLock is used through two fields. */
final class Catalog {
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Lock readLock = rw.readLock();
    private final Lock writeLock = rw.writeLock();
    private final List<String> items = new ArrayList<>(List.of("sku-1", "sku-2"));

    /** Thread catalog-reader: audit guard, then the catalog read lock, then pricing. */
    int exportWithPrices(Guard audit, Pricing pricing) {
        try (var a = audit.acquire()) {
            String tookAudit = Truth.above();
            Truth.line("holds thread=%s lock=Main.AUDIT_LOCK (ReentrantLock$NonfairSync) via=Guard.acquire() in try-with-resources mode=exclusive at=%s",
                    Truth.me(), tookAudit);
            readLock.lock();
            String took = Truth.above();
            try {
                Truth.line("holds thread=%s lock=Catalog.rw (ReentrantReadWriteLock$NonfairSync) via=field Catalog.readLock mode=read at=%s",
                        Truth.me(), took);
                Main.bothHold();
                pricing.refresh(items);
                return items.size();
            } finally {
                readLock.unlock();
            }
        }
    }

    /** Called by price-writer while it holds the pricing write lock. */
    void applyPrices() throws InterruptedException {
        Truth.line("blocks thread=%s lock=Catalog.rw (ReentrantReadWriteLock$NonfairSync) via=field Catalog.writeLock lockInterruptibly() mode=write at=%s",
                Truth.me(), Truth.below());
        writeLock.lockInterruptibly();
        try {
            items.add("sku-3");
        } finally {
            writeLock.unlock();
        }
    }
}
