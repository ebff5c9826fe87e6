// Type declarations for `wasio/testing`.

/**
 * Runs `fn(signal)` as a task with the loop on the simulated clock: time jumps to the next
 * deadline whenever nothing is ready, so sleep(3_600_000) returns at once in loop time.
 */
export declare function runSimulated<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>): Promise<T>;
