// Type declarations for the `wasio` package (every entry but /slim's init shares them).

/** Options every wait takes. */
export interface WaitOptions {
  /** Aborting it rejects the wait with the signal's reason and takes nothing. */
  signal?: AbortSignal;
}

export interface SpawnOptions {
  /** Shown in traces and as `task.name`. */
  name?: string;
  /** Aborting it cancels the task (with the signal's reason). */
  signal?: AbortSignal;
}

/** A function running as a task: awaitable, cancellable. */
export declare class Task<T = unknown> implements PromiseLike<T> {
  private constructor();
  /** The wasio task id (as trace events name it). */
  readonly id: number;
  readonly name: string | undefined;
  /** Aborted when the task is cancelled: the signal its function received. */
  readonly signal: AbortSignal;
  /** Whether it ended (fulfilled, failed or cancelled). */
  readonly done: boolean;
  /** Whether it ended by cancellation. */
  readonly cancelled: boolean;
  /** Requests cancellation; false if it has already ended. */
  cancel(reason?: unknown): boolean;
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: any) => B | PromiseLike<B>) | null,
  ): Promise<A | B>;
  catch<B = never>(onRejected?: ((reason: any) => B | PromiseLike<B>) | null): Promise<T | B>;
  finally(onFinally?: (() => void) | null): Promise<T>;
  /** Cancels the task and waits for it to end. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Runs `fn(signal)` as a task from the loop's next turn. */
export declare function spawn<T>(
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
  options?: SpawnOptions,
): Task<T>;

/** Resolves after `ms` milliseconds of loop time. */
export declare function sleep(ms: number, options?: WaitOptions): Promise<void>;
/** Lets every other ready task run once. */
export declare function yieldNow(options?: WaitOptions): Promise<void>;
/** Rejects with a DOMException named TimeoutError after `ms`, cancelling what it wraps. */
export declare function timeout<T>(
  ms: number,
  awaitable: PromiseLike<T> | ((signal: AbortSignal) => T | PromiseLike<T>),
  options?: WaitOptions,
): Promise<T>;

export interface GatherOptions {
  returnExceptions?: boolean;
}
type Awaited2<T> = T extends PromiseLike<infer U> ? U : T;
/** Waits for every awaitable; resolves with their results in order. */
export declare function gather<const A extends readonly PromiseLike<unknown>[]>(
  ...awaitables: A
): Promise<{ -readonly [K in keyof A]: Awaited2<A[K]> }>;
export declare function gather<const A extends readonly PromiseLike<unknown>[]>(
  ...args: [...awaitables: A, options: GatherOptions]
): Promise<{ -readonly [K in keyof A]: Awaited2<A[K]> | unknown }>;

export type ReturnWhen = 'FIRST_COMPLETED' | 'FIRST_EXCEPTION' | 'ALL_COMPLETED';
export interface WaitForOptions {
  returnWhen?: ReturnWhen;
  /** Milliseconds. */
  timeout?: number;
}
/** Resolves with [done, pending] when `returnWhen` holds or the timeout passes. */
export declare function wait<T extends PromiseLike<unknown>>(
  tasks: Iterable<T>,
  options?: WaitForOptions,
): Promise<[done: Set<T>, pending: Set<T>]>;
/** Yields the tasks in the order they complete. */
export declare function asCompleted<T extends PromiseLike<unknown>>(
  tasks: Iterable<T>,
): AsyncGenerator<T, void, undefined>;
/** A task mirroring `awaitable` whose cancellation does not reach it. */
export declare function shield<T>(awaitable: PromiseLike<T>): Task<T>;

