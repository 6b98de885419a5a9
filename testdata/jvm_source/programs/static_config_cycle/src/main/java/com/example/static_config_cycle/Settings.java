package com.example.static_config_cycle;

import java.util.HashMap;
import java.util.Map;

/** Settings read under the static config lock; a change is posted to the ledger. */
final class Settings {
    private static final Map<String, String> VALUES = new HashMap<>();

    private Settings() {
    }

    /** Thread config-reader: reads under the read lock, then posts to the ledger. */
    static void reload(Ledger ledger) {
        readConfig(ledger);
    }

    private static void readConfig(Ledger ledger) {
        Locks.CONFIG_RW.readLock().lock();
        String took = Truth.above();
        try {
            Truth.line("holds thread=%s lock=Locks.CONFIG_RW (ReentrantReadWriteLock$FairSync) mode=read at=%s", Truth.me(), took);
            Main.rendezvous();
            Truth.line("blocks thread=%s lock=Ledger (monitor of the Ledger instance, synchronized method post) mode=monitor at=%s", Truth.me(), Truth.below());
            ledger.post("reloaded " + VALUES.size());
        } finally {
            Locks.CONFIG_RW.readLock().unlock();
        }
    }

    /** Thread ledger-writer, inside the ledger's monitor. */
    static void apply(String key, String value) throws InterruptedException {
        Truth.line("blocks thread=%s lock=Locks.CONFIG_RW (ReentrantReadWriteLock$FairSync) mode=write at=%s", Truth.me(), Truth.below());
        Locks.CONFIG_RW.writeLock().lockInterruptibly();
        try {
            VALUES.put(key, value);
        } finally {
            Locks.CONFIG_RW.writeLock().unlock();
        }
    }
}
