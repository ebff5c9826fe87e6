//! TCP through the public API (`open_connection`, `start_server`), on 127.0.0.1 and `[::1]`, on
//! every host that has TCP: natively (`cargo test --test net_tcp`: `std::net` sockets and helper
//! threads) and on WASI preview 2 inside wasmtime (`cargo test --target wasm32-wasip2 --test
//! net_tcp`). The same bodies run on both. Compiles to nothing in the browser (WebSocket there:
//! `browser_net.rs`) and on preview 1 (no sockets: `wasi_p1.rs`).
#![cfg(any(
    not(target_arch = "wasm32"),
    all(target_os = "wasi", not(target_env = "p1"))
))]

mod common;

use std::cell::RefCell;
use std::io::ErrorKind;
use std::rc::Rc;

use wasio::net::{open_connection, start_server};
use wasio::stream::{StreamReader, StreamWriter};
use wasio::{run, spawn};

use common::payload;

/// The streams a never-reading server accepted: kept open and never read.
type Kept = Rc<RefCell<Vec<(StreamReader, StreamWriter)>>>;

/// A server on 127.0.0.1 whose handler keeps each connection's streams and never reads them (its
/// peer's writes stall once the buffers fill); clear the returned list to close them.
async fn never_reading_server() -> (wasio::net::Server, Kept) {
    let peers: Kept = Rc::default();
    let keep = peers.clone();
    let server = start_server(
        move |r, w| {
            keep.borrow_mut().push((r, w)); // never read
            async {}
        },
        "127.0.0.1:0",
    )
    .await
    .unwrap();
    (server, peers)
}

async fn echo(mut r: StreamReader, mut w: StreamWriter) {
    loop {
        let chunk = r.read(65536).await.unwrap();
        if chunk.is_empty() {
            break;
        }
        w.write(&chunk).unwrap();
        w.drain().await.unwrap();
    }
    // The server's `close_clients` may have closed this writer while the read waited: then the
    // end is already on its way, and `write_eof` would report `BrokenPipe` as documented.
    if !w.is_closing() {
        w.write_eof().unwrap();
    }
    w.close();
    w.wait_closed().await.unwrap();
}

