package com.example.nested_and_lambda;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Locks taken in an inner class (Warehouse$Auditor), an anonymous class
 * (Warehouse$1) and a lambda (Warehouse.lambda$run$0).
 */
public final class Warehouse {
    private final ReentrantLock shipLock = new ReentrantLock();
    private final ReentrantReadWriteLock stockRw = new ReentrantReadWriteLock();
    private final CountDownLatch bothHold = new CountDownLatch(2);
    private int stock = 5;

    private void bothHold() {
        bothHold.countDown();
        try {
            bothHold.await();
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Inner class: reads stock, then books a shipment. */
    final class Auditor {
        void audit() {
            stockRw.readLock().lock();
            String took = Truth.above();
            try {
                Truth.line("holds thread=%s lock=Warehouse.stockRw (ReentrantReadWriteLock$NonfairSync) mode=read at=%s", Truth.me(), took);
                bothHold();
                Truth.line("blocks thread=%s lock=Warehouse.shipLock (ReentrantLock$NonfairSync) mode=exclusive at=%s", Truth.me(), Truth.below());
                shipLock.lock();
                try {
                    stock--;
                } finally {
                    shipLock.unlock();
                }
            } finally {
                stockRw.readLock().unlock();
            }
        }
    }

    Thread[] run() {
        Runnable restock = new Runnable() {
            @Override
            public void run() {
                Truth.line("blocks thread=%s lock=Warehouse.stockRw (ReentrantReadWriteLock$NonfairSync) mode=write at=%s", Truth.me(), Truth.below());
                stockRw.writeLock().lock();
                try {
                    stock += 10;
                } finally {
                    stockRw.writeLock().unlock();
                }
            }
        };
        Thread reader = new Thread(new Auditor()::audit, "inner-reader");
        Thread locker = new Thread(() -> {
            shipLock.lock();
            String took = Truth.above();
            try {
                Truth.line("holds thread=%s lock=Warehouse.shipLock (ReentrantLock$NonfairSync) mode=exclusive at=%s", Truth.me(), took);
                bothHold();
                restock.run();
            } finally {
                shipLock.unlock();
            }
        }, "lambda-locker");
        reader.start();
        locker.start();
        return new Thread[] {reader, locker};
    }
}
