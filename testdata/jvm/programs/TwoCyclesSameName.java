import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two independent deadlocks among four threads that all carry the same name, "worker", as a
 * thread factory that names every thread alike would make them. Pair one deadlocks on two
 * monitors, pair two on two ReentrantLocks; HotSpot reports "Found 2 deadlocks." and names every
 * member "worker", so a reader must tell the threads apart by their locks, not their names.
 */
public class TwoCyclesSameName {
    static final class Orders {}
    static final class Payments {}

    static final Orders orders = new Orders();
    static final Payments payments = new Payments();
    static final ReentrantLock cache = new ReentrantLock();
    static final ReentrantLock index = new ReentrantLock();
    static final CountDownLatch monitorsTaken = new CountDownLatch(2);
    static final CountDownLatch locksTaken = new CountDownLatch(2);

    static void await(CountDownLatch latch) {
        latch.countDown();
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    static void ordersThenPayments() {
        synchronized (orders) {
            await(monitorsTaken);
            synchronized (payments) {
                System.out.println("unreachable");
            }
        }
    }

    static void paymentsThenOrders() {
        synchronized (payments) {
            await(monitorsTaken);
            synchronized (orders) {
                System.out.println("unreachable");
            }
        }
    }

    static void lockBoth(ReentrantLock first, ReentrantLock second) {
        first.lock();
        try {
            await(locksTaken);
            second.lock();
            second.unlock();
        } finally {
            first.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        Thread[] threads = {
            new Thread(TwoCyclesSameName::ordersThenPayments, "worker"),
            new Thread(TwoCyclesSameName::paymentsThenOrders, "worker"),
            new Thread(() -> lockBoth(cache, index), "worker"),
            new Thread(() -> lockBoth(index, cache), "worker"),
        };
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
    }
}
