package com.example.latch_behind_cycle;

/** Thread "report-waiter": waits for the order sync to finish. */
final class Reports implements Runnable {
    private final SyncState state;

    Reports(SyncState state) {
        this.state = state;
    }

    @Override
    public void run() {
        try {
            Truth.line("waits thread=%s on=SyncState.ordersSynced (CountDownLatch$Sync) mode=await at=%s"
                    + " released-only-by=order-sync (OrderSync.run, countDown() after both monitors)", Truth.me(), Truth.below());
            state.ordersSynced.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
