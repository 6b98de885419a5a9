package com.example.lock_in_field.guard;

import java.util.concurrent.locks.Lock;

/**
 * Scoped locking for try-with-resources:
 * <pre>
 *   try (var g = guard.acquire()) {
 *       ... // lock held
 *   }       // Held.close() unlocks
 * </pre>
 */
public final class Guard {
    private final Lock lock;

    public Guard(Lock lock) {
        this.lock = lock;
    }

    /** Takes the lock; the returned Held releases it on close(). */
    public Held acquire() {
        lock.lock();
        return new Held();
    }

    /** Proof of holding the guard's lock. */
    public final class Held implements AutoCloseable {
        private Held() {
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }
}
