//! TCP on WASI preview 2 through the public API (`open_connection`, `start_server`), on 127.0.0.1
//! and `[::1]` inside wasmtime: `cargo test --target wasm32-wasip2 --test wasi_tcp`. Compiles to
//! nothing elsewhere (preview 1 has its own file, `wasi_p1.rs`).
#![cfg(all(target_os = "wasi", not(target_env = "p1")))]

use std::cell::RefCell;
use std::io::ErrorKind;
use std::rc::Rc;

use wasio::net::{open_connection, start_server};
use wasio::stream::{StreamReader, StreamWriter};
use wasio::{run, spawn};

async fn echo(mut r: StreamReader, mut w: StreamWriter) {
    loop {
        let chunk = r.read(65536).await.unwrap();
        if chunk.is_empty() {
            break;
        }
        w.write(&chunk).unwrap();
        w.drain().await.unwrap();
    }
    w.write_eof().unwrap();
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
#[test]
fn an_aborted_writer_stuck_on_a_peer_that_never_reads_is_released_when_the_peer_goes() {
    use std::time::Duration;
    use wasio::trace::EventKind as Trace;

    run(async {
        let peers: Rc<RefCell<Vec<(StreamReader, StreamWriter)>>> = Rc::default();
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
