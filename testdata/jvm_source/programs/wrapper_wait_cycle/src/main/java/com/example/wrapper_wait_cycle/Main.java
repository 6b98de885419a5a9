package com.example.wrapper_wait_cycle;

import java.util.concurrent.CyclicBarrier;

/**
 * A read lock taken through a helper method against a synchronized method, and an
 * Object.wait() whose only notify is behind that cycle (HotSpot reports neither):
 *
 *   auditor      holds Account.guard read (via enterRead()), blocks on the Ledger monitor
 *   poster       holds the Ledger monitor (synchronized post), blocks in guard.writeLock().lock()
 *   mail-waiter  waits in mailbox.wait(); the only notifyAll() is in Account.adjust, after the
 *                write lock poster waits for: blocked behind the cycle
 *
 * Usage: Main TRUTH_FILE. Prints nothing on stdout.
 */
public final class Main {
    private static final CyclicBarrier MEET = new CyclicBarrier(2);

    static void meet() {
        try {
            MEET.await();
            Thread.sleep(100);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Truth.open(args[0]);
        Account account = new Account();
        Ledger ledger = new Ledger();
        Thread waiter = new Thread(() -> {
            try {
                account.awaitDelivery();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mail-waiter");
        Thread auditor = new Thread(() -> account.audit(ledger), "auditor");
        Thread poster = new Thread(() -> ledger.post(account, 5), "poster");
        waiter.start();
        auditor.start();
        poster.start();
        Truth.awaitStates(new Thread[] {waiter, auditor, poster},
                new Thread.State[] {Thread.State.WAITING, Thread.State.BLOCKED, Thread.State.WAITING});
        Truth.line("ready: cycle auditor -> poster -> auditor; mail-waiter waits behind poster; main sleeps");
        Thread.sleep(Long.MAX_VALUE);
    }
}
