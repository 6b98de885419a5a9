import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service that logs to stdout (kept in a file, as a real service's log is),
 * with two problems that a series of `kill -3` dumps in that log shows:
 *
 *  - a monitor deadlock that never changes:
 *      order-writer holds Kill3Twice$Orders, waits for Kill3Twice$Stock
 *      stock-writer holds Kill3Twice$Stock,  waits for Kill3Twice$Orders
 *  - the "ingest" ThreadPoolExecutor grows by 5 threads every 10 s
 *    (core size 5, 10, 15, ...; prestarted), and every one of its threads is
 *    parked forever in LinkedBlockingQueue.take() on the empty work queue:
 *    a thread leak (threads ingest-1, ingest-2, ...).
 *
 * main ticks once a second: every 5 s it logs a heartbeat line, every 10 s
 * (starting at tick 0) it grows the pool and logs that. Usage:
 * java Kill3Twice TRUTH_FILE; ground truth (holds/blocks lines, every pool
 * growth with the thread names and time) goes to TRUTH_FILE.
 */
public class Kill3Twice {
    static final class Orders { }
    static final class Stock { }

    static final Orders ORDERS = new Orders();
    static final Stock STOCK = new Stock();
    static final CountDownLatch BOTH_HOLD = new CountDownLatch(2);
    static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    static PrintWriter truthOut;

    static synchronized void truth(String fmt, Object... args) {
        truthOut.println(Instant.now() + " " + String.format(fmt, args));
        truthOut.flush();
    }

    static void log(String level, String logger, String fmt, Object... args) {
        System.out.println(LocalDateTime.now().format(LOG_TIME) + " " + String.format("%-5s", level)
                + " [" + Thread.currentThread().getName() + "] " + logger + " - " + String.format(fmt, args));
        System.out.flush();
    }

    static String me() {
        return Thread.currentThread().getName();
    }

    static int lineAbove() {
        return new Throwable().getStackTrace()[1].getLineNumber() - 1;
    }

    static int lineBelow() {
        return new Throwable().getStackTrace()[1].getLineNumber() + 1;
    }

    static void bothHold() {
        BOTH_HOLD.countDown();
        try {
            BOTH_HOLD.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void recordOrder() {
        synchronized (ORDERS) {
            int took = lineAbove();
            truth("holds thread=%s lock=Kill3Twice$Orders mode=monitor at=Kill3Twice.java:%d", me(), took);
            bothHold();
            truth("blocks thread=%s lock=Kill3Twice$Stock mode=monitor at=Kill3Twice.java:%d", me(), lineBelow());
            synchronized (STOCK) {
                log("INFO", "c.e.orders.OrderWriter", "order recorded");
            }
        }
    }

    static void adjustStock() {
        synchronized (STOCK) {
            int took = lineAbove();
            truth("holds thread=%s lock=Kill3Twice$Stock mode=monitor at=Kill3Twice.java:%d", me(), took);
            bothHold();
            truth("blocks thread=%s lock=Kill3Twice$Orders mode=monitor at=Kill3Twice.java:%d", me(), lineBelow());
            synchronized (ORDERS) {
                log("INFO", "c.e.stock.StockWriter", "stock adjusted");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        truthOut = new PrintWriter(new FileWriter(args[0]));
        log("INFO", "c.e.Main", "starting (pid %d)", ProcessHandle.current().pid());

        Thread orderWriter = new Thread(Kill3Twice::recordOrder, "order-writer");
        Thread stockWriter = new Thread(Kill3Twice::adjustStock, "stock-writer");
        orderWriter.start();
        stockWriter.start();
        while (orderWriter.getState() != Thread.State.BLOCKED || stockWriter.getState() != Thread.State.BLOCKED) {
            Thread.sleep(50);
        }
        truth("deadlock: order-writer -> stock-writer -> order-writer (monitors)");

        AtomicInteger seq = new AtomicInteger();
        ThreadFactory factory = r -> new Thread(r, "ingest-" + seq.incrementAndGet());
        ThreadPoolExecutor ingest = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        int orders = 0;
        for (int tick = 0; ; tick++) {
            if (tick % 10 == 0) {
                int size = ingest.getCorePoolSize() + 5;
                ingest.setMaximumPoolSize(size);
                ingest.setCorePoolSize(size);
                ingest.prestartAllCoreThreads();
                waitParked(seq.get());
                truth("pool ingest size=%d threads=ingest-1..ingest-%d all WAITING (parking) in LinkedBlockingQueue.take()",
                        ingest.getPoolSize(), seq.get());
                log("INFO", "c.e.ingest.IngestPool", "reconnected to broker, ingest pool now %d threads (queue %d)",
                        ingest.getPoolSize(), ingest.getQueue().size());
            } else if (tick % 5 == 0) {
                log("WARN", "c.e.orders.OrderService", "%d orders waiting for order-writer (stuck for %d s)",
                        orders += 3, tick);
            }
            Thread.sleep(1000);
        }
    }

    /** Waits until threads ingest-1..ingest-n are all WAITING. */
    static void waitParked(int n) throws InterruptedException {
        outer:
        while (true) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("ingest-") && t.getState() != Thread.State.WAITING) {
                    Thread.sleep(20);
                    continue outer;
                }
            }
            return;
        }
    }
}
