// The core API (tasks and timers), for `npm run size`: what an app using only spawn, sleep,
// timeout and TaskGroup would need, built against the bindings without their `full` feature.
export { Task, spawn } from './task.js';
export { sleep, yieldNow, timeout } from './time.js';
export { TaskGroup } from './group.js';
