import java.io.FileWriter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * idle_pool_twice (JVM part): 20 pool threads "resize-worker-1" ..
 * "resize-worker-20" parked in LinkedBlockingQueue.take() on the pool's
 * empty queue; main sleeps. Nothing is stuck, nothing leaks: two dumps 10 s
 * apart show the same 20 threads.
 *
 * Usage: java IdlePoolTwice TRUTH_FILE (prints nothing on stdout).
 */
public class IdlePoolTwice {
    public static void main(String[] args) throws Exception {
        final int size = 20;
        PrintWriter truth = new PrintWriter(new FileWriter(args[0]));
        AtomicInteger seq = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(size,
                r -> new Thread(r, "resize-worker-" + seq.incrementAndGet()));
        CountDownLatch started = new CountDownLatch(size);
        for (int i = 0; i < size; i++) {
            // One trivial task per worker creates all 20 threads; then every
            // worker goes back to the queue and parks.
            pool.execute(started::countDown);
        }
        started.await();
        outer:
        while (true) {
            Thread.sleep(50);
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("resize-worker-") && t.getState() != Thread.State.WAITING) {
                    continue outer;
                }
            }
            break;
        }
        truth.println(Instant.now() + " pool threads=resize-worker-1..resize-worker-" + seq.get()
                + " all WAITING (parking) in LinkedBlockingQueue.take(), idle, not a leak; main sleeps");
        truth.flush();
        while (true) {
            Thread.sleep(3_600_000L);
        }
    }
}
