package com.example.latch_behind_cycle;

/** Stock levels; its monitor guards them. */
final class Stock {
    int units = 12;
}
