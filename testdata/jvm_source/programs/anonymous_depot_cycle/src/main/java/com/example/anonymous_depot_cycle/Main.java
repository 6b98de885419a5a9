package com.example.anonymous_depot_cycle;

import java.util.concurrent.Phaser;

/**
 * A read view held in an anonymous class against a ReentrantLock (HotSpot does not report it):
 *
 *   counter  holds Depot.gate read through the field view reading (Depot$1.call),
 *            blocks in dispatch.lockInterruptibly() (Depot.dispatchCount)
 *   loader   holds Depot.dispatch (Depot.load),
 *            blocks in gate.writeLock().lock() (Depot.load)
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    private static final Phaser MEET = new Phaser(2);

    static void meet() {
        MEET.arriveAndAwaitAdvance();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        Thread counter = new Thread(() -> {
            try {
                Depot.INSTANCE.counter().call();
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        }, "counter");
        Thread loader = new Thread(() -> {
            try {
                Depot.INSTANCE.load("crate-2");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "loader");
        counter.start();
        loader.start();
        Truth.awaitStates(new Thread[] {counter, loader},
                new Thread.State[] {Thread.State.WAITING, Thread.State.WAITING});
        Truth.line("ready: cycle counter -> loader -> counter; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
