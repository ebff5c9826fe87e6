// wasio/testing: runSimulated(fn) runs fn on the simulated clock.

import { checkFunction } from './check.js';
import { Task } from './task.js';
import { spawn_simulated } from './wasm.js';

/**
 * Runs `fn(signal)` as a task with the loop on the simulated clock: time jumps to the next
 * deadline whenever nothing is ready, so sleep(3_600_000) returns at once in loop time and every
 * run gives the same order of events. Resolves or rejects as `fn` does.
 */
export function runSimulated(fn) {
  checkFunction(fn, 'fn');
  return new Task(fn, 'runSimulated', undefined, spawn_simulated).then();
}
