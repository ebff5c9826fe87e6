// The core API (tasks and timers): what `wasio/core` exports (src/entry-core-*.js), over the
// bindings built without their default features (no queues, locks, streams, trace or simulated
// clock in its wasm). Also what `npm run size` measures as the core.
export { Task, spawn } from './task.js';
export { sleep, yieldNow, timeout } from './time.js';
export { TaskGroup } from './group.js';
