import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * 3,000 application threads (plus main), exactly one 2-thread monitor cycle:
 *
 *   cycle-a holds Inventory, wants Ledger;
 *   cycle-b holds Ledger, wants Inventory.
 *
 * Background threads:
 *   blocked-behind-0..4  BLOCKED on the Inventory monitor (held by cycle-a)
 *   sleeper-0..999       TIMED_WAITING in Thread.sleep
 *   consumer-0..999      WAITING (parking) in LinkedBlockingQueue.take() on one of 8 queues
 *   poller-0..992        TIMED_WAITING in Object.wait(timeout) on one of 8 Signal monitors
 *
 * 2 + 5 + 1000 + 1000 + 993 = 3000. Run with -Xss256k. Prints nothing.
 */
public class BigCycle3000 {
    static final class Inventory {}
    static final class Ledger {}
    static final class Signal {}
    static final class Job {}

    static final Inventory INVENTORY = new Inventory();
    static final Ledger LEDGER = new Ledger();
    static final CountDownLatch BOTH_HOLD_FIRST = new CountDownLatch(2);

    static final int SLEEPERS = 1000;
    static final int CONSUMERS = 1000;
    static final int POLLERS = 993;
    static final int BLOCKED_BEHIND = 5;
    static final int QUEUES = 8;
    static final int SIGNALS = 8;

    static final List<LinkedBlockingQueue<Job>> QUEUE_LIST = new ArrayList<>();
    static final List<Signal> SIGNAL_LIST = new ArrayList<>();

    static void await() {
        try {
            BOTH_HOLD_FIRST.countDown();
            BOTH_HOLD_FIRST.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void cycleA() {
        synchronized (INVENTORY) {
            await();
            synchronized (LEDGER) {
                System.out.print("");
            }
        }
    }

    static void cycleB() {
        synchronized (LEDGER) {
            await();
            synchronized (INVENTORY) {
                System.out.print("");
            }
        }
    }

    static void checkStock() {
        synchronized (INVENTORY) {
            System.out.print("");
        }
    }

    static void sleepForever() {
        try {
            while (true) {
                Thread.sleep(3_600_000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void consume(LinkedBlockingQueue<Job> queue) {
        try {
            while (true) {
                queue.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void poll(Signal signal) {
        synchronized (signal) {
            try {
                while (true) {
                    signal.wait(3_600_000L);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void waitForState(Thread t, Thread.State state) throws InterruptedException {
        while (t.getState() != state) {
            Thread.sleep(10);
        }
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < QUEUES; i++) {
            QUEUE_LIST.add(new LinkedBlockingQueue<>());
        }
        for (int i = 0; i < SIGNALS; i++) {
            SIGNAL_LIST.add(new Signal());
        }

        List<Thread> all = new ArrayList<>();

        Thread a = new Thread(BigCycle3000::cycleA, "cycle-a");
        Thread b = new Thread(BigCycle3000::cycleB, "cycle-b");
        a.start();
        b.start();
        all.add(a);
        all.add(b);
        waitForState(a, Thread.State.BLOCKED);
        waitForState(b, Thread.State.BLOCKED);

        for (int i = 0; i < BLOCKED_BEHIND; i++) {
            Thread t = new Thread(BigCycle3000::checkStock, "blocked-behind-" + i);
            t.start();
            all.add(t);
            waitForState(t, Thread.State.BLOCKED);
        }
        for (int i = 0; i < SLEEPERS; i++) {
            Thread t = new Thread(BigCycle3000::sleepForever, "sleeper-" + i);
            t.start();
            all.add(t);
        }
        for (int i = 0; i < CONSUMERS; i++) {
            LinkedBlockingQueue<Job> q = QUEUE_LIST.get(i % QUEUES);
            Thread t = new Thread(() -> consume(q), "consumer-" + i);
            t.start();
            all.add(t);
        }
        for (int i = 0; i < POLLERS; i++) {
            Signal s = SIGNAL_LIST.get(i % SIGNALS);
            Thread t = new Thread(() -> poll(s), "poller-" + i);
            t.start();
            all.add(t);
        }
        for (Thread t : all) {
            t.join();
        }
    }
}
