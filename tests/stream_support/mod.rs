//! Test support for the stream tests: a transport that delivers given chunks, one per read.
//!
//! `Chunks` is a real `TransportRead` (the trait users implement for their own transports): each
//! chunk arrives after one `Pending` (with an immediate wake-up), so the reader's waiting paths run,
//! and never merged with the next one, so a test controls every chunk boundary.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io;
use std::task::{Context, Poll};

use wasio::stream::transport::TransportRead;
use wasio::stream::StreamReader;

/// How the chunks end.
#[derive(Debug, Clone, Copy)]
pub enum End {
    /// End of stream.
    Eof,
    /// A transport error of this kind.
    Error(io::ErrorKind),
}

pub struct Chunks {
    chunks: VecDeque<Vec<u8>>,
    end: End,
    ready: bool,
}

impl TransportRead for Chunks {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if !self.ready {
            self.ready = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let Some(chunk) = self.chunks.front_mut() else {
            return Poll::Ready(match self.end {
                End::Eof => Ok(0),
                End::Error(kind) => Err(io::Error::new(kind, "test transport error")),
            });
        };
        let n = chunk.len().min(buf.len());
        buf[..n].copy_from_slice(&chunk[..n]);
        chunk.drain(..n);
        if chunk.is_empty() {
            self.chunks.pop_front();
            self.ready = false;
        }
        Poll::Ready(Ok(n))
    }
}

/// A reader over `chunks` (empty chunks are skipped: a transport never reads 0 bytes but at EOF).
pub fn reader<I, C>(chunks: I, end: End, limit: usize) -> StreamReader
where
    I: IntoIterator<Item = C>,
    C: AsRef<[u8]>,
{
    let chunks = chunks
        .into_iter()
        .map(|c| c.as_ref().to_vec())
        .filter(|c| !c.is_empty())
        .collect();
    StreamReader::with_limit(
        Box::new(Chunks {
            chunks,
            end,
            ready: false,
        }),
        limit,
    )
    .unwrap()
}

/// A reader over `chunks`, then end of stream, with the default limit.
pub fn eof_reader<I, C>(chunks: I) -> StreamReader
where
    I: IntoIterator<Item = C>,
    C: AsRef<[u8]>,
{
    reader(chunks, End::Eof, wasio::stream::DEFAULT_LIMIT)
}
