package com.example.release_before_write;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Ground truth, written by the program itself while it runs: which thread
 * holds which lock in which mode, the source line that took it and the line
 * where each thread blocks. Lines are taken from the call stack at run time
 * ({@link #above()} / {@link #below()} are called on the line right after /
 * right before the locking statement) and printed in jstack's frame format,
 * e.g. {@code com.example.release_before_write.Main.main(Main.java:1)}.
 */
final class Truth {
    private static PrintWriter out;

    private Truth() {
    }

    static void open(String path) {
        try {
            out = new PrintWriter(new FileWriter(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one timestamped line (UTC). */
    static synchronized void line(String fmt, Object... args) {
        out.println(Instant.now() + " " + String.format(fmt, args));
        out.flush();
    }

    static String me() {
        return Thread.currentThread().getName();
    }

    /** The caller's frame, with the line number of the line above the call. */
    static String above() {
        return frame(new Throwable().getStackTrace()[1], -1);
    }

    /** The caller's frame, with the line number of the line below the call. */
    static String below() {
        return frame(new Throwable().getStackTrace()[1], +1);
    }

    private static String frame(StackTraceElement e, int delta) {
        return e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName() + ":" + (e.getLineNumber() + delta) + ")";
    }

    /** Waits until every thread is in one of the given states for 0.3 s. */
    static void awaitStates(Thread[] threads, Thread.State[] states) throws InterruptedException {
        int stable = 0;
        while (stable < 3) {
            Thread.sleep(100);
            boolean all = true;
            for (int i = 0; i < threads.length; i++) {
                all &= threads[i].getState() == states[i];
            }
            stable = all ? stable + 1 : 0;
        }
    }
}
