package com.example.latch_live_signaller;

import java.util.concurrent.CyclicBarrier;

/**
 * A monitor deadlock (west <-> east, which HotSpot reports) next to a latch
 * waiter (watcher) whose latch a live thread (opener, sleeping 60 s) will count
 * down: watcher is NOT blocked behind the cycle.
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    private static final CyclicBarrier PAIR = new CyclicBarrier(2);

    static void pair() {
        try {
            PAIR.await();
            Thread.sleep(100);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        Gates gates = new Gates();
        Thread west = new Thread(() -> gates.cross(gates.left, gates.right), "west");
        Thread east = new Thread(() -> gates.cross(gates.right, gates.left), "east");
        Thread watcher = new Thread(() -> {
            try {
                gates.watch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watcher");
        Thread opener = new Thread(() -> {
            try {
                gates.openLater(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "opener");
        west.start();
        east.start();
        watcher.start();
        opener.start();
        Truth.awaitStates(new Thread[] {west, east, watcher, opener}, new Thread.State[] {
            Thread.State.BLOCKED, Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING});
        Truth.line("ready: cycle west <-> east; watcher waits for opener (live), not behind the cycle; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