export interface TaskGroupOptions {
  /** Aborting it cancels the group's tasks. */
  signal?: AbortSignal;
}
/** Tasks that end together; the first failure cancels the others. */
export declare class TaskGroup {
  constructor(options?: TaskGroupOptions);
  /** Aborted when the group cancels its tasks. */
  readonly signal: AbortSignal;
  spawn<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: { name?: string }): Task<T>;
  cancel(reason?: unknown): void;
  /** Waits for every task; rejects with the failure, or an AggregateError for several. */
  join(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

declare class BaseQueue<T> implements AsyncIterable<T> {
  put(item: T, options?: WaitOptions): Promise<void>;
  /** Throws QueueFull (QueueShutDown once shut down). */
  putNowait(item: T): void;
  get(options?: WaitOptions): Promise<T>;
  /** Throws QueueEmpty (QueueShutDown once shut down and empty). */
  getNowait(): T;
  /** Throws TaskDoneError if called more times than items were put. */
  taskDone(): void;
  join(options?: WaitOptions): Promise<void>;
  shutdown(immediate?: boolean): void;
  readonly size: number;
  readonly maxsize: number;
  empty(): boolean;
  full(): boolean;
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>;
}
/** First in, first out; `maxsize` 0 is unbounded. */
export declare class Queue<T = unknown> extends BaseQueue<T> {
  constructor(maxsize?: number | { maxsize?: number });
}
/** Last in, first out. */
export declare class LifoQueue<T = unknown> extends BaseQueue<T> {
  constructor(maxsize?: number | { maxsize?: number });
}
/** Lowest priority first: an item is a number or `[priority, ...data]`. */
export declare class PriorityQueue<
  T extends number | readonly [number, ...unknown[]] = [number, unknown],
> extends BaseQueue<T> {
  constructor(maxsize?: number | { maxsize?: number });
}

/** What acquire() resolves to: release() it, or let `using` release it. */
export interface Held extends Disposable {
  release(): void;
}
export declare class Lock {
  acquire(options?: WaitOptions): Promise<Held>;
  tryAcquire(): boolean;
  /** Throws ReleaseError if the lock is not held. */
  release(): void;
  locked(): boolean;
}
export declare class Event {
  wait(options?: WaitOptions): Promise<true>;
  set(): void;
  clear(): void;
  isSet(): boolean;
}
export declare class Condition {
  constructor(lock?: Lock);
  acquire(options?: WaitOptions): Promise<Held>;
  release(): void;
  locked(): boolean;
  wait(options?: WaitOptions): Promise<true>;
  waitFor<R>(predicate: () => R, options?: WaitOptions): Promise<R>;
  notify(n?: number): number;
  notifyAll(): number;
}
export declare class Semaphore {
  constructor(value?: number);
  acquire(options?: WaitOptions): Promise<Held>;
  tryAcquire(): boolean;
  release(): void;
  locked(): boolean;
  /** Free permits. */
  readonly value: number;
}
/** Its release() throws ReleaseError past the initial value. */
export declare class BoundedSemaphore extends Semaphore {}
export declare class Barrier {
  constructor(parties: number);
  /** Resolves with this party's arrival index; rejects with BrokenBarrierError if broken. */
  wait(options?: WaitOptions): Promise<number>;
  abort(): void;
  reset(): void;
  readonly parties: number;
  readonly nWaiting: number;
  readonly broken: boolean;
}

export declare class QueueEmpty extends Error {}
export declare class QueueFull extends Error {}
export declare class QueueShutDown extends Error {}
export declare class BrokenBarrierError extends Error {}
export declare class ReleaseError extends Error {}
export declare class TaskDoneError extends Error {}

export type TraceKind =
  | 'spawn'
  | 'wake'
  | 'poll-begin'
  | 'poll-end'
  | 'complete'
  | 'cancel-requested'
  | 'cancelled'
  | 'timer-armed'
  | 'timer-fired'
  | 'wait'
  | 'wait-end'
  | 'other';
export interface TraceEvent {
  kind: TraceKind;
  /** The task (as `task.id`), when the event is about one. */
  task?: number;
  /** Loop time in milliseconds. */
  time: number;
  /** spawn: the task's name. */
  name?: string;
  /** poll-end: whether the task ended in this poll. */
  ready?: boolean;
  /** poll-end of a task still pending: what it now waits on ('sleep', 'lock', 'queue-get'...). */
  reason?: string;
  /** spawn / wake: the task that spawned or woke this one, if a task did. */
  by?: number;
  /** timer-armed / timer-fired: the deadline, loop milliseconds. */
  deadline?: number;
  /** wait / wait-end: what is waited for. */
  what?:
    | 'sleep'
    | 'yield'
    | 'timeout'
    | 'lock'
    | 'event'
    | 'semaphore'
    | 'barrier'
    | 'queue-get'
    | 'queue-put'
    | 'queue-join'
    | 'read'
    | 'drain'
    | 'wait-closed'
    | 'connect'
    | 'listen';
  /** wait / wait-end: the wait's id (pairs a wait-end with its wait). */
  wait?: number;
  /** wait-end: how it ended. */
  outcome?: 'ok' | 'aborted' | 'error';
}
export declare const trace: {
  /** Calls `callback` for every runtime event; returns the unsubscribe function. */
  subscribe(callback: (event: TraceEvent) => void): () => void;
};

/** The loop clock in milliseconds (simulated time inside runSimulated). */
export declare function loopTime(): number;

/** Reads bytes from a connection (asyncio's StreamReader). Every read takes {signal}. */
export declare class StreamReader implements AsyncIterable<Uint8Array> {
  private constructor();
  /** Up to `n` bytes (default: to the end of the stream); empty at the end. */
  read(n?: number, options?: WaitOptions): Promise<Uint8Array>;
  /** One line, `\n` included. */
  readline(options?: WaitOptions): Promise<Uint8Array>;
  /** Exactly `n` bytes, or IncompleteReadError. */
  readexactly(n: number, options?: WaitOptions): Promise<Uint8Array>;
  /** Up to and including `separator` (default '\n'). */
  readuntil(separator?: string | Uint8Array, options?: WaitOptions): Promise<Uint8Array>;
  atEof(): boolean;
  /** The bytes still to come as a WHATWG ReadableStream. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Lines until the end of the stream. */
  [Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined>;
}
/** Writes bytes to a connection (asyncio's StreamWriter). */
export declare class StreamWriter {
  private constructor();
  write(data: string | ArrayBufferView | ArrayBuffer): void;
  drain(options?: WaitOptions): Promise<void>;
  writeEof(): void;
  canWriteEof(): boolean;
  close(): void;
  isClosing(): boolean;
  waitClosed(options?: WaitOptions): Promise<void>;
  /** A WHATWG WritableStream writing here. */
  readonly writable: WritableStream<Uint8Array>;
}
export interface Connection {
  reader: StreamReader;
  writer: StreamWriter;
}
/** Opens a connection: `ws://`, `wss://` or `mem://name`. */
export declare function openConnection(url: string, options?: WaitOptions): Promise<Connection>;
/** A listening server. */
export declare class Server {
  private constructor();
  readonly address: string;
  close(): void;
  isServing(): boolean;
  waitClosed(options?: WaitOptions): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
/** Serves `url` (`mem://name`), calling `handler` per connection. */
export declare function startServer(
  handler: (reader: StreamReader, writer: StreamWriter) => unknown,
  url: string,
  options?: WaitOptions,
): Promise<Server>;
/** A StreamReader over a fetch Response's body, a ReadableStream of bytes, or its reader. */
export declare function readerFrom(
  source: Response | ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array>,
): StreamReader;

export declare class IncompleteReadError extends Error {
  /** The bytes read before the stream ended. */
  readonly partial: Uint8Array;
  /** How many were expected (undefined for readuntil). */
  readonly expected: number | undefined;
}
export declare class LimitOverrunError extends Error {
  readonly consumed: number;
}
export declare class ConnectionRefusedError extends Error {}
export declare class ConnectionResetError extends Error {}
export declare class AddressInUseError extends Error {}
export declare class StreamError extends Error {}
