// Everything the package exports (each entry re-exports this after initialising the wasm).

export { Task, spawn } from './task.js';
export { sleep, yieldNow, timeout } from './time.js';
export { gather, wait, asCompleted, shield } from './combinators.js';
export { TaskGroup } from './group.js';
export { Queue, LifoQueue, PriorityQueue } from './queue.js';
export { Lock, Event, Semaphore, BoundedSemaphore, Barrier, Condition } from './sync.js';
export { trace } from './trace.js';
export { openConnection, startServer, readerFrom, StreamReader, StreamWriter, Server } from './streams.js';
export {
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  BrokenBarrierError,
  ReleaseError,
  TaskDoneError,
  IncompleteReadError,
  LimitOverrunError,
  ConnectionRefusedError,
  ConnectionResetError,
  AddressInUseError,
  StreamError,
} from './errors.js';
export { loop_time as loopTime } from './wasm.js';
import { runSimulated } from './testing.js';
import { live_tasks, pending_waits } from './wasm.js';
import { pendingCount } from './runtime.js';

/** @internal for wasio/testing and the package's own leak tests. */
export const __testing = {
  runSimulated,
  liveTasks: live_tasks,
  pendingWaits: pending_waits,
  jsPendingWaits: pendingCount,
};
