package com.example.static_config_cycle;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/** Process-wide locks, one static field each. */
final class Locks {
    static final ReentrantReadWriteLock CONFIG_RW = new ReentrantReadWriteLock(true);

    private Locks() {
    }
}
