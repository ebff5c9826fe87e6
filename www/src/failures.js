// Failures of the waits of queues, barriers, conditions and streams: the bindings' codes mapped
// to the package's errors. The modules whose waits can fail so start them with this file's
// `wait` (the runtime's, with this map), so an app of tasks and timers links none of it.

import {
  AddressInUseError,
  BrokenBarrierError,
  ConnectionRefusedError,
  ConnectionResetError,
  IncompleteReadError,
  LimitOverrunError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  ReleaseError,
  StreamError,
  TaskDoneError,
} from './errors.js';
import { signalOf } from './check.js';
import { wait as start } from './runtime.js';

const byCode = [
  null,
  null,
  () => new QueueShutDown('the queue is shut down'),
  () => new BrokenBarrierError('the barrier is broken'),
  null,
  () => new ReleaseError('wait() on a Condition whose lock is not held'),
];
byCode[10] = () => new QueueFull('the queue is full');
byCode[11] = () => new QueueEmpty('the queue is empty');
byCode[12] = () => new TaskDoneError('taskDone() called more times than items were put');

const ioErrors = {
  IncompleteReadError,
  LimitOverrunError,
  ConnectionRefusedError,
  ConnectionResetError,
  AddressInUseError,
  TypeError,
};

/** Maps a failure code from the bindings (and its value, for stream errors) to its error. */
export function fromCode(code, value) {
  if (code === 4) {
    const [name, message, partial, expected] = value;
    if (name === 'IncompleteReadError') return new IncompleteReadError(message, partial, expected);
    if (name === 'LimitOverrunError') return new LimitOverrunError(message, expected);
    return new (ioErrors[name] || StreamError)(message);
  }
  return (byCode[code] || (() => new Error(`wasio error ${code}`)))();
}

/** The runtime's `wait`, rejecting with this map's errors. */
export const wait = (signal, begin, handle, what, wrap) => start(signal, begin, handle, what, wrap, fromCode);

/** `wait` for the common case: `begin(owner)` with `options.signal`, named `what` in the trace. */
export const waitOn = (options, what, begin) =>
  start(signalOf(options), begin, undefined, what, undefined, fromCode);
