// The package's error classes and the DOMExceptions the platform uses for cancellation.

class WasioError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

/** getNowait() found no item. */
export class QueueEmpty extends WasioError {}
/** putNowait() found the queue full. */
export class QueueFull extends WasioError {}
/** The queue was shut down (for a get: and no item is left). */
export class QueueShutDown extends WasioError {}
/** A barrier wait ended because the barrier was aborted or reset. */
export class BrokenBarrierError extends WasioError {}
/** release() of a lock nobody holds, or of a bounded semaphore past its bound. */
export class ReleaseError extends WasioError {}
/** taskDone() called more times than items were put. */
export class TaskDoneError extends WasioError {}

/** A framed read hit the end of the stream: `partial` holds the bytes read, `expected` the count. */
export class IncompleteReadError extends WasioError {
  constructor(message, partial, expected) {
    super(message);
    this.partial = partial;
    this.expected = expected;
  }
}
/** readuntil()/readline() found no separator within the reader's limit. */
export class LimitOverrunError extends WasioError {
  constructor(message, consumed) {
    super(message);
    this.consumed = consumed;
  }
}
/** Nothing accepted the connection (for mem://, nobody listens on that name). */
export class ConnectionRefusedError extends WasioError {}
/** The peer reset the connection. */
export class ConnectionResetError extends WasioError {}
/** startServer() on an address already bound. */
export class AddressInUseError extends WasioError {}
/** Any other stream failure; also a second read while one is pending on the same reader. */
export class StreamError extends WasioError {}

export const abortError = (message = 'The operation was aborted') => new DOMException(message, 'AbortError');
export const timeoutError = () => new DOMException('The operation timed out', 'TimeoutError');

/** The error a wait rejects with when `signal` aborted it. */
export const reasonOf = (signal) =>
  signal && signal.aborted && signal.reason !== undefined ? signal.reason : abortError();

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
