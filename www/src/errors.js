// The package's error classes and the DOMExceptions the platform uses for cancellation.
//
// Each class names itself with a prototype getter, not from its own `.name`: an app's minifier
// may rename the classes, and `e.name` must still say 'QueueEmpty'.

class WasioError extends Error {}

/** getNowait() found no item. */
export class QueueEmpty extends WasioError {
  get name() {
    return 'QueueEmpty';
  }
}
/** putNowait() found the queue full. */
export class QueueFull extends WasioError {
  get name() {
    return 'QueueFull';
  }
}
/** The queue was shut down (for a get: and no item is left). */
export class QueueShutDown extends WasioError {
  get name() {
    return 'QueueShutDown';
  }
}
/** A barrier wait ended because the barrier was aborted or reset. */
export class BrokenBarrierError extends WasioError {
  get name() {
    return 'BrokenBarrierError';
  }
}
/** release() of a lock nobody holds, or of a bounded semaphore past its bound. */
export class ReleaseError extends WasioError {
  get name() {
    return 'ReleaseError';
  }
}
/** taskDone() called more times than items were put. */
export class TaskDoneError extends WasioError {
  get name() {
    return 'TaskDoneError';
  }
}

/** A framed read hit the end of the stream: `partial` holds the bytes read, `expected` the count. */
export class IncompleteReadError extends WasioError {
  get name() {
    return 'IncompleteReadError';
  }
  constructor(message, partial, expected) {
    super(message);
    this.partial = partial;
    this.expected = expected;
  }
}
/** readuntil()/readline() found no separator within the reader's limit. */
export class LimitOverrunError extends WasioError {
  get name() {
    return 'LimitOverrunError';
  }
  constructor(message, consumed) {
    super(message);
    this.consumed = consumed;
  }
}
/** Nothing accepted the connection (for mem://, nobody listens on that name). */
export class ConnectionRefusedError extends WasioError {
  get name() {
    return 'ConnectionRefusedError';
  }
}
/** The peer reset the connection. */
export class ConnectionResetError extends WasioError {
  get name() {
    return 'ConnectionResetError';
  }
}
/** startServer() on an address already bound. */
export class AddressInUseError extends WasioError {
  get name() {
    return 'AddressInUseError';
  }
}
/** Any other stream failure; also a second read while one is pending on the same reader. */
export class StreamError extends WasioError {
  get name() {
    return 'StreamError';
  }
}

export const abortError = (message = 'The operation was aborted') => new DOMException(message, 'AbortError');
export const timeoutError = () => new DOMException('The operation timed out', 'TimeoutError');

/** The error a wait rejects with when `signal` aborted it. */
export const reasonOf = (signal) =>
  signal && signal.aborted && signal.reason !== undefined ? signal.reason : abortError();
