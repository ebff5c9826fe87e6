//! StreamWriter behaviour over the in-memory pipe: buffering, drain's water marks and
//! backpressure, half-close, close, abort and the errors a dead peer gives.

mod common;

use std::cell::RefCell;
use std::io::ErrorKind;
use std::rc::Rc;
use std::time::Duration;

use common::sim_test;
use wasio::stream::{memory, StreamReader, StreamWriter};

const HOUR: Duration = Duration::from_secs(3600);

fn small_pair(cap: usize) -> (StreamWriter, StreamReader, StreamReader, StreamWriter) {
    let (a, b) = memory::pair_with_capacity(cap).unwrap();
    (
        StreamWriter::new(a.write),
        StreamReader::new(a.read),
        StreamReader::new(b.read),
        StreamWriter::new(b.write),
    )
}

sim_test! {
    async fn drain_blocks_above_high_water_and_resumes_at_low_water() {
        let (mut w, _ar, mut r, _bw) = small_pair(1024);
        w.set_write_buffer_limits(4096, 1024).unwrap();
        let log = Rc::new(RefCell::new(Vec::new()));
        // Write 1000-byte pieces, draining after each; the peer does not read yet.
        let mut writes = 0;
        loop {
            w.write(&[writes as u8; 1000]).unwrap();
            writes += 1;
            if wasio::timeout(Duration::from_secs(1), w.drain()).await.is_err() {
                break;
            }
            assert!(writes < 100, "drain never blocked");
        }
        // The pipe holds 1024 bytes; drain blocked at the first buffer size above 4096.
        assert_eq!(writes, 6);
        assert_eq!(w.write_buffer_size(), 6000 - 1024);
        // Memory stays bounded however long we wait.
        wasio::sleep(HOUR).await;
        assert_eq!(w.write_buffer_size(), 4976);
        let l = log.clone();
        let drained = wasio::spawn(async move {
            w.drain().await.unwrap();
            l.borrow_mut().push(("drained", w.write_buffer_size()));
            w
        });
        // The reader takes 1024 bytes at a time; each read lets the driver send 1024 more.
        let mut got = Vec::new();
        while got.len() < 6000 {
            let chunk = r.read(1024).await.unwrap();
            got.extend_from_slice(&chunk);
            wasio::yield_now().await;
            wasio::yield_now().await;
            log.borrow_mut().push(("read", got.len()));
        }
        let w = drained.await.unwrap();
        assert_eq!(w.write_buffer_size(), 0);
        // drain returned once the buffer reached the low-water mark (1024), not before.
        let log = log.borrow();
        let at = log.iter().position(|e| e.0 == "drained").unwrap();
        assert_eq!(log[at].1, 880, "{log:?}");
        assert_eq!(log[at - 1], ("read", 3072), "{log:?}");
        // Every byte arrived, in order.
        let expected: Vec<u8> = (0..6).flat_map(|i| [i as u8; 1000]).collect();
        assert_eq!(got, expected);
    }
}

sim_test! {
    async fn background_flush_sends_bytes_below_high_water_without_drain() {
        // 3000 bytes into a 1024-byte pipe: nobody drains, yet the peer gets them all.
        let (mut w, _ar, mut r, _bw) = small_pair(1024);
        w.write(&[1; 3000]).unwrap();
        assert_eq!(w.write_buffer_size(), 3000 - 1024);
        assert_eq!(r.readexactly(3000).await.unwrap(), vec![1; 3000]);
        assert_eq!(w.write_buffer_size(), 0);
    }
}

sim_test! {
    async fn drain_reports_a_reset_peer_instead_of_hanging() {
        let (mut w, _ar, _r, mut bw) = small_pair(16);
        w.set_write_buffer_limits(16, 0).unwrap();
        w.write(&[0; 100]).unwrap();
        let blocked = wasio::spawn(async move { w.drain().await });
        wasio::sleep(Duration::from_secs(1)).await;
        assert!(!blocked.is_done());
        bw.abort();
        let e = wasio::timeout(HOUR, blocked).await.unwrap().unwrap().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionReset);
    }
}

sim_test! {
    async fn drain_reports_a_closed_peer_instead_of_hanging() {
        let (mut w, _ar, r, bw) = small_pair(16);
        w.set_write_buffer_limits(16, 0).unwrap();
        w.write(&[0; 100]).unwrap();
        let blocked = wasio::spawn(async move {
            let e = w.drain().await.unwrap_err();
            (e.kind(), w.is_closing(), w.write(b"x").unwrap_err().kind())
        });
        wasio::sleep(Duration::from_secs(1)).await;
        drop((r, bw)); // the peer closes
        let got = wasio::timeout(HOUR, blocked).await.unwrap().unwrap();
        assert_eq!(got, (ErrorKind::BrokenPipe, true, ErrorKind::BrokenPipe));
    }
}

sim_test! {
    async fn drain_with_nothing_pending_notices_a_dead_peer() {
        let (mut w, _ar, r, mut bw) = small_pair(1024);
        w.write(b"fine").unwrap();
        w.drain().await.unwrap();
        bw.abort();
        drop(r);
        assert_eq!(w.drain().await.unwrap_err().kind(), ErrorKind::ConnectionReset);
        assert_eq!(w.write(b"more").unwrap_err().kind(), ErrorKind::ConnectionReset);
        assert_eq!(w.wait_closed().await.unwrap_err().kind(), ErrorKind::ConnectionReset);
    }
}

