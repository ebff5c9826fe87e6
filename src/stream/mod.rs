//! Streams: asyncio's [`StreamReader`] and [`StreamWriter`] over a [`transport`] that each host
//! supplies, and an in-memory transport ([`memory`]) that works on every host.
//!
//! A connection is a pair of halves (see [`transport`]): the reader owns the read half and buffers
//! what it pulls from it (bounded by its limit plus one transport read, see [`StreamReader`]); the
//! writer owns the write half and buffers what the transport cannot take yet, sending it in the
//! background (see [`StreamWriter`]). Framed reads fail with a [`ReadError`]: an
//! [`IncompleteReadError`] carrying the partial data, or a [`LimitOverrunError`] that leaves the
//! data in the buffer.
//!
//! [`copy()`] moves everything a reader reads to a writer (an echo, a proxy), letting the host move
//! the bytes itself where both transports allow it.
//!
//! Both sides implement the `futures-io` traits (`AsyncRead` and `AsyncBufRead` for the reader,
//! `AsyncWrite` for the writer), so they can be handed to crates that speak those.
//!
//! ```
//! use wasio::stream::{memory, StreamReader, StreamWriter};
//! wasio::run(async {
//!     let (client, server) = memory::pair();
//!     let echo = wasio::spawn(async move {
//!         let (mut r, mut w) = (StreamReader::new(server.read), StreamWriter::new(server.write));
//!         while let Ok(line) = r.readline().await {
//!             if line.is_empty() { break; }
//!             w.write(&line).unwrap();
//!             w.drain().await.unwrap();
//!         }
//!     });
//!     let (mut r, mut w) = (StreamReader::new(client.read), StreamWriter::new(client.write));
//!     w.write(b"hello\n").unwrap();
//!     assert_eq!(r.readline().await.unwrap(), b"hello\n");
//!     w.close();
//!     echo.await.unwrap();
//! });
//! ```

mod copy;
mod error;
pub mod memory;
mod reader;
pub mod transport;
mod writer;

pub use copy::copy;
pub use error::{IncompleteReadError, LimitOverrunError, ReadError};
pub use reader::{ReadOp, StreamReader, DEFAULT_LIMIT, READ_CHUNK};
pub(crate) use writer::WriterHandle;
pub use writer::{StreamWriter, DEFAULT_HIGH_WATER};
