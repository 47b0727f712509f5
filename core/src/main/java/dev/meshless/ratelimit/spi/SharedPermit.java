package dev.meshless.ratelimit.spi;

/**
 * The outcome of taking a permit from a shared bucket.
 *
 * @param taken whether a permit was taken
 * @param remaining permits left in the bucket after this one, 0 or more
 * @param nanosToWait when not taken, nanoseconds until a permit is free; 0 when taken
 */
public record SharedPermit(boolean taken, long remaining, long nanosToWait) {
}
