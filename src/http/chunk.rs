//! [`Buffered`]: the one chunk a streaming body holds between reads, shared by the backends.
//!
//! # Data structure
//!
//! A body source hands out whole chunks (`Vec<u8>`); a byte-wise read (`TransportRead`) may take
//! fewer bytes than a chunk holds. `Buffered` keeps that chunk (`bytes`) and how far it has been
//! read (`offset`); the bytes not yet handed out are `bytes[offset..]`. It is empty when
//! `offset >= bytes.len()`.

use std::future::poll_fn;
use std::io;
use std::task::{Context, Poll};

/// The unread rest of the last chunk a body's source delivered.
#[derive(Default)]
pub(crate) struct Buffered {
    bytes: Vec<u8>,
    offset: usize,
}

impl Buffered {
    /// Whether every byte has been handed out.
    pub(crate) fn is_empty(&self) -> bool {
        self.offset >= self.bytes.len()
    }

    /// How many bytes are left to hand out.
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    pub(crate) fn len(&self) -> usize {
        self.bytes.len().saturating_sub(self.offset)
    }

    /// Holds `chunk`, none of it read yet (whatever was left before is dropped).
    pub(crate) fn set(&mut self, chunk: Vec<u8>) {
        self.bytes = chunk;
        self.offset = 0;
    }

    /// Drops what is left (keeping the allocation).
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
        self.offset = 0;
    }

    /// The bytes left, taken out (empty if none).
    pub(crate) fn take(&mut self) -> Vec<u8> {
        // The browser's `Body` hands whole chunks out this way (offset 0): give the buffer itself,
        // allocating nothing. On WASI a chunk is held only after a read took part of it.
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        if self.offset == 0 {
            return std::mem::take(&mut self.bytes);
        }
        let rest = self.bytes.split_off(self.offset.min(self.bytes.len()));
        self.clear();
        rest
    }

    /// Copies as many of the bytes left as fit into `buf`; returns how many.
    pub(crate) fn copy_to(&mut self, buf: &mut [u8]) -> usize {
        let rest = &self.bytes[self.offset..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.offset += n;
        n
    }
}

/// A body's poll for its next chunk (`None` at the end).
pub(crate) type PollNext<T> = fn(&mut T, &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>>;

/// `TransportRead::poll_read` for a body that keeps its unread chunk in `buffered(this)` and gets
/// the next one with `next` (`None` at the end): copies from the held chunk, fetching a new one
/// first when it is empty. `Ready(Ok(0))` is the end of the body (or an empty `buf`).
#[inline]
pub(crate) fn poll_read<T>(
    this: &mut T,
    cx: &mut Context<'_>,
    buf: &mut [u8],
    buffered: fn(&mut T) -> &mut Buffered,
    next: PollNext<T>,
) -> Poll<io::Result<usize>> {
    if buf.is_empty() {
        return Poll::Ready(Ok(0));
    }
    if buffered(this).is_empty() {
        match next(this, cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Ready(Ok(None)) => return Poll::Ready(Ok(0)),
            Poll::Ready(Ok(Some(chunk))) => buffered(this).set(chunk),
        }
    }
    Poll::Ready(Ok(buffered(this).copy_to(buf)))
}

/// The whole body `next` delivers, if it is at most `limit` bytes (else `InvalidData`): the
/// backends' `IncomingBody::bytes`.
///
/// Not cancel safe: the bytes read so far are lost with the future.
pub(crate) async fn read_to_limit<T>(
    this: &mut T,
    limit: usize,
    next: PollNext<T>,
) -> io::Result<Vec<u8>> {
    let mut all = Vec::new();
    while let Some(chunk) = poll_fn(|cx| next(this, cx)).await? {
        if all.len() + chunk.len() > limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the body is longer than the limit of {limit} bytes"),
            ));
        }
        all.extend_from_slice(&chunk);
    }
    Ok(all)
}
