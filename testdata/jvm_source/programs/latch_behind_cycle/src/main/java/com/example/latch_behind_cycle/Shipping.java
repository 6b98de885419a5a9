package com.example.latch_behind_cycle;

/** Thread "shipping-waiter": waits until stock is ready. */
final class Shipping implements Runnable {
    private final SyncState state;

    Shipping(SyncState state) {
        this.state = state;
    }

    @Override
    public void run() {
        state.stateLock.lock();
        try {
            while (!state.stockReady) {
                Truth.line("waits thread=%s on=SyncState.stockReadyCond (AbstractQueuedSynchronizer$ConditionObject of SyncState.stateLock) mode=await at=%s"
                        + " released-only-by=stock-sync (StockSync.run, signal() after both monitors); stateLock is released while it waits", Truth.me(), Truth.below());
                state.stockReadyCond.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            state.stateLock.unlock();
        }
    }
}
