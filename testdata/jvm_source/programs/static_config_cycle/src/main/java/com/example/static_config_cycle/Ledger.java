package com.example.static_config_cycle;

import java.util.ArrayList;
import java.util.List;

/** A ledger whose synchronized methods guard its entries. */
final class Ledger {
    private final List<String> entries = new ArrayList<>();

    synchronized void post(String entry) {
        entries.add(entry);
    }

    /** Thread ledger-writer: the ledger monitor, then the config write lock. */
    synchronized void settle() {
        Truth.line("holds thread=%s lock=Ledger (monitor of the Ledger instance) mode=monitor at=%s", Truth.me(), Truth.above());
        Main.rendezvous();
        try {
            Settings.apply("settled", Integer.toString(entries.size()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