sim_test! {
    async fn close_sends_what_was_buffered_then_the_end() {
        let (mut w, _ar, mut r, _bw) = small_pair(100);
        w.write(&[9; 1000]).unwrap();
        w.close();
        assert!(w.is_closing());
        assert_eq!(w.write(b"late").unwrap_err().kind(), ErrorKind::BrokenPipe);
        let waiter = wasio::spawn(async move {
            w.wait_closed().await.unwrap();
            wasio::Instant::now()
        });
        wasio::sleep(Duration::from_secs(5)).await;
        assert!(!waiter.is_done(), "closed before the buffer was sent");
        assert_eq!(r.read_to_end().await.unwrap(), vec![9; 1000]);
        assert_eq!(waiter.await.unwrap().since_origin(), Duration::from_secs(5));
        assert!(r.at_eof());
    }
}

sim_test! {
    async fn dropping_the_writer_closes_it_gracefully() {
        let (mut w, _ar, mut r, _bw) = small_pair(10);
        w.write(b"0123456789abcdefghij").unwrap();
        drop(w);
        assert_eq!(r.read_to_end().await.unwrap(), b"0123456789abcdefghij");
    }
}

sim_test! {
    async fn wait_closed_waits_for_close() {
        let (mut w, _ar, _r, _bw) = small_pair(10);
        let t = wasio::spawn(async move {
            let r = wasio::timeout(Duration::from_secs(10), w.wait_closed()).await;
            assert!(r.is_err());
            w.close();
            w.wait_closed().await.unwrap();
            w.close(); // again: nothing happens
            w.wait_closed().await
        });
        t.await.unwrap().unwrap();
    }
}

sim_test! {
    async fn abort_discards_the_buffer_and_resets_the_peer() {
        let (mut w, mut ar, mut r, mut bw) = small_pair(10);
        bw.write(b"to a").unwrap();
        w.write(&[1; 100]).unwrap();
        w.abort();
        assert!(w.is_closing());
        assert_eq!(w.write_buffer_size(), 0);
        w.wait_closed().await.unwrap();
        assert_eq!(w.drain().await.unwrap_err().kind(), ErrorKind::ConnectionAborted);
        assert_eq!(w.write(b"x").unwrap_err().kind(), ErrorKind::ConnectionAborted);
        assert_eq!(r.read(100).await.unwrap_err().kind(), ErrorKind::ConnectionReset);
        assert_eq!(bw.drain().await.unwrap_err().kind(), ErrorKind::ConnectionReset);
        // Our own read half ends at once (asyncio: connection_lost feeds EOF).
        assert_eq!(ar.read(100).await.unwrap(), b"");
    }
}

sim_test! {
    async fn write_eof_half_closes() {
        let (mut aw, mut ar, mut br, mut bw) = small_pair(8);
        assert!(aw.can_write_eof());
        aw.write(b"request body").unwrap();
        aw.write_eof().unwrap();
        aw.write_eof().unwrap(); // twice is fine
        assert_eq!(aw.write(b"x").unwrap_err().kind(), ErrorKind::BrokenPipe);
        assert!(!aw.is_closing());
        assert_eq!(br.read_to_end().await.unwrap(), b"request body");
        assert!(br.at_eof());
        bw.write(b"response").unwrap();
        bw.close();
        bw.wait_closed().await.unwrap();
        assert_eq!(ar.read_to_end().await.unwrap(), b"response");
        aw.close();
        aw.wait_closed().await.unwrap();
    }
}

sim_test! {
    async fn writelines_and_limits() {
        let (mut w, _ar, mut r, _bw) = small_pair(1024);
        w.writelines([&b"a\n"[..], b"bb\n", b"ccc\n"]).unwrap();
        w.writelines(vec![String::from("dddd\n")]).unwrap();
        assert_eq!(r.readline().await.unwrap(), b"a\n");
        assert_eq!(r.readline().await.unwrap(), b"bb\n");
        assert_eq!(r.readline().await.unwrap(), b"ccc\n");
        assert_eq!(r.readline().await.unwrap(), b"dddd\n");
        let e = w.set_write_buffer_limits(1, 2).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(w.write_buffer_limits(), (65536, 16384));
    }
}

sim_test! {
    async fn a_peer_that_closed_its_read_half_breaks_the_pipe() {
        let (mut w, _ar, r, _bw) = small_pair(1024);
        drop(r);
        assert_eq!(w.write(b"x").unwrap_err().kind(), ErrorKind::BrokenPipe);
    }
}

sim_test! {
    async fn peer_close_gives_eof_after_the_data_and_our_reads_keep_what_arrived() {
        let (mut aw, mut ar, mut br, mut bw) = small_pair(64);
        bw.write(b"last words").unwrap();
        bw.close();
        // We can still read what arrived before the close; our writes now fail.
        assert_eq!(ar.read_to_end().await.unwrap(), b"last words");
        assert_eq!(aw.write(b"hi").unwrap_err().kind(), ErrorKind::BrokenPipe);
        // The closing side's own reader ends too.
        assert_eq!(br.read(10).await.unwrap(), b"");
    }
}
