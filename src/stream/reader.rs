//! [`StreamReader`]: asyncio's buffered reader over a [`TransportRead`].
//!
//! # Data structure
//!
//! The reader owns its transport's read half and one byte buffer, `data`, whose every byte is
//! initialised; the unread bytes are `data[start..end]`, and the transport reads into the spare tail
//! `data[end..]`. Consuming moves `start`; when the buffer empties both indices return to 0, and
//! before a read the unread bytes move to the front if the tail is short.
//!
//! The reader *pulls*: it reads from the transport only when a method needs more bytes than the
//! buffer holds, one transport read (at most [`READ_CHUNK`] bytes) at a time. A separator search
//! pulls only while the bytes searched are within the limit, so the buffer never exceeds
//! `limit + separator length + READ_CHUNK`; while the application is not reading, bytes stay in the
//! transport, which then pushes back on the sender (the memory pipe and sockets are bounded).
//! `readexactly(n)` and `read_to_end` hold what they were asked for.
//!
//! `eof` records that the transport reported end of stream; `error` a transport failure (kind and
//! message), reported by every later read that needs more bytes. Bytes already buffered stay
//! readable after either: nothing that arrived is lost.
//!
//! Every read method keeps partial progress in the buffer, so dropping its future (cancelling)
//! loses nothing: the next call sees the same bytes.

use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::{self, IncompleteReadError, LimitOverrunError, ReadError, StoredError};
use super::transport::{SpliceError, TransportRead};
use super::writer::StreamWriter;

/// The default limit on a line or separator search (asyncio's `_DEFAULT_LIMIT`): 64 KiB.
///
/// # Examples
///
/// ```
/// let (a, _b) = wasio::stream::memory::pair();
/// assert_eq!(wasio::StreamReader::new(a.read).limit(), wasio::stream::DEFAULT_LIMIT);
/// ```
pub const DEFAULT_LIMIT: usize = 64 * 1024;

/// The most bytes one transport read asks for.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let (a, b) = wasio::stream::memory::pair_with_capacity(1 << 20).unwrap();
///     wasio::StreamWriter::new(a.write).write(&vec![1; 100_000]).unwrap();
///     let mut r = wasio::StreamReader::new(b.read);
///     assert_eq!(r.read(usize::MAX).await.unwrap().len(), wasio::stream::READ_CHUNK);
/// });
/// ```
pub const READ_CHUNK: usize = 64 * 1024;

/// Which read [`StreamReader::read_op`] runs: each of the reader's read methods is one of these.
///
/// # Examples
///
/// ```
/// use wasio::stream::{memory, ReadOp, StreamReader, StreamWriter};
/// wasio::run(async {
///     let (a, b) = memory::pair();
///     let mut w = StreamWriter::new(a.write);
///     let mut r = StreamReader::new(b.read);
///     w.write(b"abc").unwrap();
///     assert_eq!(r.read_op(ReadOp::Read(2)).await.unwrap(), b"ab");
/// });
/// ```
#[derive(Clone, Copy, Debug)]
pub enum ReadOp<'a> {
    /// [`read(n)`](StreamReader::read): up to `n` bytes.
    Read(usize),
    /// [`read_to_end`](StreamReader::read_to_end).
    ToEnd,
    /// [`readexactly(n)`](StreamReader::readexactly).
    Exactly(usize),
    /// [`readuntil_any`](StreamReader::readuntil_any) with these separators.
    Until(&'a [&'a [u8]]),
    /// [`readline`](StreamReader::readline).
    Line,
}

/// The least spare room the buffer keeps before a transport read.
const MIN_SPARE: usize = 8 * 1024;

