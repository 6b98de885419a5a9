package com.example.latch_live_signaller;

import java.util.concurrent.CountDownLatch;

/** A monitor deadlock, and a latch whose countDown() a live timer thread still reaches. */
final class Gates {
    final Object left = new Object();
    final Object right = new Object();
    final CountDownLatch opened = new CountDownLatch(1);

    /** Threads west / east: a plain two-monitor deadlock. */
    void cross(Object first, Object second) {
        synchronized (first) {
            Truth.line("holds thread=%s lock=%s mode=monitor at=%s", Truth.me(), first == left ? "Gates.left" : "Gates.right", Truth.above());
            Main.pair();
            Truth.line("blocks thread=%s lock=%s mode=monitor at=%s", Truth.me(), second == left ? "Gates.left" : "Gates.right", Truth.below());
            synchronized (second) {
                opened.countDown();
            }
        }
    }

    /** Thread opener: sleeps, then opens the latch (a live signaller: not stuck). */
    void openLater(long millis) throws InterruptedException {
        Thread.sleep(millis);
        opened.countDown();
    }

    /** Thread watcher: waits for the latch. */
    void watch() throws InterruptedException {
        Truth.line("waits thread=%s on=Gates.opened mode=await at=%s released-only-by=opener (sleeping, countDown() after its sleep) or west/east (deadlocked)", Truth.me(), Truth.below());
        opened.await();
    }
}
