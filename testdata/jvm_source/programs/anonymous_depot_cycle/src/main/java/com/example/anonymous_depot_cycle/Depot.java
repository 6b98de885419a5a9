package com.example.anonymous_depot_cycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** The one depot (a static singleton); its gate is used through field views. */
final class Depot {
    static final Depot INSTANCE = new Depot();

    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final Lock reading = gate.readLock();
    private final ReentrantLock dispatch = new ReentrantLock();
    private final Deque<String> crates = new ArrayDeque<>();

    private Depot() {
        crates.add("crate-1");
    }

    /** Thread counter: an anonymous Callable counts crates under the read view. */
    Callable<Integer> counter() {
        return new Callable<Integer>() {
            @Override
            public Integer call() throws Exception {
                reading.lock();
                String took = Truth.above();
                try {
                    Truth.line("holds thread=%s lock=Depot.gate (ReentrantReadWriteLock$NonfairSync) mode=read at=%s", Truth.me(), took);
                    Main.meet();
                    return dispatchCount();
                } finally {
                    reading.unlock();
                }
            }
        };
    }

    private int dispatchCount() throws InterruptedException {
        Truth.line("blocks thread=%s lock=Depot.dispatch (ReentrantLock$NonfairSync) mode=exclusive at=%s", Truth.me(), Truth.below());
        dispatch.lockInterruptibly();
        try {
            return crates.size();
        } finally {
            dispatch.unlock();
        }
    }

    /** Thread loader: dispatch first, then the gate's write side through tryLock. */
    void load(String crate) throws InterruptedException {
        dispatch.lock();
        String took = Truth.above();
        try {
            Truth.line("holds thread=%s lock=Depot.dispatch (ReentrantLock$NonfairSync) mode=exclusive at=%s", Truth.me(), took);
            Main.meet();
            Truth.line("blocks thread=%s lock=Depot.gate (ReentrantReadWriteLock$NonfairSync) mode=write at=%s", Truth.me(), Truth.below());
            gate.writeLock().lock();
            try {
                crates.add(crate);
            } finally {
                gate.writeLock().unlock();
            }
        } finally {
            dispatch.unlock();
        }
    }
}
