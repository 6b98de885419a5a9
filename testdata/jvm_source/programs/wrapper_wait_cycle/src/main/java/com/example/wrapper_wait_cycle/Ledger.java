package com.example.wrapper_wait_cycle;

import java.util.ArrayList;
import java.util.List;

/** Ledger entries, guarded by the ledger's own monitor. */
final class Ledger {
    private final List<Long> entries = new ArrayList<>();

    synchronized int size() {
        return entries.size();
    }

    /** Thread poster: the ledger monitor (synchronized method), then the account's write lock. */
    synchronized void post(Account account, long delta) {
        Truth.line("holds thread=%s lock=Ledger (monitor of the Ledger instance) mode=monitor at=%s (synchronized method)", Truth.me(), Truth.above());
        entries.add(delta);
        Main.meet();
        account.adjust(delta);
    }
}