#[test]
fn echo_server_and_clients_with_half_close() {
    run(async {
        let server = start_server(echo, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().to_string();
        assert!(
            addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
            "{addr}"
        );
        let clients: Vec<_> = (0..20u8)
            .map(|i| {
                let addr = addr.clone();
                spawn(async move {
                    let (mut r, mut w) = open_connection(&addr).await.unwrap();
                    assert_eq!(w.peer_addr(), Some(addr.as_str()));
                    let msg: Vec<u8> = (0..50_000u32).map(|j| (j as u8) ^ i).collect();
                    w.write(&msg).unwrap();
                    w.drain().await.unwrap();
                    w.write_eof().unwrap();
                    assert_eq!(r.read_to_end().await.unwrap(), msg);
                })
            })
            .collect();
        for c in clients {
            c.await.unwrap();
        }
        server.close();
        server.wait_closed().await;
        assert!(!server.is_serving());
        let err = open_connection(&addr).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
    });
}

#[test]
fn readline_over_ipv6_and_a_dns_name() {
    run(async {
        let lines = Rc::new(RefCell::new(Vec::new()));
        let seen = lines.clone();
        let server = start_server(
            move |mut r: StreamReader, mut w: StreamWriter| {
                let seen = seen.clone();
                async move {
                    while let Ok(line) = r.readline().await {
                        if line.is_empty() {
                            break;
                        }
                        seen.borrow_mut()
                            .push(String::from_utf8(line.clone()).unwrap());
                        w.write(&line).unwrap();
                    }
                    w.close();
                }
            },
            "[::1]:0",
        )
        .await
        .unwrap();
        let addr = server.local_addr().to_string();
        assert!(addr.starts_with("[::1]:"), "{addr}");
        let (mut r, mut w) = open_connection(&addr).await.unwrap();
        w.write(b"one\ntw").unwrap();
        w.write(b"o\n").unwrap();
        assert_eq!(r.readline().await.unwrap(), b"one\n");
        assert_eq!(r.readline().await.unwrap(), b"two\n");
        w.close();
        assert_eq!(r.read_to_end().await.unwrap(), b"");
        assert_eq!(*lines.borrow(), ["one\n", "two\n"]);

        let v4 = start_server(echo, "localhost:0").await.unwrap();
        let port = v4.local_addr().rsplit_once(':').unwrap().1.to_string();
        let (mut r, mut w) = open_connection(&format!("localhost:{port}")).await.unwrap();
        w.write(b"by name").unwrap();
        w.write_eof().unwrap();
        assert_eq!(r.read_to_end().await.unwrap(), b"by name");
    });
}

#[test]
fn typed_errors_for_bad_addresses_and_names() {
    run(async {
        let e = open_connection("no-such-host.invalid:80")
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        let e = open_connection("127.0.0.1:notaport").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        let taken = start_server(echo, "127.0.0.1:0").await.unwrap();
        let e = start_server(echo, taken.local_addr()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AddrInUse, "{e}");
    });
}

#[test]
fn a_peer_that_aborts_is_seen_as_end_or_reset_never_a_hang() {
    run(async {
        let outcome = Rc::new(RefCell::new(None));
        let done = Rc::new(wasio::sync::Event::new());
        let (out, done2) = (outcome.clone(), done.clone());
        let server = start_server(
            move |mut r: StreamReader, _w: StreamWriter| {
                let (out, done) = (out.clone(), done2.clone());
                async move {
                    let got = r.read_to_end().await;
                    *out.borrow_mut() = Some(got.map(|v| v.len()).map_err(|e| e.kind()));
                    done.set();
                }
            },
            "127.0.0.1:0",
        )
        .await
        .unwrap();
        let (_r, mut w) = open_connection(server.local_addr()).await.unwrap();
        w.write(&[7u8; 1000]).unwrap();
        w.drain().await.unwrap();
        w.abort();
        drop(w);
        done.wait().await;
        // Abort discards what was not sent yet, and WASI cannot send a reset on purpose (no
        // SO_LINGER): the server sees at most the bytes written, then end of stream or a reset, as
        // a value, not a hang.
        let result = outcome.borrow_mut().take().unwrap();
        match result {
            Ok(n) => assert!(n <= 1000, "{n}"),
            Err(kind) => assert_eq!(kind, ErrorKind::ConnectionReset),
        }
    });
}

/// A writer aborted while its bytes are stuck in the host (the peer stopped reading) must not
/// block the component (wasmtime blocks in the drop of such a stream), and the stream must not be
/// kept forever either: a small task holds it until the host's write ends, then drops it. Here
/// the peer goes away, which fails the stuck write, and that task ends.
///
/// WASI's own hazard: natively an abort shuts the socket down, which ends the blocked write at
/// once (`src/net/native/tests.rs` checks that every helper thread ends); the stall itself is
/// checked on both hosts by `drain_waits_on_a_peer_that_never_reads`.
#[cfg(target_os = "wasi")]
#[test]
fn an_aborted_writer_stuck_on_a_peer_that_never_reads_is_released_when_the_peer_goes() {
    use std::time::Duration;
    use wasio::trace::EventKind as Trace;

    run(async {
        let (server, peers) = never_reading_server().await;
        let (_r, mut w) = open_connection(server.local_addr()).await.unwrap();
        let chunk = vec![0x5a; 1 << 20];
        let mut stalled = false;
        for _ in 0..64 {
            w.write(&chunk).unwrap();
            if wasio::timeout(Duration::from_millis(300), w.drain())
                .await
                .is_err()
            {
                stalled = true;
                break;
            }
        }
        assert!(stalled, "64 MiB went into a peer that never reads");

        // Watch the runtime: aborting spawns the task that holds the stuck stream.
        let spawned: Rc<RefCell<Vec<wasio::TaskId>>> = Rc::default();
        let released = Rc::new(wasio::sync::Event::new());
        let (s, done) = (spawned.clone(), released.clone());
        wasio::trace::set_subscriber(move |e| match &e.kind {
            Trace::Spawn { task, .. } => s.borrow_mut().push(*task),
            Trace::Complete { task } if s.borrow().contains(task) => done.set(),
            _ => {}
        });
        w.abort(); // returns at once instead of blocking in the stream's drop
        drop(w);
        assert_eq!(spawned.borrow().len(), 1, "one task holds the stuck stream");
        assert!(!released.is_set());

        peers.borrow_mut().clear(); // the peer goes: the stuck write fails
        let ended = wasio::timeout(Duration::from_secs(20), released.wait()).await;
        wasio::trace::clear_subscriber();
        assert!(ended.is_ok(), "the held stream was never released");
        server.close();
    });
}

#[test]
fn start_tcp_server_serves_tcp_only() {
    run(async {
        let server = wasio::net::start_tcp_server(echo, "tcp://127.0.0.1:0")
            .await
            .unwrap();
        let addr = server.local_addr().to_string();
        assert!(
            addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
            "{addr}"
        );
        let (mut r, mut w) = open_connection(&addr).await.unwrap();
        w.write(b"tcp only").unwrap();
        w.write_eof().unwrap();
        assert_eq!(r.read_to_end().await.unwrap(), b"tcp only");
        let e = wasio::net::start_tcp_server(echo, "mem://x")
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        let e = wasio::net::start_tcp_server(echo, &addr).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AddrInUse, "{e}");
    });
}

