package com.example.latch_behind_cycle;

/** Thread "stock-sync": Stock, then Orders; then signals shipping-waiter. */
final class StockSync implements Runnable {
    private final Orders orders;
    private final Stock stock;
    private final SyncState state;

    StockSync(Orders orders, Stock stock, SyncState state) {
        this.orders = orders;
        this.stock = stock;
        this.state = state;
    }

    @Override
    public void run() {
        synchronized (stock) {
            String took = Truth.above();
            Truth.line("holds thread=%s lock=Stock mode=monitor at=%s", Truth.me(), took);
            state.bothHold();
            Truth.line("blocks thread=%s lock=Orders mode=monitor at=%s", Truth.me(), Truth.below());
            synchronized (orders) {
                orders.open = 0;
            }
        }
        state.stateLock.lock();
        try {
            state.stockReady = true;
            state.stockReadyCond.signal(); // the condition's only signal()
        } finally {
            state.stateLock.unlock();
        }
    }
}