/// Reads from a connection: bytes, lines, exact counts, up to separators (asyncio's
/// `StreamReader`).
///
/// Get one from [`open_connection`](crate::net::open_connection), from a server's handler, or wrap
/// any transport with [`StreamReader::new`].
///
/// # Examples
///
/// ```
/// use wasio::stream::{memory, StreamReader, StreamWriter};
/// wasio::run(async {
///     let (a, b) = memory::pair();
///     let mut w = StreamWriter::new(a.write);
///     let mut r = StreamReader::new(b.read);
///     w.write(b"HELLO 5\r\nworld").unwrap();
///     w.close();
///     assert_eq!(r.readuntil(b"\r\n").await.unwrap(), b"HELLO 5\r\n");
///     assert_eq!(r.readexactly(5).await.unwrap(), b"world");
///     assert!(r.read(100).await.unwrap().is_empty());
///     assert!(r.at_eof());
/// });
/// ```
pub struct StreamReader {
    transport: Box<dyn TransportRead>,
    data: Vec<u8>,
    start: usize,
    end: usize,
    limit: usize,
    eof: bool,
    error: Option<StoredError>,
}

impl fmt::Debug for StreamReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamReader")
            .field("buffered", &self.buffered())
            .field("limit", &self.limit)
            .field("eof", &self.eof)
            .field("error", &self.error)
            .finish()
    }
}

fn invalid(msg: &'static str) -> io::Error {
    crate::io_message::error(io::ErrorKind::InvalidInput, msg)
}

/// The first index at or after `from` where `needle` starts in `hay`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let p = i + memchr(first, &hay[i..=hay.len() - needle.len()])?;
        if hay[p + 1..p + needle.len()] == *rest {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// The index of the first `b` in `hay`, eight bytes at a time.
fn memchr(b: u8, hay: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO * u64::from(b);
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) ^ pattern;
        if (w.wrapping_sub(LO) & !w & HI) != 0 {
            break;
        }
        base += 8;
    }
    hay[base..].iter().position(|&x| x == b).map(|i| base + i)
}

impl StreamReader {
    /// A reader over `transport` with the default limit ([`DEFAULT_LIMIT`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let r = wasio::stream::StreamReader::new(a.read);
    /// assert_eq!(r.limit(), wasio::stream::DEFAULT_LIMIT);
    /// ```
    pub fn new(transport: Box<dyn TransportRead>) -> StreamReader {
        StreamReader {
            transport,
            data: Vec::new(),
            start: 0,
            end: 0,
            limit: DEFAULT_LIMIT,
            eof: false,
            error: None,
        }
    }

