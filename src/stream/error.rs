//! The reader's errors: [`IncompleteReadError`], [`LimitOverrunError`] and [`ReadError`], the one
//! type the reader's framed reads (`readexactly`, `readuntil`, `readline`) return.
//!
//! Each converts into `std::io::Error` (so `?` works in functions returning `io::Result`): an
//! incomplete read becomes [`io::ErrorKind::UnexpectedEof`], a limit overrun
//! [`io::ErrorKind::InvalidData`], and the original error stays reachable through
//! [`io::Error::get_ref`] / [`io::Error::into_inner`] and a downcast.
//!
//! Also [`StoredError`]: how a reader or writer keeps a transport failure, to report it again from
//! every later call.

use std::error::Error;
use std::fmt;
use std::io;

/// The stream ended before a framed read was satisfied (asyncio's `IncompleteReadError`).
///
/// Carries the bytes that were read (they are no longer in the reader's buffer: the error owns them)
/// and how many were expected (`None` for `readuntil`, which expected a separator).
///
/// # Examples
///
/// ```
/// use wasio::stream::{memory, StreamReader, StreamWriter};
/// wasio::run(async {
///     let (a, b) = memory::pair();
///     let mut w = StreamWriter::new(a.write);
///     let mut r = StreamReader::new(b.read);
///     w.write(b"abc").unwrap();
///     w.close();
///     let e = r.readexactly(5).await.unwrap_err().into_incomplete().unwrap();
///     assert_eq!((e.partial(), e.expected()), (&b"abc"[..], Some(5)));
/// });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncompleteReadError {
    partial: Vec<u8>,
    expected: Option<usize>,
}

impl IncompleteReadError {
    pub(crate) fn new(partial: Vec<u8>, expected: Option<usize>) -> Self {
        IncompleteReadError { partial, expected }
    }

    /// The bytes read before the end of the stream.
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     let mut w = wasio::StreamWriter::new(a.write);
    ///     w.write(b"ab").unwrap();
    ///     w.close();
    ///     let mut r = wasio::StreamReader::new(b.read);
    ///     let e = r.readexactly(4).await.unwrap_err().into_incomplete().unwrap();
    ///     assert_eq!(e.partial(), b"ab");
    /// });
    /// ```
    pub fn partial(&self) -> &[u8] {
        &self.partial
    }

    /// Takes the bytes read before the end of the stream.
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     let mut w = wasio::StreamWriter::new(a.write);
    ///     w.write(b"ab").unwrap();
    ///     w.close();
    ///     let mut r = wasio::StreamReader::new(b.read);
    ///     let e = r.readexactly(4).await.unwrap_err().into_incomplete().unwrap();
    ///     assert_eq!(e.into_partial(), b"ab");
    /// });
    /// ```
    pub fn into_partial(self) -> Vec<u8> {
        self.partial
    }

    /// How many bytes were expected; `None` when a separator was expected.
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     let mut w = wasio::StreamWriter::new(a.write);
    ///     w.write(b"ab").unwrap();
    ///     w.close();
    ///     let mut r = wasio::StreamReader::new(b.read);
    ///     let e = r.readexactly(4).await.unwrap_err().into_incomplete().unwrap();
    ///     assert_eq!(e.expected(), Some(4));
    /// });
    /// ```
    pub fn expected(&self) -> Option<usize> {
        self.expected
    }
}

impl fmt::Display for IncompleteReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.expected {
            Some(n) => write!(
                f,
                "{} bytes read on a total of {n} expected bytes",
                self.partial.len()
            ),
            None => write!(
                f,
                "{} bytes read before end of stream; separator expected",
                self.partial.len()
            ),
        }
    }
}

impl Error for IncompleteReadError {}

impl From<IncompleteReadError> for io::Error {
    fn from(e: IncompleteReadError) -> io::Error {
        io::Error::new(io::ErrorKind::UnexpectedEof, e)
    }
}

