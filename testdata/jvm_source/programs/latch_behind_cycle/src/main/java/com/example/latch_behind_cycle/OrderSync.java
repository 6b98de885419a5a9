package com.example.latch_behind_cycle;

/** Thread "order-sync": Orders, then Stock; then releases report-waiter. */
final class OrderSync implements Runnable {
    private final Orders orders;
    private final Stock stock;
    private final SyncState state;

    OrderSync(Orders orders, Stock stock, SyncState state) {
        this.orders = orders;
        this.stock = stock;
        this.state = state;
    }

    @Override
    public void run() {
        synchronized (orders) {
            String took = Truth.above();
            Truth.line("holds thread=%s lock=Orders mode=monitor at=%s", Truth.me(), took);
            state.bothHold();
            Truth.line("blocks thread=%s lock=Stock mode=monitor at=%s", Truth.me(), Truth.below());
            synchronized (stock) {
                stock.units -= orders.open;
            }
        }
        state.ordersSynced.countDown(); // the latch's only countDown()
    }
}
