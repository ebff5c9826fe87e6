//! [`copy()`]: everything a [`StreamReader`] reads, written to a [`StreamWriter`] (an echo, a proxy,
//! `cat`).
//!
//! Each round moves one chunk, in one of two ways:
//!
//! * **through the reader's buffer**: bytes the reader already holds, or, when the transports
//!   cannot do better, one transport read (at most [`READ_CHUNK`] bytes). They are written, and
//!   `drain` keeps the writer's buffer under its high-water mark, as a `read`/`write`/`drain` loop
//!   would.
//! * **spliced**: when the reader's buffer is empty, nothing is buffered in the writer and the
//!   writer's transport can take bytes from the reader's transport itself
//!   ([`TransportWrite::poll_splice`](super::transport::TransportWrite::poll_splice); on WASI two
//!   `wasi:io/streams` streams, which the host copies between with `output-stream.splice`), the
//!   bytes never enter this program (at most [`READ_CHUNK`] bytes per splice too). Flow control is
//!   the output's: a splice moves only what the output accepts now, and waits otherwise.
//!
//! A transfer that finds data every time does not wait, so after [`FAIR_ROUNDS`] of them in a row
//! the task yields once, letting other tasks run.

use std::future::poll_fn;
use std::io;

use super::reader::{StreamReader, READ_CHUNK};
use super::writer::StreamWriter;

/// How many transfers in a row may complete without waiting before [`copy()`] yields.
const FAIR_ROUNDS: u32 = 16;

/// Copies everything `reader` reads to `writer` until the end of the stream, and returns how many
/// bytes it copied. It does not close or half-close `writer`: that is the caller's next step.
///
/// Equivalent to a loop of `read`, `write` and `drain`, so the writer's buffer stays bounded (a
/// peer that never reads stops the copy), but where both ends are host streams the host moves
/// the bytes itself (WASI: `output-stream.splice`), which saves copying them into the program and
/// back out.
///
/// # Errors
///
/// The reader's error (for example `ConnectionReset`), after which the reader reports it again;
/// or what [`StreamWriter::write`] and [`StreamWriter::drain`] report (`BrokenPipe` after
/// `close`, the transport's error once a send failed). When the host moved the bytes itself, a
/// failure is attributed to the writer if the writer's transport reports an error afterwards,
/// else to the reader.
///
/// # Cancel safety
///
/// Cancel safe: every byte taken from the reader has been handed to the writer (bytes still in
/// the writer's buffer are sent in the background), and the reader keeps the rest.
///
/// # Examples
///
/// ```
/// use wasio::stream::{copy, memory, StreamReader, StreamWriter};
/// wasio::run(async {
///     let (client, server) = memory::pair();
///     let echo = wasio::spawn(async move {
///         let (mut r, mut w) = (StreamReader::new(server.read), StreamWriter::new(server.write));
///         let n = copy(&mut r, &mut w).await.unwrap();
///         w.close();
///         n
///     });
///     let (mut r, mut w) = (StreamReader::new(client.read), StreamWriter::new(client.write));
///     w.write(b"ping").unwrap();
///     w.write_eof().unwrap();
///     assert_eq!(r.read_to_end().await.unwrap(), b"ping");
///     assert_eq!(echo.await.unwrap(), 4);
/// });
/// ```
pub async fn copy(reader: &mut StreamReader, writer: &mut StreamWriter) -> io::Result<u64> {
    let mut copied = 0u64;
    let mut unwaited = 0;
    loop {
        if reader.buffered() == 0 {
            let mut waited = false;
            let spliced = poll_fn(|cx| {
                let p = reader.poll_splice_to(cx, writer, READ_CHUNK);
                waited |= p.is_pending();
                p
            })
            .await?;
            match spliced {
                Some(0) => return Ok(copied),
                Some(n) => {
                    copied += n as u64;
                    unwaited = if waited { 0 } else { unwaited + 1 };
                    if unwaited >= FAIR_ROUNDS {
                        unwaited = 0;
                        crate::yield_now().await;
                    }
                    continue;
                }
                None => {
                    if reader.fill_chunk().await? == 0 {
                        return Ok(copied);
                    }
                }
            }
        }
        let chunk = reader.buffer();
        let n = chunk.len();
        writer.write(chunk)?;
        reader.discard(n);
        copied += n as u64;
        writer.drain().await?;
    }
}