/// A separator search went past the reader's limit (asyncio's `LimitOverrunError`).
///
/// From `readuntil`, nothing was consumed: the data stays in the reader's buffer, and
/// [`consumed`](Self::consumed) says how many bytes could be taken (for example with `read` or
/// `readexactly`) to get past the overrun. From `readline`, which behaves as asyncio's does, the
/// offending data was discarded: through the separator if it was found, else the whole buffer
/// ([`discarded`](Self::discarded) says how many bytes).
///
/// # Examples
///
/// ```
/// use wasio::stream::{memory, StreamReader, StreamWriter};
/// wasio::run(async {
///     let (a, b) = memory::pair();
///     let mut w = StreamWriter::new(a.write);
///     let mut r = StreamReader::with_limit(b.read, 4).unwrap();
///     w.write(b"abcdef\n").unwrap();
///     let e = r.readuntil(b"\n").await.unwrap_err().into_limit_overrun().unwrap();
///     assert_eq!((e.consumed(), e.discarded()), (6, 0));
///     assert_eq!(r.readexactly(7).await.unwrap(), b"abcdef\n"); // the data was kept
/// });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitOverrunError {
    separator_found: bool,
    consumed: usize,
    discarded: usize,
}

impl LimitOverrunError {
    pub(crate) fn new(separator_found: bool, consumed: usize) -> Self {
        LimitOverrunError {
            separator_found,
            consumed,
            discarded: 0,
        }
    }

    pub(crate) fn with_discarded(mut self, discarded: usize) -> Self {
        self.discarded = discarded;
        self
    }

    /// How many bytes may be consumed to get past the overrun: the offset of the separator when it
    /// was found, else how far the search went.
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     wasio::StreamWriter::new(a.write).write(b"abcdef\n").unwrap();
    ///     let mut r = wasio::StreamReader::with_limit(b.read, 2).unwrap();
    ///     let e = r.readline().await.unwrap_err().into_limit_overrun().unwrap();
    ///     assert_eq!(e.consumed(), 6);
    /// });
    /// ```
    pub fn consumed(&self) -> usize {
        self.consumed
    }

    /// Whether the separator was found (beyond the limit).
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     wasio::StreamWriter::new(a.write).write(b"abcdef\n").unwrap();
    ///     let mut r = wasio::StreamReader::with_limit(b.read, 2).unwrap();
    ///     let e = r.readline().await.unwrap_err().into_limit_overrun().unwrap();
    ///     assert!(e.separator_found());
    /// });
    /// ```
    pub fn separator_found(&self) -> bool {
        self.separator_found
    }

    /// How many bytes the read discarded: 0 from `readuntil` (the data stays in the buffer), and
    /// from `readline` the bytes through the separator, or the whole buffer if it was not found.
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     wasio::StreamWriter::new(a.write).write(b"abcdef\n").unwrap();
    ///     let mut r = wasio::StreamReader::with_limit(b.read, 2).unwrap();
    ///     let e = r.readline().await.unwrap_err().into_limit_overrun().unwrap();
    ///     assert_eq!(e.discarded(), 7); // readline dropped the over-long line
    /// });
    /// ```
    pub fn discarded(&self) -> usize {
        self.discarded
    }
}

impl fmt::Display for LimitOverrunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.separator_found {
            f.write_str("separator is found, but chunk is longer than limit")?;
        } else {
            f.write_str("separator is not found, and chunk exceeds the limit")?;
        }
        if self.discarded > 0 {
            write!(f, " ({} bytes discarded)", self.discarded)?;
        }
        Ok(())
    }
}

impl Error for LimitOverrunError {}

impl From<LimitOverrunError> for io::Error {
    fn from(e: LimitOverrunError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }
}

