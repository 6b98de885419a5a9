import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Three threads form a cycle mixing monitors and a ReentrantLock:
 *   stage-1 holds monitor Alpha,             wants ReentrantLock betaLock;
 *   stage-2 holds ReentrantLock betaLock,    wants monitor Gamma;
 *   stage-3 holds monitor Gamma,             wants monitor Alpha.
 * Prints nothing; hangs forever.
 */
public class MixedCycle {
    static final class Alpha {}
    static final class Gamma {}

    static final Alpha ALPHA = new Alpha();
    static final ReentrantLock BETA_LOCK = new ReentrantLock();
    static final Gamma GAMMA = new Gamma();
    static final CountDownLatch ALL_HOLD_FIRST = new CountDownLatch(3);

    static void await() {
        try {
            ALL_HOLD_FIRST.countDown();
            ALL_HOLD_FIRST.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void stage1() {
        synchronized (ALPHA) {
            await();
            BETA_LOCK.lock();
            try {
                System.out.print("");
            } finally {
                BETA_LOCK.unlock();
            }
        }
    }

    static void stage2() {
        BETA_LOCK.lock();
        try {
            await();
            synchronized (GAMMA) {
                System.out.print("");
            }
        } finally {
            BETA_LOCK.unlock();
        }
    }

    static void stage3() {
        synchronized (GAMMA) {
            await();
            synchronized (ALPHA) {
                System.out.print("");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Thread t1 = new Thread(MixedCycle::stage1, "stage-1");
        Thread t2 = new Thread(MixedCycle::stage2, "stage-2");
        Thread t3 = new Thread(MixedCycle::stage3, "stage-3");
        t1.start();
        t2.start();
        t3.start();
        t1.join();
        t2.join();
        t3.join();
    }
}
