// Streams: openConnection / startServer over ws://, wss:// and mem://name, StreamReader and
// StreamWriter with asyncio's methods, WHATWG readable/writable views, and readerFrom(fetch body).

import { checkCount, checkFunction } from './check.js';
import { StreamError } from './errors.js';
import { fromCode, waitOn } from './failures.js';
import { ensureReady, open_connection, reader_from_stream, start_server } from './wasm.js';

const encoder = new TextEncoder();
const asBytes = (data, name) => {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`${name} must be a string, a Uint8Array or an ArrayBuffer`);
};
const checkUrl = (url) => {
  if (typeof url !== 'string') throw new TypeError('url must be a string');
  return url;
};
// The separator argument of reads that take none (the binding's one read export: see read()).
const NONE = new Uint8Array(0);
const asyncDispose = Symbol.asyncDispose || Symbol.for('Symbol.asyncDispose');

/** Reads bytes from a connection (asyncio's StreamReader). Every read takes {signal}. */
export class StreamReader {
  #r;
  #readable = null;
  /** @internal */
  constructor(raw) {
    this.#r = raw;
  }
  /** Starts read `kind` of the binding's one read export (0 read, 1 readline, 2 readexactly, 3 readuntil). */
  #op(kind, n, sep, options) {
    return waitOn(options, 'read', (o) => this.#r.read(kind, n, sep, o));
  }
  /** Up to `n` bytes (default: everything to the end); an empty array at the end of the stream. */
  read(n = -1, options) {
    if (n !== -1) checkCount(n, 'n');
    return this.#op(0, n, NONE, options);
  }
  /** One line, `\n` included (at the end of the stream: what is left, maybe empty). */
  readline(options) {
    return this.#op(1, 0, NONE, options);
  }
  /** Exactly `n` bytes, or IncompleteReadError (with the bytes read in `partial`). */
  readexactly(n, options) {
    checkCount(n, 'n');
    return this.#op(2, n, NONE, options);
  }
  /** Up to and including `separator` (a string or bytes; default '\n'). */
  readuntil(separator = '\n', options) {
    const sep = asBytes(separator, 'separator');
    if (sep.length === 0) throw new RangeError('separator must not be empty');
    return this.#op(3, 0, sep, options);
  }
  /** Whether the stream ended and nothing is buffered. */
  atEof() {
    return this.#r.at_eof();
  }
  /** A WHATWG ReadableStream of the bytes still to come (use it or the methods, not both). */
  get readable() {
    if (this.#readable === null) {
      const ctrl = new AbortController();
      this.#readable = new ReadableStream({
        pull: async (c) => {
          const chunk = await this.read(65536, { signal: ctrl.signal });
          if (chunk.length === 0) c.close();
          else c.enqueue(chunk);
        },
        cancel: (reason) => ctrl.abort(reason),
      });
    }
    return this.#readable;
  }
  async *[Symbol.asyncIterator]() {
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }
}

/** Writes bytes to a connection (asyncio's StreamWriter). */
export class StreamWriter {
  #w;
  #writable = null;
  /** @internal */
  constructor(raw) {
    this.#w = raw;
  }
  /** Buffers `data` (a string is sent as UTF-8); await drain() to wait for room. */
  write(data) {
    const e = this.#w.write(asBytes(data, 'data'));
    if (e !== undefined) throw fromCode(4, e);
  }
  /** Waits until the buffer is below its high-water mark. */
  drain(options) {
    return waitOn(options, 'drain', (o) => this.#w.drain(o));
  }
  /** Half-closes where the transport can (see canWriteEof()). */
  writeEof() {
    const e = this.#w.write_eof();
    if (e !== undefined) throw fromCode(4, e);
  }
  canWriteEof() {
    return this.#w.can_write_eof();
  }
  /** Closes after sending what is buffered. */
  close() {
    this.#w.close();
  }
  isClosing() {
    return this.#w.is_closing();
  }
  /** Waits until the connection is closed. */
  waitClosed(options) {
    return waitOn(options, 'wait-closed', (o) => this.#w.wait_closed(o));
  }
  /** A WHATWG WritableStream that writes here (closing it closes the connection). */
  get writable() {
    if (this.#writable === null) {
      this.#writable = new WritableStream({
        write: async (chunk) => {
          this.write(chunk);
          await this.drain();
        },
        close: async () => {
          this.close();
          await this.waitClosed();
        },
        abort: () => this.close(),
      });
    }
    return this.#writable;
  }
}

/** Opens a connection to `url` (ws://, wss://, mem://name): resolves to { reader, writer }. */
export async function openConnection(url, options) {
  checkUrl(url);
  const [r, w] = await waitOn(options, 'connect', (o) => open_connection(url, o));
  return { reader: new StreamReader(r), writer: new StreamWriter(w) };
}

/** A listening server (startServer's result). */
export class Server {
  #s;
  /** @internal */
  constructor(raw) {
    this.#s = raw;
  }
  get address() {
    return this.#s.address();
  }
  /** Stops accepting connections; open ones go on. */
  close() {
    this.#s.close();
  }
  isServing() {
    return this.#s.is_serving();
  }
  waitClosed(options) {
    return waitOn(options, 'wait-closed', (o) => this.#s.wait_closed(o));
  }
  [asyncDispose]() {
    this.close();
    return this.waitClosed();
  }
}

const report = (e) => (typeof reportError === 'function' ? reportError(e) : console.error(e));

/**
 * Serves `url` (mem://name; mem:// alone picks a fresh name): calls `handler(reader, writer)` for
 * each connection; when the promise it returns settles, the writer is closed.
 */
export async function startServer(handler, url, options) {
  checkFunction(handler, 'handler');
  checkUrl(url);
  // The binding calls this for each connection; the writer is closed when the handler settles.
  const onConnection = (r, w) => {
    const writer = new StreamWriter(w);
    Promise.resolve()
      .then(() => handler(new StreamReader(r), writer))
      .catch(report)
      .finally(() => writer.close());
  };
  const raw = await waitOn(options, 'listen', (o) => start_server(onConnection, url, o));
  return new Server(raw);
}

/** A StreamReader over a fetch Response's body, a ReadableStream of bytes, or its reader. */
export function readerFrom(source) {
  let s = source;
  if (s !== null && typeof s === 'object' && 'body' in s && typeof s.arrayBuffer === 'function') {
    if (s.body === null) throw new TypeError('source has no body');
    s = s.body;
  }
  if (s !== null && typeof s === 'object' && typeof s.getReader === 'function') s = s.getReader();
  if (s === null || typeof s !== 'object' || typeof s.read !== 'function')
    throw new TypeError('source must be a Response, a ReadableStream or a ReadableStreamDefaultReader');
  ensureReady();
  const reader = s;
  // What the binding reads through: the next chunk, null at the end, false for a chunk that is not
  // bytes (the binding fails that read with a StreamError).
  const pull = async () => {
    const r = await reader.read();
    return r.done ? null : r.value instanceof Uint8Array ? r.value : false;
  };
  return new StreamReader(reader_from_stream(pull));
}

export { StreamError };
