import java.util.concurrent.CountDownLatch;

/**
 * Two threads form a synchronized (monitor) 2-cycle:
 *   worker-a holds Inventory, wants Ledger;
 *   worker-b holds Ledger, wants Inventory.
 * Prints nothing; hangs forever.
 */
public class MonitorCycle {
    static final class Inventory {}
    static final class Ledger {}

    static final Inventory INVENTORY = new Inventory();
    static final Ledger LEDGER = new Ledger();
    static final CountDownLatch BOTH_HOLD_FIRST = new CountDownLatch(2);

    static void await() {
        try {
            BOTH_HOLD_FIRST.countDown();
            BOTH_HOLD_FIRST.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void transferAtoB() {
        synchronized (INVENTORY) {
            await();
            synchronized (LEDGER) {
                System.out.print("");
            }
        }
    }

    static void transferBtoA() {
        synchronized (LEDGER) {
            await();
            synchronized (INVENTORY) {
                System.out.print("");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Thread a = new Thread(MonitorCycle::transferAtoB, "worker-a");
        Thread b = new Thread(MonitorCycle::transferBtoA, "worker-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }
}