/// Over real TCP a client's waits are named by the stream front ends (connect, read), never by
/// the reactor's generic `io` under them; the server's accept loop waits on `accept`.
#[test]
fn tcp_waits_are_traced_as_connect_read_and_accept() {
    use wasio::trace::{EventKind, WaitReason};
    run(async {
        let server = start_server(echo, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().to_string();
        let reasons: Rc<RefCell<Vec<(wasio::TaskId, WaitReason)>>> = Rc::default();
        let sink = reasons.clone();
        wasio::trace::set_subscriber(move |e| {
            if let EventKind::PollEnd {
                task,
                reason: Some(r),
                ..
            } = e.kind
            {
                sink.borrow_mut().push((task, r));
            }
        });
        let client = spawn(async move {
            let (mut r, mut w) = open_connection(&addr).await.unwrap();
            w.write(b"ping\n").unwrap();
            r.readline().await.unwrap()
        });
        let id = client.id();
        assert_eq!(client.await.unwrap(), b"ping\n");
        wasio::trace::clear_subscriber();
        let all = reasons.borrow();
        let mine: Vec<WaitReason> = all
            .iter()
            .filter(|(t, _)| *t == id)
            .map(|(_, r)| *r)
            .collect();
        assert_eq!(mine.last(), Some(&WaitReason::Read), "{mine:?}");
        assert!(
            mine.iter()
                .all(|r| matches!(r, WaitReason::Connect | WaitReason::Read)),
            "{mine:?}"
        );
        assert!(all.iter().any(|(_, r)| *r == WaitReason::Accept), "{all:?}");
        server.close();
    });
}

/// Several megabytes each way through an echo server, with the client writing and reading at once
/// (the server's writes wait on the client's reads, and the client's on the server's: backpressure
/// both ways), in pieces of odd sizes; every byte comes back, in order.
#[test]
fn a_large_transfer_echoes_every_byte_in_order() {
    run(async {
        let server = start_server(echo, "127.0.0.1:0").await.unwrap();
        let (mut r, mut w) = open_connection(server.local_addr()).await.unwrap();
        let data = payload(7, 8 << 20);
        let sent = data.clone();
        let sender = spawn(async move {
            for piece in sent.chunks(100_003) {
                w.write(piece).unwrap();
                w.drain().await.unwrap();
            }
            w.write_eof().unwrap();
            w
        });
        let got = r.read_to_end().await.unwrap();
        let _w = sender.await.unwrap();
        assert_eq!(got.len(), data.len());
        assert!(got == data, "the echoed bytes differ");
        server.close();
    });
}

/// Backpressure reaches the writer: with a peer that never reads, `drain` stops returning once
/// the kernel's buffers and the transport's are full (a wall-clock deadline detects the stall;
/// it is not a sleep), well before 64 MiB.
#[test]
fn drain_waits_on_a_peer_that_never_reads() {
    use std::time::Duration;
    run(async {
        let (server, _peers) = never_reading_server().await;
        let (_r, mut w) = open_connection(server.local_addr()).await.unwrap();
        let chunk = vec![0x5a; 1 << 20];
        let mut written = 0usize;
        let mut stalled = false;
        for _ in 0..64 {
            w.write(&chunk).unwrap();
            written += chunk.len();
            if wasio::timeout(Duration::from_millis(300), w.drain())
                .await
                .is_err()
            {
                stalled = true;
                break;
            }
        }
        assert!(stalled, "{written} bytes went into a peer that never reads");
        w.abort();
        server.close();
    });
}

/// A read cancelled by a timeout loses nothing: bytes that arrived before or after the cancel
/// are all read by the next read, in order. On the simulated clock: the timeout fires, in
/// virtual time, as soon as the loop has nothing else to do.
#[test]
fn a_read_cancelled_by_a_timeout_loses_no_bytes() {
    use std::time::Duration;
    wasio::testing::run(async {
        let server = start_server(
            |mut r: StreamReader, mut w: StreamWriter| async move {
                w.write(b"abc").unwrap();
                w.drain().await.unwrap();
                // The rest only once the client says so (after its read was cancelled).
                assert_eq!(r.readline().await.unwrap(), b"go\n");
                w.write(b"defgh").unwrap();
                w.close();
                w.wait_closed().await.unwrap();
            },
            "127.0.0.1:0",
        )
        .await
        .unwrap();
        let (mut r, mut w) = open_connection(server.local_addr()).await.unwrap();
        let start = wasio::Instant::now();
        let cancelled = wasio::timeout(Duration::from_secs(5), r.readexactly(8)).await;
        assert!(cancelled.is_err(), "only 3 of 8 bytes can have arrived");
        assert_eq!(start.elapsed(), Duration::from_secs(5));
        w.write(b"go\n").unwrap();
        assert_eq!(r.readexactly(8).await.unwrap(), b"abcdefgh");
        assert_eq!(r.read_to_end().await.unwrap(), b"");
        server.close();
    });
}

/// 100 connections at once, each echoing its own payload with a half-close: no loss, no mixing.
#[test]
fn a_hundred_concurrent_connections() {
    run(async {
        let server = start_server(echo, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().to_string();
        let clients: Vec<_> = (0..100u64)
            .map(|id| {
                let addr = addr.clone();
                spawn(async move {
                    let (mut r, mut w) = open_connection(&addr).await.unwrap();
                    let data = payload(id, 20_000 + id as usize * 97);
                    w.write(&data).unwrap();
                    w.write_eof().unwrap();
                    let got = r.read_to_end().await.unwrap();
                    assert!(got == data, "connection {id}: the echo differs");
                    w.close();
                    w.wait_closed().await.unwrap();
                })
            })
            .collect();
        for c in clients {
            c.await.unwrap();
        }
        server.close();
        server.wait_closed().await;
        assert_eq!(server.connection_count(), 0);
    });
}

/// The server's side of closing: `close` stops accepting (a new connect is refused) and leaves
/// accepted connections working; `close_clients` ends them (the clients read end of stream), and
/// `wait_closed` returns once they are gone.
#[test]
fn server_close_refuses_new_connections_and_close_clients_ends_the_rest() {
    run(async {
        let accepted = Rc::new(std::cell::Cell::new(0));
        let all_in = Rc::new(wasio::sync::Event::new());
        let (acc, all) = (accepted.clone(), all_in.clone());
        let server = start_server(
            move |r: StreamReader, w: StreamWriter| {
                acc.set(acc.get() + 1);
                if acc.get() == 3 {
                    all.set();
                }
                echo(r, w)
            },
            "127.0.0.1:0",
        )
        .await
        .unwrap();
        let addr = server.local_addr().to_string();
        let mut clients = Vec::new();
        for _ in 0..3 {
            clients.push(open_connection(&addr).await.unwrap());
        }
        all_in.wait().await;
        assert_eq!(server.connection_count(), 3);
        server.close();
        assert!(!server.is_serving());
        let e = open_connection(&addr).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{e}");
        // Accepted connections still echo.
        let (r, w) = &mut clients[0];
        w.write(b"still here\n").unwrap();
        assert_eq!(r.readline().await.unwrap(), b"still here\n");
        server.close_clients();
        for (r, _w) in &mut clients {
            assert_eq!(r.read_to_end().await.unwrap(), b"");
        }
        server.wait_closed().await;
        assert_eq!(server.connection_count(), 0);
    });
}

/// Writing to a peer that has gone fails with a typed error (broken pipe or reset), never a hang
/// or a signal.
#[test]
fn writing_to_a_peer_that_closed_fails_with_a_typed_error() {
    run(async {
        let server = start_server(
            |r: StreamReader, mut w: StreamWriter| async move {
                drop(r);
                w.close();
                let _ = w.wait_closed().await;
            },
            "127.0.0.1:0",
        )
        .await
        .unwrap();
        let (mut r, mut w) = open_connection(server.local_addr()).await.unwrap();
        assert_eq!(r.read_to_end().await.unwrap(), b"", "the server closed");
        let chunk = vec![1u8; 64 * 1024];
        let mut failed = None;
        for _ in 0..1000 {
            let r = match w.write(&chunk) {
                Ok(()) => w.drain().await,
                Err(e) => Err(e),
            };
            if let Err(e) = r {
                failed = Some(e);
                break;
            }
        }
        let e = failed.expect("64 MB went to a closed peer without an error");
        assert!(
            matches!(
                e.kind(),
                ErrorKind::BrokenPipe | ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
            ),
            "{:?}: {e}",
            e.kind()
        );
        server.close();
    });
}
