// Type declarations for `wasio/core`: the core API only (tasks and timers), over a smaller wasm.
// The same declarations as the default entry's, narrowed to what the core entry exports.
export { Task, spawn, sleep, yieldNow, timeout, TaskGroup } from './index.js';
export type { WaitOptions, SpawnOptions, TaskGroupOptions } from './index.js';
