package com.example.latch_behind_cycle;

/**
 * A monitor cycle (which HotSpot does report) with two waiters behind it
 * that HotSpot does not connect to it:
 *
 *   order-sync       holds Orders, waits for Stock      } the cycle
 *   stock-sync       holds Stock,  waits for Orders     }
 *   report-waiter    awaits SyncState.ordersSynced (CountDownLatch); its
 *                    only countDown() is in OrderSync.run after the monitors
 *   shipping-waiter  awaits SyncState.stockReadyCond (Condition of
 *                    stateLock); its only signal() is in StockSync.run
 *                    after the monitors
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        Orders orders = new Orders();
        Stock stock = new Stock();
        SyncState state = new SyncState();
        Thread[] threads = {
            new Thread(new OrderSync(orders, stock, state), "order-sync"),
            new Thread(new StockSync(orders, stock, state), "stock-sync"),
            new Thread(new Reports(state), "report-waiter"),
            new Thread(new Shipping(state), "shipping-waiter"),
        };
        for (Thread t : threads) {
            t.start();
        }
        Truth.awaitStates(threads, new Thread.State[] {
            Thread.State.BLOCKED, Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.WAITING});
        Truth.line("ready: cycle order-sync -> stock-sync -> order-sync; report-waiter waits for order-sync,"
                + " shipping-waiter waits for stock-sync; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
