import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two independent 2-thread deadlocks that stay in place for as long as the
 * JVM runs (main sleeps), so repeated dumps of one process show the same
 * cycles with growing elapsed= times:
 *
 *   monitors:       ledger-writer  holds Ledger,        waits for AuditLog
 *                   audit-writer   holds AuditLog,      waits for Ledger
 *   ReentrantLock:  cache-loader   holds cacheLock,     waits for indexLock
 *                   cache-evictor  holds indexLock,     waits for cacheLock
 *
 * Usage: java DeadlockTwice TRUTH_FILE. The program writes its ground truth
 * (thread, lock, mode, line that took it, line where it blocks) to
 * TRUTH_FILE and prints nothing on stdout. Note: HotSpot prints a thread
 * blocked entering `synchronized (x) {` at the line of the block's first
 * statement (the bci after monitorenter), one line below the line recorded
 * here.
 */
public class DeadlockTwice {
    static final class Ledger { }
    static final class AuditLog { }

    static final Ledger LEDGER = new Ledger();
    static final AuditLog AUDIT = new AuditLog();
    static final ReentrantLock CACHE_LOCK = new ReentrantLock();
    static final ReentrantLock INDEX_LOCK = new ReentrantLock();
    static final CountDownLatch MONITORS_HELD = new CountDownLatch(2);
    static final CountDownLatch LOCKS_HELD = new CountDownLatch(2);

    static PrintWriter truthOut;

    static synchronized void truth(String fmt, Object... args) {
        truthOut.println(Instant.now() + " " + String.format(fmt, args));
        truthOut.flush();
    }

    static String me() {
        return Thread.currentThread().getName();
    }

    /** The number of the source line above the caller's line. */
    static int lineAbove() {
        return new Throwable().getStackTrace()[1].getLineNumber() - 1;
    }

    /** The number of the source line below the caller's line. */
    static int lineBelow() {
        return new Throwable().getStackTrace()[1].getLineNumber() + 1;
    }

    static void await(CountDownLatch l) {
        l.countDown();
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void postEntry() {
        synchronized (LEDGER) {
            int took = lineAbove();
            truth("holds thread=%s lock=DeadlockTwice$Ledger mode=monitor at=DeadlockTwice.java:%d", me(), took);
            await(MONITORS_HELD);
            truth("blocks thread=%s lock=DeadlockTwice$AuditLog mode=monitor at=DeadlockTwice.java:%d", me(), lineBelow());
            synchronized (AUDIT) {
                System.out.print("");
            }
        }
    }

    static void writeAudit() {
        synchronized (AUDIT) {
            int took = lineAbove();
            truth("holds thread=%s lock=DeadlockTwice$AuditLog mode=monitor at=DeadlockTwice.java:%d", me(), took);
            await(MONITORS_HELD);
            truth("blocks thread=%s lock=DeadlockTwice$Ledger mode=monitor at=DeadlockTwice.java:%d", me(), lineBelow());
            synchronized (LEDGER) {
                System.out.print("");
            }
        }
    }

    static void lockBoth(ReentrantLock first, String firstName, ReentrantLock second, String secondName) {
        first.lock();
        int took = lineAbove();
        try {
            truth("holds thread=%s lock=%s (ReentrantLock) mode=exclusive at=DeadlockTwice.java:%d", me(), firstName, took);
            await(LOCKS_HELD);
            truth("blocks thread=%s lock=%s (ReentrantLock) mode=exclusive at=DeadlockTwice.java:%d", me(), secondName, lineBelow());
            second.lock();
            try {
                System.out.print("");
            } finally {
                second.unlock();
            }
        } finally {
            first.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        truthOut = new PrintWriter(new FileWriter(args[0]));
        Thread[] threads = {
            new Thread(DeadlockTwice::postEntry, "ledger-writer"),
            new Thread(DeadlockTwice::writeAudit, "audit-writer"),
            new Thread(() -> lockBoth(CACHE_LOCK, "cacheLock", INDEX_LOCK, "indexLock"), "cache-loader"),
            new Thread(() -> lockBoth(INDEX_LOCK, "indexLock", CACHE_LOCK, "cacheLock"), "cache-evictor"),
        };
        for (Thread t : threads) {
            t.start();
        }
        waitBlocked(threads);
        truth("ready: cycles ledger-writer -> audit-writer -> ledger-writer (monitors), "
                + "cache-loader -> cache-evictor -> cache-loader (ReentrantLock); main sleeps");
        while (true) {
            Thread.sleep(3_600_000L);
        }
    }

    /** Waits until every thread is BLOCKED (monitor) or WAITING (parked). */
    static void waitBlocked(Thread[] threads) throws InterruptedException {
        outer:
        while (true) {
            Thread.sleep(100);
            for (Thread t : threads) {
                Thread.State s = t.getState();
                if (s != Thread.State.BLOCKED && s != Thread.State.WAITING) {
                    continue outer;
                }
            }
            Thread.sleep(200);
            return;
        }
    }
}