    /// A reader over `transport` whose line and separator searches stop at `limit` bytes.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if `limit` is 0 (asyncio: "Limit cannot be <= 0").
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, b) = wasio::stream::memory::pair();
    /// assert!(wasio::stream::StreamReader::with_limit(a.read, 0).is_err());
    /// assert_eq!(wasio::stream::StreamReader::with_limit(b.read, 10).unwrap().limit(), 10);
    /// ```
    pub fn with_limit(transport: Box<dyn TransportRead>, limit: usize) -> io::Result<StreamReader> {
        let mut r = StreamReader::new(transport);
        r.set_limit(limit)?;
        Ok(r)
    }

    /// The limit on line and separator searches.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// assert_eq!(wasio::stream::StreamReader::new(a.read).limit(), 65536);
    /// ```
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Changes the limit on line and separator searches.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if `limit` is 0; the limit is then unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let mut r = wasio::stream::StreamReader::new(a.read);
    /// r.set_limit(1 << 20).unwrap();
    /// assert_eq!(r.set_limit(0).unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
    /// assert_eq!(r.limit(), 1 << 20);
    /// ```
    pub fn set_limit(&mut self, limit: usize) -> io::Result<()> {
        if limit == 0 {
            return Err(invalid("stream reader limit must be positive"));
        }
        self.limit = limit;
        Ok(())
    }

    /// How many bytes are buffered (received from the transport and not yet read).
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"one\ntwo\n").unwrap();
    ///     r.readline().await.unwrap();
    ///     assert_eq!(r.buffered(), 4);
    /// });
    /// ```
    pub fn buffered(&self) -> usize {
        self.end - self.start
    }

    /// Whether the stream has ended and every byte was read: true only once a read has seen the end
    /// of stream and the buffer is empty (the reader learns of the end when it next needs bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"x").unwrap();
    ///     w.close();
    ///     assert!(!r.at_eof());
    ///     assert_eq!(r.read_to_end().await.unwrap(), b"x");
    ///     assert!(r.at_eof());
    /// });
    /// ```
    pub fn at_eof(&self) -> bool {
        self.eof && self.start == self.end
    }

    fn filled(&self) -> &[u8] {
        &self.data[self.start..self.end]
    }

    #[cfg_attr(target_family = "wasm", inline(never))]
    fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.buffered());
        self.start += n;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            let keep = MIN_SPARE.max(READ_CHUNK);
            if self.data.len() > 2 * keep.max(self.limit) {
                self.data.truncate(keep);
                self.data.shrink_to_fit();
            }
        }
    }

    fn take(&mut self, n: usize) -> Vec<u8> {
        let v = self.data[self.start..self.start + n].to_vec();
        self.consume(n);
        v
    }

    /// Makes room for at least `want` bytes after `end`.
    fn reserve(&mut self, want: usize) {
        if self.data.len() - self.end >= want {
            return;
        }
        if self.start > 0 {
            self.data.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.data.len() - self.end < want {
            self.data.resize(self.end + want, 0);
        }
    }

    /// Reads once from the transport into the buffer, making room for `want` bytes; `Ok(0)` at the
    /// end of stream.
    fn poll_fill(&mut self, cx: &mut Context<'_>, want: usize) -> Poll<io::Result<usize>> {
        if let Some(stored) = &self.error {
            return Poll::Ready(Err(error::replay(stored)));
        }
        if self.eof {
            return Poll::Ready(Ok(0));
        }
        self.reserve(want.max(MIN_SPARE));
        let max = (self.data.len() - self.end).min(READ_CHUNK.max(want));
        let end = self.end;
        loop {
            return match self.transport.poll_read(cx, &mut self.data[end..end + max]) {
                Poll::Pending => {
                    crate::trace::wait::waiting_io(crate::trace::WaitReason::Read);
                    Poll::Pending
                }
                Poll::Ready(Ok(0)) => {
                    self.eof = true;
                    Poll::Ready(Ok(0))
                }
                Poll::Ready(Ok(n)) => {
                    let n = n.min(max);
                    self.end += n;
                    Poll::Ready(Ok(n))
                }
                Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::Interrupted => continue,
                Poll::Ready(Err(e)) => {
                    self.error = Some(error::store(&e));
                    Poll::Ready(Err(e))
                }
            };
        }
    }

    fn fill(&mut self, want: usize) -> impl Future<Output = io::Result<usize>> + '_ {
        poll_fn(move |cx| self.poll_fill(cx, want))
    }

    /// Reads up to `n` bytes: whatever is buffered, else what the next transport read brings.
    /// Returns empty at once for `n == 0`, and empty at the end of the stream.
    ///
    /// # Errors
    ///
    /// The transport's error (for example `ConnectionReset`) when the buffer is empty.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no bytes are consumed unless the call returns them.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"abcdef").unwrap();
    ///     assert_eq!(r.read(0).await.unwrap(), b"");
    ///     assert_eq!(r.read(4).await.unwrap(), b"abcd");
    ///     assert_eq!(r.read(4).await.unwrap(), b"ef");
    /// });
    /// ```
    pub async fn read(&mut self, n: usize) -> io::Result<Vec<u8>> {
        self.read_op(ReadOp::Read(n)).await.map_err(io::Error::from)
    }

    /// Reads until the end of the stream and returns everything (asyncio's `read(-1)`).
    ///
    /// # Errors
    ///
    /// The transport's error; the bytes read so far stay buffered, readable with [`read`](Self::read).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"all of it").unwrap();
    ///     w.close();
    ///     assert_eq!(r.read_to_end().await.unwrap(), b"all of it");
    /// });
    /// ```
    pub async fn read_to_end(&mut self) -> io::Result<Vec<u8>> {
        self.read_op(ReadOp::ToEnd).await.map_err(io::Error::from)
    }

    /// Reads exactly `n` bytes.
    ///
    /// # Errors
    ///
    /// [`ReadError::IncompleteRead`] if the stream ends first: the error carries the bytes read
    /// (they leave the buffer) and `n`. [`ReadError::Io`] for a transport error (the bytes read so
    /// far stay buffered).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"\x00\x03abc").unwrap();
    ///     let len = r.readexactly(2).await.unwrap();
    ///     assert_eq!(r.readexactly(len[1] as usize).await.unwrap(), b"abc");
    /// });
    /// ```
    pub async fn readexactly(&mut self, n: usize) -> Result<Vec<u8>, ReadError> {
        self.read_op(ReadOp::Exactly(n)).await
    }

    /// Reads through the first `separator` and returns the data with the separator.
    ///
    /// # Errors
    ///
    /// * [`ReadError::IncompleteRead`] if the stream ends before a separator: it carries every byte
    ///   that was buffered (they leave the buffer) and `expected() == None`;
    /// * [`ReadError::LimitOverrun`] if no separator is found within the limit, or the one found
    ///   starts beyond it: the data stays in the buffer;
    /// * [`ReadError::Io`]: a transport error, or `InvalidInput` for an empty separator.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"key: value\r\n\r\nbody").unwrap();
    ///     assert_eq!(r.readuntil(b"\r\n\r\n").await.unwrap(), b"key: value\r\n\r\n");
    /// });
    /// ```
    pub async fn readuntil(&mut self, separator: &[u8]) -> Result<Vec<u8>, ReadError> {
        self.read_op(ReadOp::Until(&[separator])).await
    }

    /// Reads through the earliest match of any of `separators` (the shortest result that ends with
    /// one of them; asyncio's `readuntil` with a tuple).
    ///
    /// For the limit, the separator that ends first counts: its start must be within the limit.
    ///
    /// # Errors
    ///
    /// As [`readuntil`](Self::readuntil); `InvalidInput` if `separators` is empty or any separator is.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"one\r\ntwo\n").unwrap();
    ///     assert_eq!(r.readuntil_any(&[b"\r\n", b"\n"]).await.unwrap(), b"one\r\n");
    ///     assert_eq!(r.readuntil_any(&[b"\r\n", b"\n"]).await.unwrap(), b"two\n");
    /// });
    /// ```
    pub async fn readuntil_any(&mut self, separators: &[&[u8]]) -> Result<Vec<u8>, ReadError> {
        self.read_op(ReadOp::Until(separators)).await
    }

    /// Reads one line, through `b"\n"`. At the end of the stream returns the partial last line
    /// (empty once everything was read).
    ///
    /// Over the limit it behaves as asyncio's `readline`: if the separator was found (beyond the
    /// limit) the line through it is discarded, otherwise the whole buffer is, and the call fails
    /// with [`ReadError::LimitOverrun`] (its [`discarded`](LimitOverrunError::discarded) says how
    /// many bytes). In the second case the rest of the over-long line is still to come, and the next
    /// `readline` returns it. Use [`readuntil`](Self::readuntil) to keep over-long data instead.
    ///
    /// # Errors
    ///
    /// [`ReadError::LimitOverrun`] as above; [`ReadError::Io`] for a transport error.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"first\nlast").unwrap();
    ///     w.close();
    ///     assert_eq!(r.readline().await.unwrap(), b"first\n");
    ///     assert_eq!(r.readline().await.unwrap(), b"last");
    ///     assert_eq!(r.readline().await.unwrap(), b"");
    /// });
    /// ```
    pub async fn readline(&mut self) -> Result<Vec<u8>, ReadError> {
        self.read_op(ReadOp::Line).await
    }

    /// Runs one read, `op`: the engine behind [`read`](Self::read),
    /// [`read_to_end`](Self::read_to_end), [`readexactly`](Self::readexactly),
    /// [`readuntil`](Self::readuntil), [`readuntil_any`](Self::readuntil_any) and
    /// [`readline`](Self::readline), each of which is this call with its [`ReadOp`]. Code that picks
    /// the read at run time (a language binding) calls it to have one future type for them all.
    ///
    /// # Errors
    ///
    /// Those of the read `op` names; for `Read` and `ToEnd` only [`ReadError::Io`].
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes read so far stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, ReadOp, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let mut r = StreamReader::new(b.read);
    ///     w.write(b"one\ntwo;three").unwrap();
    ///     w.close();
    ///     assert_eq!(r.read_op(ReadOp::Line).await.unwrap(), b"one\n");
    ///     assert_eq!(r.read_op(ReadOp::Until(&[b";"])).await.unwrap(), b"two;");
    ///     assert_eq!(r.read_op(ReadOp::Exactly(2)).await.unwrap(), b"th");
    ///     assert_eq!(r.read_op(ReadOp::ToEnd).await.unwrap(), b"ree");
    /// });
    /// ```
    pub fn read_op<'a>(
        &'a mut self,
        op: ReadOp<'a>,
    ) -> impl Future<Output = Result<Vec<u8>, ReadError>> + 'a {
        let mut offset = 0;
        poll_fn(move |cx| self.poll_op(cx, op, &mut offset))
    }

    /// One poll of `op`. `offset` is where a separator search resumes (0 at first): the bytes
    /// before it hold no match.
    fn poll_op(
        &mut self,
        cx: &mut Context<'_>,
        op: ReadOp<'_>,
        offset: &mut usize,
    ) -> Poll<Result<Vec<u8>, ReadError>> {
        let separators: &[&[u8]] = match op {
            ReadOp::Line => &[b"\n"],
            ReadOp::Until(s) => s,
            _ => &[],
        };
        if let ReadOp::Until(s) = op {
            if s.is_empty() {
                return Poll::Ready(Err(invalid("readuntil needs at least one separator").into()));
            }
            if s.iter().any(|s| s.is_empty()) {
                return Poll::Ready(Err(invalid("a separator must be at least one byte").into()));
            }
        }
        loop {
            let have = self.buffered();
            let want = match op {
                ReadOp::Read(n) => {
                    if n == 0 || have > 0 {
                        return Poll::Ready(Ok(self.take(have.min(n))));
                    }
                    n.min(READ_CHUNK)
                }
                ReadOp::ToEnd => have.max(MIN_SPARE),
                ReadOp::Exactly(n) => {
                    if have >= n {
                        return Poll::Ready(Ok(self.take(n)));
                    }
                    // Grow geometrically towards `n`, never allocating more than was received so
                    // far (plus one read): an absurd `n` costs nothing until the bytes arrive.
                    (n - have).min(have.max(READ_CHUNK))
                }
                ReadOp::Until(_) | ReadOp::Line => match self.scan(separators, offset) {
                    Ok(Some(end)) => return Poll::Ready(Ok(self.take(end))),
                    Ok(None) => MIN_SPARE,
                    Err(e) if matches!(op, ReadOp::Line) => {
                        // asyncio's readline: drop the line through its separator, or the buffer.
                        let n = if self.filled().get(e.consumed()) == Some(&b'\n') {
                            e.consumed() + 1
                        } else {
                            have
                        };
                        self.consume(n);
                        return Poll::Ready(Err(e.with_discarded(n).into()));
                    }
                    Err(e) => return Poll::Ready(Err(e.into())),
                },
            };
            match std::task::ready!(self.poll_fill(cx, want)) {
                Err(e) => return Poll::Ready(Err(e.into())),
                Ok(0) => {
                    let partial = self.take(self.buffered());
                    return Poll::Ready(match op {
                        ReadOp::Exactly(n) => {
                            Err(IncompleteReadError::new(partial, Some(n)).into())
                        }
                        ReadOp::Until(_) => Err(IncompleteReadError::new(partial, None).into()),
                        _ => Ok(partial),
                    });
                }
                Ok(_) => {}
            }
        }
    }

    /// Looks for the earliest of `separators` in the buffer from `offset` on: where it ends, or
    /// `None` (and `offset` moves to where a later match could start), or the limit's error.
    fn scan(
        &self,
        separators: &[&[u8]],
        offset: &mut usize,
    ) -> Result<Option<usize>, LimitOverrunError> {
        let min_len = separators.iter().map(|s| s.len()).min().unwrap_or(1);
        let max_len = separators.iter().map(|s| s.len()).max().unwrap_or(1);
        let buf = self.filled();
        if buf.len() - (*offset).min(buf.len()) < min_len {
            return Ok(None);
        }
        let mut best: Option<(usize, usize)> = None;
        for sep in separators {
            if let Some(at) = find(buf, sep, *offset) {
                let end = at + sep.len();
                if best.is_none_or(|(_, e)| end < e) {
                    best = Some((at, end));
                }
            }
        }
        if let Some((at, end)) = best {
            if at > self.limit {
                return Err(LimitOverrunError::new(true, at));
            }
            return Ok(Some(end));
        }
        // No match: a later one can only start where a separator could still fit.
        *offset = (buf.len() + 1).saturating_sub(max_len);
        if *offset > self.limit {
            return Err(LimitOverrunError::new(false, *offset));
        }
        Ok(None)
    }

    /// The buffered bytes, for [`copy`](fn@super::copy) to hand on before it consumes them.
    pub(crate) fn buffer(&self) -> &[u8] {
        self.filled()
    }

    /// Consumes `n` buffered bytes (at most [`buffered`](Self::buffered)).
    pub(crate) fn discard(&mut self, n: usize) {
        self.consume(n.min(self.buffered()));
    }

    /// Reads once from the transport into the (empty) buffer; `Ok(0)` at the end of stream.
    pub(crate) fn fill_chunk(&mut self) -> impl Future<Output = io::Result<usize>> + '_ {
        self.fill(READ_CHUNK)
    }

    /// Moves up to `max` bytes from the transport straight into `writer`'s transport, past this
    /// buffer (which must be empty): `Ok(Some(n))` moved `n`, `Ok(Some(0))` is the end of stream,
    /// `Ok(None)` means the writer's transport cannot take them that way (read and write instead).
    /// The end of stream and a read error are recorded as a read would record them.
    pub(crate) fn poll_splice_to(
        &mut self,
        cx: &mut Context<'_>,
        writer: &mut StreamWriter,
        max: usize,
    ) -> Poll<io::Result<Option<usize>>> {
        debug_assert_eq!(self.buffered(), 0);
        if let Some(stored) = &self.error {
            return Poll::Ready(Err(error::replay(stored)));
        }
        if self.eof {
            return Poll::Ready(Ok(Some(0)));
        }
        let Some(moved) = writer.poll_splice_from(cx, &mut *self.transport, max) else {
            return Poll::Ready(Ok(None));
        };
        Poll::Ready(match std::task::ready!(moved) {
            Ok(0) => {
                self.eof = true;
                Ok(Some(0))
            }
            Ok(n) => Ok(Some(n)),
            Err(SpliceError::Read(e)) => {
                self.error = Some(error::store(&e));
                Err(e)
            }
            Err(SpliceError::Write(e)) => Err(e),
        })
    }

    pub(crate) fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        if self.buffered() == 0 {
            match self.poll_fill(cx, MIN_SPARE) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(_)) => {}
            }
        }
        Poll::Ready(Ok(self.filled()))
    }
}

impl futures_io::AsyncRead for StreamReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let this = &mut *self;
        let src = match this.poll_fill_buf(cx) {
            Poll::Ready(Ok(src)) => src,
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => return Poll::Pending,
        };
        let n = src.len().min(buf.len());
        buf[..n].copy_from_slice(&src[..n]);
        this.consume(n);
        Poll::Ready(Ok(n))
    }
}

impl futures_io::AsyncBufRead for StreamReader {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        self.get_mut().poll_fill_buf(cx)
    }

    fn consume(mut self: Pin<&mut Self>, amt: usize) {
        let amt = amt.min(self.buffered());
        StreamReader::consume(&mut self, amt);
    }
}
