package com.example.release_before_write;

/**
 * No deadlock: a chain that resolves. browser holds the read lock for 40 s while
 * sleeping; restocker (holding the Shelf monitor) waits for the write lock; counter
 * waits for the Shelf monitor. When browser releases, everything finishes.
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        Shelf shelf = new Shelf();
        Thread browser = new Thread(() -> {
            try {
                shelf.browse(40_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "browser");
        browser.start();
        Truth.awaitStates(new Thread[] {browser}, new Thread.State[] {Thread.State.TIMED_WAITING});
        Thread restocker = new Thread(shelf::restock, "restocker");
        restocker.start();
        Truth.awaitStates(new Thread[] {browser, restocker},
                new Thread.State[] {Thread.State.TIMED_WAITING, Thread.State.WAITING});
        Thread counter = new Thread(shelf::count, "counter");
        counter.start();
        Truth.awaitStates(new Thread[] {browser, restocker, counter},
                new Thread.State[] {Thread.State.TIMED_WAITING, Thread.State.WAITING, Thread.State.BLOCKED});
        Truth.line("ready: chain counter -> restocker -> browser (sleeping, releases in time); no cycle");
        browser.join();
        restocker.join();
        counter.join();
        Truth.line("done: all finished");
    }
}
