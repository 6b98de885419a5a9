import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 200 idle pool threads ("pool-worker-0" .. "pool-worker-199") parked in
 * LinkedBlockingQueue.take(); no deadlock. Main sleeps forever.
 * Prints nothing.
 */
public class IdlePool {
    public static void main(String[] args) throws Exception {
        final int size = 200;
        AtomicInteger seq = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(size,
                r -> new Thread(r, "pool-worker-" + seq.getAndIncrement()));
        CountDownLatch started = new CountDownLatch(size);
        for (int i = 0; i < size; i++) {
            // One trivial task per worker forces all 200 threads to be created;
            // afterwards every worker goes back to the queue and parks.
            pool.execute(started::countDown);
        }
        started.await();
        while (true) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
