import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two threads form a ReentrantLock 2-cycle:
 *   worker-a holds accountLock, wants auditLock;
 *   worker-b holds auditLock, wants accountLock.
 * Prints nothing; hangs forever.
 */
public class ReentrantLockCycle {
    static final ReentrantLock ACCOUNT_LOCK = new ReentrantLock();
    static final ReentrantLock AUDIT_LOCK = new ReentrantLock();
    static final CountDownLatch BOTH_HOLD_FIRST = new CountDownLatch(2);

    static void await() {
        try {
            BOTH_HOLD_FIRST.countDown();
            BOTH_HOLD_FIRST.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void lockBoth(ReentrantLock first, ReentrantLock second) {
        first.lock();
        try {
            await();
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
        Thread a = new Thread(() -> lockBoth(ACCOUNT_LOCK, AUDIT_LOCK), "worker-a");
        Thread b = new Thread(() -> lockBoth(AUDIT_LOCK, ACCOUNT_LOCK), "worker-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }
}
