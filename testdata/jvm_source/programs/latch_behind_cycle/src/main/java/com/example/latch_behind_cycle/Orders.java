package com.example.latch_behind_cycle;

/** Order book; its monitor guards it. */
final class Orders {
    int open = 3;
}