#[cfg(all(test, not(all(target_arch = "wasm32", target_os = "unknown"))))]
mod tests {
    use std::io::ErrorKind;
    use std::time::Duration;

    use super::copy;
    use crate::stream::transport::Connection;
    use crate::stream::{memory, StreamReader, StreamWriter, DEFAULT_HIGH_WATER, READ_CHUNK};
    use crate::testing::run;

    /// The two pipes around a copy: `feed` writes into `r`, the copy goes from `r` to `w`, and `w`'s
    /// bytes arrive at `out`. The unused halves are kept too (dropping a reader closes the pipe).
    struct Rig {
        feed: StreamWriter,
        r: StreamReader,
        w: StreamWriter,
        out: StreamReader,
        _unused: (StreamReader, StreamWriter, StreamReader, StreamWriter),
    }

    fn rig(source: (Connection, Connection), sink: (Connection, Connection)) -> Rig {
        let ((feed, r), (w, out)) = (source, sink);
        Rig {
            feed: StreamWriter::new(feed.write),
            r: StreamReader::new(r.read),
            w: StreamWriter::new(w.write),
            out: StreamReader::new(out.read),
            _unused: (
                StreamReader::new(feed.read),
                StreamWriter::new(r.write),
                StreamReader::new(w.read),
                StreamWriter::new(out.write),
            ),
        }
    }

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn buffered_bytes_go_first_then_the_rest_and_the_count_is_returned() {
        run(async {
            let mut t = rig(memory::pair(), memory::pair());
            let body = pattern(300_000);
            t.feed.write(b"HEAD\n").unwrap();
            t.feed.write(&body).unwrap();
            t.feed.write_eof().unwrap();
            assert_eq!(t.r.readline().await.unwrap(), b"HEAD\n");
            assert!(
                t.r.buffered() > 0,
                "the line's read brought body bytes with it"
            );
            let mut out = t.out;
            let reader = crate::spawn(async move { out.read_to_end().await.unwrap() });
            assert_eq!(copy(&mut t.r, &mut t.w).await.unwrap(), body.len() as u64);
            assert!(t.r.at_eof());
            t.w.close();
            assert!(reader.await.unwrap() == body, "copied in order");
        });
    }

    #[test]
    fn a_peer_that_never_reads_stops_the_copy_and_cancelling_loses_nothing() {
        run(async {
            let mut t = rig(
                memory::pair_with_capacity(1 << 20).unwrap(),
                memory::pair_with_capacity(4096).unwrap(),
            );
            let body = pattern(1 << 20);
            t.feed.write(&body).unwrap();
            t.feed.write_eof().unwrap();
            let hour = Duration::from_secs(3600);
            assert!(crate::timeout(hour, copy(&mut t.r, &mut t.w))
                .await
                .is_err());
            // Stalled with the writer's buffer bounded by its high-water mark plus one chunk.
            assert!(t.w.write_buffer_size() <= DEFAULT_HIGH_WATER + READ_CHUNK);
            let mut out = t.out;
            let reader = crate::spawn(async move { out.read_to_end().await.unwrap() });
            copy(&mut t.r, &mut t.w).await.unwrap();
            t.w.close();
            assert!(
                reader.await.unwrap() == body,
                "nothing lost across the cancel"
            );
        });
    }

    #[test]
    fn a_closed_writer_is_reported_before_anything_is_read() {
        run(async {
            let mut t = rig(memory::pair(), memory::pair());
            t.feed.write(b"kept").unwrap();
            t.w.close();
            let e = copy(&mut t.r, &mut t.w).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BrokenPipe);
            assert_eq!(t.r.read(10).await.unwrap(), b"kept");
        });
    }

    #[test]
    fn a_reset_source_is_reported_and_stays_reported() {
        run(async {
            let mut t = rig(memory::pair(), memory::pair());
            t.feed.abort();
            let e = copy(&mut t.r, &mut t.w).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::ConnectionReset);
            assert_eq!(
                t.r.read(1).await.unwrap_err().kind(),
                ErrorKind::ConnectionReset
            );
        });
    }
}
