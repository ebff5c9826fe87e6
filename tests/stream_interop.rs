//! The reader and writer through the `futures-io` traits, driven by `futures-util`'s extension
//! methods, as other crates would use them.

mod common;

use std::time::Duration;

use common::sim_test;
use futures_util::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use wasio::stream::{memory, StreamReader, StreamWriter};

sim_test! {
    async fn async_read_and_async_write_move_every_byte() {
        let (a, b) = memory::pair_with_capacity(100).unwrap();
        let mut w = StreamWriter::new(a.write);
        let mut r = StreamReader::new(b.read);
        let data: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let sent = data.clone();
        let writer = wasio::spawn(async move {
            for piece in sent.chunks(333) {
                w.write_all(piece).await.unwrap();
                // Flow control through AsyncWrite: the buffer never runs far above the mark.
                assert!(w.write_buffer_size() <= 65536 + 333);
            }
            w.flush().await.unwrap();
            assert_eq!(w.write_buffer_size(), 0);
            AsyncWriteExt::close(&mut w).await.unwrap();
            assert!(w.is_closing());
        });
        let mut got = Vec::new();
        let mut buf = [0u8; 1000];
        let n = AsyncReadExt::read(&mut r, &mut buf[..0]).await.unwrap();
        assert_eq!(n, 0);
        loop {
            let n = AsyncReadExt::read(&mut r, &mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        writer.await.unwrap();
        assert_eq!(got, data);
    }
}

sim_test! {
    async fn async_buf_read_lines_and_read_exact() {
        let (a, b) = memory::pair();
        let mut w = StreamWriter::new(a.write);
        let mut r = StreamReader::new(b.read);
        w.write(b"alpha\nbeta\n0123").unwrap();
        w.close();
        let mut line = String::new();
        r.read_line(&mut line).await.unwrap();
        assert_eq!(line, "alpha\n");
        let mut until = Vec::new();
        r.read_until(b'\n', &mut until).await.unwrap();
        assert_eq!(until, b"beta\n");
        let mut four = [0u8; 4];
        r.read_exact(&mut four).await.unwrap();
        assert_eq!(&four, b"0123");
        let mut rest = Vec::new();
        assert_eq!(AsyncReadExt::read_to_end(&mut r, &mut rest).await.unwrap(), 0);
        assert!(r.at_eof());
    }
}

sim_test! {
    async fn async_write_reports_a_reset_peer() {
        let (a, b) = memory::pair_with_capacity(10).unwrap();
        let mut w = StreamWriter::new(a.write);
        let mut peer = StreamWriter::new(b.write);
        let _peer_reader = StreamReader::new(b.read);
        let t = wasio::spawn(async move { w.write_all(&[0; 1_000_000]).await });
        wasio::sleep(Duration::from_secs(1)).await;
        assert!(!t.is_done());
        peer.abort();
        let e = t.await.unwrap().unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset);
    }
}