/// Why a framed read (`readexactly`, `readuntil`, `readline`) failed.
///
/// # Examples
///
/// ```
/// use wasio::stream::{memory, ReadError, StreamReader, StreamWriter};
/// wasio::run(async {
///     let (a, b) = memory::pair();
///     StreamWriter::new(a.write).close();
///     let mut r = StreamReader::new(b.read);
///     match r.readuntil(b"\r\n").await {
///         Err(ReadError::IncompleteRead(e)) => assert!(e.partial().is_empty()),
///         other => panic!("unexpected {other:?}"),
///     }
/// });
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The stream ended first.
    IncompleteRead(IncompleteReadError),
    /// The separator was not found within the limit.
    LimitOverrun(LimitOverrunError),
    /// The transport failed (reset, ...) or the arguments were invalid (`InvalidInput`).
    Io(io::Error),
}

impl ReadError {
    /// The incomplete read, if that is what this is.
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     wasio::StreamWriter::new(a.write).close();
    ///     let mut r = wasio::StreamReader::new(b.read);
    ///     let e = r.readexactly(1).await.unwrap_err();
    ///     assert_eq!(e.into_incomplete().unwrap().expected(), Some(1));
    /// });
    /// ```
    pub fn into_incomplete(self) -> Option<IncompleteReadError> {
        match self {
            ReadError::IncompleteRead(e) => Some(e),
            _ => None,
        }
    }

    /// The limit overrun, if that is what this is.
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     wasio::StreamWriter::new(a.write).close();
    ///     let mut r = wasio::StreamReader::new(b.read);
    ///     let e = r.readexactly(1).await.unwrap_err();
    ///     assert!(e.into_limit_overrun().is_none());
    /// });
    /// ```
    pub fn into_limit_overrun(self) -> Option<LimitOverrunError> {
        match self {
            ReadError::LimitOverrun(e) => Some(e),
            _ => None,
        }
    }

    /// The I/O error kind this error converts to.
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, b) = wasio::stream::memory::pair();
    ///     wasio::StreamWriter::new(a.write).close();
    ///     let mut r = wasio::StreamReader::new(b.read);
    ///     let e = r.readexactly(1).await.unwrap_err();
    ///     assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
    /// });
    /// ```
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            ReadError::IncompleteRead(_) => io::ErrorKind::UnexpectedEof,
            ReadError::LimitOverrun(_) => io::ErrorKind::InvalidData,
            ReadError::Io(e) => e.kind(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::IncompleteRead(e) => e.fmt(f),
            ReadError::LimitOverrun(e) => e.fmt(f),
            ReadError::Io(e) => e.fmt(f),
        }
    }
}

impl Error for ReadError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ReadError::IncompleteRead(e) => Some(e),
            ReadError::LimitOverrun(e) => Some(e),
            ReadError::Io(e) => Some(e),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl From<IncompleteReadError> for ReadError {
    fn from(e: IncompleteReadError) -> Self {
        ReadError::IncompleteRead(e)
    }
}

impl From<LimitOverrunError> for ReadError {
    fn from(e: LimitOverrunError) -> Self {
        ReadError::LimitOverrun(e)
    }
}

impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> io::Error {
        match e {
            ReadError::IncompleteRead(e) => e.into(),
            ReadError::LimitOverrun(e) => e.into(),
            ReadError::Io(e) => e,
        }
    }
}

/// A transport failure as a reader or writer keeps it (`io::Error` is not `Clone`): its kind and
/// its message. Every later call reports a fresh error made from it ([`replay`]).
pub(crate) type StoredError = (io::ErrorKind, String);

/// Keeps `e` for later reports. Out of line: every site that records a failure shares this one
/// copy of the (cold) formatting. `format!`, not `to_string`: `format!` goes through `alloc`'s own
/// formatting into a `String`, which the crate's other messages use too, while `to_string` would
/// build a second copy of `String`'s formatting sink in this crate (about 700 bytes in a component).
#[cold]
#[inline(never)]
pub(crate) fn store(e: &io::Error) -> StoredError {
    (e.kind(), format!("{e}"))
}

/// A fresh error with the stored kind and message.
#[cold]
#[inline(never)]
pub(crate) fn replay(stored: &StoredError) -> io::Error {
    crate::io_message::error(stored.0, stored.1.clone())
}
