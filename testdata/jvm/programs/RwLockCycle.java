import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Two threads deadlock on ReentrantReadWriteLocks:
 *   writer-1 holds catalogRw.writeLock(), wants priceRw.readLock();
 *   writer-2 holds priceRw.writeLock(),   wants catalogRw.readLock().
 * Prints nothing; hangs forever.
 */
public class RwLockCycle {
    static final ReentrantReadWriteLock CATALOG_RW = new ReentrantReadWriteLock();
    static final ReentrantReadWriteLock PRICE_RW = new ReentrantReadWriteLock();
    static final CountDownLatch BOTH_HOLD_FIRST = new CountDownLatch(2);

    static void await() {
        try {
            BOTH_HOLD_FIRST.countDown();
            BOTH_HOLD_FIRST.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void writeThenRead(ReentrantReadWriteLock mine, ReentrantReadWriteLock theirs) {
        mine.writeLock().lock();
        try {
            await();
            theirs.readLock().lock();
            try {
                System.out.print("");
            } finally {
                theirs.readLock().unlock();
            }
        } finally {
            mine.writeLock().unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        Thread w1 = new Thread(() -> writeThenRead(CATALOG_RW, PRICE_RW), "writer-1");
        Thread w2 = new Thread(() -> writeThenRead(PRICE_RW, CATALOG_RW), "writer-2");
        w1.start();
        w2.start();
        w1.join();
        w2.join();
    }
}
