//! open_connection / start_server / Server over the in-memory network: echo with many concurrent
//! clients, close and abort of clients ending wait_closed, refused connections, address errors.

mod common;

use std::cell::RefCell;
use std::io::ErrorKind;
use std::rc::Rc;
use std::time::Duration;

use common::{payload, sim_test};
use wasio::{open_connection, start_server, StreamReader, StreamWriter};

async fn echo_lines(mut r: StreamReader, mut w: StreamWriter) {
    loop {
        match r.readline().await {
            Ok(line) if line.is_empty() => break,
            Ok(line) => {
                if w.write(&line).is_err() || w.drain().await.is_err() {
                    break;
                }
            }
            Err(_) => break,
        }
    }
}

/// Echoes raw bytes (whatever `read` returns), so frames split and merge arbitrarily.
async fn echo_bytes(mut r: StreamReader, mut w: StreamWriter) {
    loop {
        match r.read(4096).await {
            Ok(b) if b.is_empty() => break,
            Ok(b) => {
                if w.write(&b).is_err() || w.drain().await.is_err() {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    w.close();
    let _ = w.wait_closed().await;
}

sim_test! {
    async fn many_concurrent_clients_echo_without_loss_or_reordering() {
        let server = start_server(echo_bytes, "mem://echo").await.unwrap();
        let clients: Vec<_> = (0..40u64)
            .map(|id| {
                wasio::spawn(async move {
                    let (mut r, mut w) = open_connection("mem://echo").await.unwrap();
                    // Big enough to need backpressure both ways (the pipes hold 64 KiB).
                    let data = payload(id, 100_000 + id as usize * 1001);
                    let sender = {
                        let data = data.clone();
                        wasio::spawn(async move {
                            for piece in data.chunks(1 + (id as usize * 37) % 5000) {
                                w.write(piece).unwrap();
                                w.drain().await.unwrap();
                            }
                            w.write_eof().unwrap();
                            w
                        })
                    };
                    let got = r.read_to_end().await.unwrap();
                    let _w = sender.await.unwrap();
                    assert_eq!(got.len(), data.len(), "client {id}");
                    assert!(got == data, "client {id}: bytes differ");
                })
            })
            .collect();
        for c in clients {
            c.await.unwrap();
        }
        server.close();
        wasio::timeout(Duration::from_secs(1), server.wait_closed()).await.unwrap();
        assert_eq!(server.connection_count(), 0);
    }
}

sim_test! {
    async fn line_echo_with_interleaved_clients() {
        let server = start_server(echo_lines, "mem://").await.unwrap();
        let addr = server.local_addr().to_string();
        let tasks: Vec<_> = (0..20)
            .map(|id| {
                let addr = addr.clone();
                wasio::spawn(async move {
                    let (mut r, mut w) = open_connection(&addr).await.unwrap();
                    for n in 0..50 {
                        let line = format!("client {id} line {n}\n");
                        w.write(line.as_bytes()).unwrap();
                        w.drain().await.unwrap();
                        assert_eq!(r.readline().await.unwrap(), line.as_bytes());
                        wasio::sleep(Duration::from_millis(id * 3 + 1)).await;
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    }
}

sim_test! {
    async fn each_connection_runs_in_its_own_task() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        let server = start_server(
            move |mut r: StreamReader, mut w: StreamWriter| {
                let l = l.clone();
                async move {
                    let line = r.readline().await.unwrap();
                    l.borrow_mut().push((wasio::current_task().unwrap().id(), line.clone()));
                    w.write(&line).unwrap();
                }
            },
            "mem://tasks",
        )
        .await
        .unwrap();
        let (mut r1, mut w1) = open_connection("mem://tasks").await.unwrap();
        let (mut r2, mut w2) = open_connection("mem://tasks").await.unwrap();
        // The second client is served while the first handler still waits for its line.
        w2.write(b"two\n").unwrap();
        assert_eq!(r2.readline().await.unwrap(), b"two\n");
        w1.write(b"one\n").unwrap();
        assert_eq!(r1.readline().await.unwrap(), b"one\n");
        let log = log.borrow().clone();
        assert_eq!(log.len(), 2);
        assert_ne!(log[0].0, log[1].0);
        assert_eq!((&log[0].1[..], &log[1].1[..]), (&b"two\n"[..], &b"one\n"[..]));
        // Handlers returned: their writers were dropped, closing the connections.
        assert_eq!(r1.readline().await.unwrap(), b"");
        assert_eq!(server.connection_count(), 0);
    }
}

/// A server whose handlers hold the connection open, reading until the end.
async fn holding_server(addr: &str) -> wasio::Server {
    start_server(
        |mut r: StreamReader, w: StreamWriter| async move {
            let _w = w;
            let _ = r.read_to_end().await;
            // Stay alive after the end, as a careless handler might.
            wasio::sleep(Duration::from_secs(3600 * 24)).await;
        },
        addr,
    )
    .await
    .unwrap()
}

sim_test! {
    async fn wait_closed_waits_for_connections_and_close_clients_ends_it() {
        let server = holding_server("mem://hold").await;
        let mut clients = Vec::new();
        for _ in 0..5 {
            clients.push(open_connection("mem://hold").await.unwrap());
        }
        wasio::sleep(Duration::from_millis(1)).await;
        assert_eq!(server.connection_count(), 5);
        // Not closed yet: wait_closed waits.
        assert!(wasio::timeout(Duration::from_secs(10), server.wait_closed()).await.is_err());
        server.close();
        assert!(!server.is_serving());
        // Closed, but the connections live on.
        assert!(wasio::timeout(Duration::from_secs(10), server.wait_closed()).await.is_err());
        let (r, _w) = &mut clients[0];
        assert!(wasio::timeout(Duration::from_secs(1), r.read(1)).await.is_err());
        let e = open_connection("mem://hold").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
        server.close_clients();
        wasio::timeout(Duration::from_secs(1), server.wait_closed()).await.unwrap();
        assert_eq!(server.connection_count(), 0);
        for (r, _) in &mut clients {
            assert_eq!(r.read(10).await.unwrap(), b"", "clients read the end of the stream");
        }
    }
}

sim_test! {
    async fn abort_clients_ends_wait_closed_and_resets_the_clients() {
        let server = holding_server("mem://abort").await;
        let mut clients = Vec::new();
        for _ in 0..5 {
            clients.push(open_connection("mem://abort").await.unwrap());
        }
        wasio::sleep(Duration::from_millis(1)).await;
        assert_eq!(server.connection_count(), 5);
        let waiter = {
            let log = Rc::new(RefCell::new(None));
            let l = log.clone();
            let s = Rc::new(server);
            let s2 = s.clone();
            let t = wasio::spawn(async move {
                s2.wait_closed().await;
                *l.borrow_mut() = Some(wasio::Instant::now());
            });
            (s, t, log)
        };
        let (server, task, log) = waiter;
        wasio::sleep(Duration::from_secs(1)).await;
        server.close();
        wasio::sleep(Duration::from_secs(1)).await;
        assert!(log.borrow().is_none());
        server.abort_clients();
        task.await.unwrap();
        assert_eq!(log.borrow().unwrap().since_origin(), Duration::from_millis(2001));
        for (r, w) in &mut clients {
            assert_eq!(r.read(10).await.unwrap_err().kind(), ErrorKind::ConnectionReset);
            assert_eq!(w.write(b"x").unwrap_err().kind(), ErrorKind::ConnectionReset);
            assert_eq!(w.drain().await.unwrap_err().kind(), ErrorKind::ConnectionReset);
        }
    }
}

sim_test! {
    async fn connection_to_an_unbound_name_is_refused() {
        let e = open_connection("mem://nobody-home").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
        assert!(e.to_string().contains("mem://nobody-home"), "{e}");
        // Bound, then closed: refused again, and the name can be bound anew.
        let server = start_server(echo_lines, "mem://nobody-home").await.unwrap();
        open_connection("mem://nobody-home").await.unwrap();
        drop(server);
        let e = open_connection("mem://nobody-home").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
        let _again = start_server(echo_lines, "mem://nobody-home").await.unwrap();
    }
}

sim_test! {
    async fn address_errors_are_typed_and_name_the_address() {
        let e = open_connection("").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let e = open_connection("carrier-pigeon://coop").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        assert!(e.to_string().contains("carrier-pigeon://coop"), "{e}");
        let e = start_server(echo_lines, "carrier-pigeon://coop").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        let e = start_server(echo_lines, "mem://bad#name").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let e = open_connection("mem://bad name").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let _s = start_server(echo_lines, "mem://taken").await.unwrap();
        let e = start_server(echo_lines, "mem://taken").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AddrInUse);
    }
}

sim_test! {
    // Native and WASI preview 2 listen on TCP (tests/net_tcp.rs); the browser and preview 1
    // say they cannot.
    #[cfg(any(all(target_arch = "wasm32", target_os = "unknown"), target_env = "p1"))]
    async fn start_tcp_server_is_unsupported_without_tcp() {
        let e = wasio::net::start_tcp_server(echo_lines, "127.0.0.1:0").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
    }
}

sim_test! {
    async fn auto_names_are_fresh_and_addresses_are_reported() {
        let a = start_server(echo_lines, "mem://").await.unwrap();
        let b = start_server(echo_lines, "mem://").await.unwrap();
        assert!(a.local_addr().starts_with("mem://auto-"));
        assert_ne!(a.local_addr(), b.local_addr());
        let seen = Rc::new(RefCell::new(None));
        let s = seen.clone();
        let c = start_server(
            move |_r, w: StreamWriter| {
                *s.borrow_mut() = Some((w.local_addr().map(String::from), w.peer_addr().map(String::from)));
                async {}
            },
            "mem://addr",
        )
        .await
        .unwrap();
        let (_r, w) = open_connection(c.local_addr()).await.unwrap();
        wasio::sleep(Duration::from_millis(1)).await;
        let client = w.local_addr().unwrap().to_string();
        assert!(client.starts_with("mem://addr#"), "{client}");
        assert_eq!(w.peer_addr(), Some("mem://addr"));
        assert_eq!(*seen.borrow(), Some((Some("mem://addr".to_string()), Some(client))));
    }
}

sim_test! {
    async fn serve_forever_returns_on_close_and_closes_when_cancelled() {
        let server = Rc::new(start_server(echo_lines, "mem://forever").await.unwrap());
        let s = server.clone();
        wasio::call_later(Duration::from_secs(7), move || s.close());
        server.serve_forever().await;
        assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(7));

        let server = Rc::new(start_server(echo_lines, "mem://forever").await.unwrap());
        let s = server.clone();
        let t = wasio::spawn(async move { s.serve_forever().await });
        wasio::sleep(Duration::from_secs(1)).await;
        assert!(server.is_serving());
        t.cancel();
        assert!(t.await.unwrap_err().is_cancelled());
        assert!(!server.is_serving());
        let e = open_connection("mem://forever").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
    }
}

sim_test! {
    async fn serve_forever_returns_on_close_while_connections_live_on() {
        let server = Rc::new(holding_server("mem://forever-live").await);
        let _client = open_connection("mem://forever-live").await.unwrap();
        let s = server.clone();
        wasio::call_later(Duration::from_secs(3), move || s.close());
        let served = wasio::timeout(Duration::from_secs(60), server.serve_forever()).await;
        assert!(served.is_ok(), "serve_forever returns when the server closes");
        assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(3));
        assert_eq!(server.connection_count(), 1, "the connection lives on");
    }
}

sim_test! {
    async fn closing_ends_the_accept_task_and_drops_the_handler() {
        let token = Rc::new(());
        // A server whose handler holds a clone of `token`.
        let serve = |token: &Rc<()>| {
            let held = token.clone();
            start_server(
                move |_r: StreamReader, _w: StreamWriter| {
                    let _held = held.clone();
                    async {}
                },
                "mem://ends",
            )
        };
        let server = serve(&token).await.unwrap();
        wasio::yield_now().await; // the accept task waits for a connection
        assert_eq!(Rc::strong_count(&token), 2, "the accept task holds the handler");
        server.close();
        wasio::yield_now().await; // its next poll finds no listener, and it ends
        assert_eq!(Rc::strong_count(&token), 1, "the handler went with the accept task");
        // Dropping a server closes it the same way.
        let server = serve(&token).await.unwrap();
        wasio::yield_now().await;
        drop(server);
        wasio::yield_now().await;
        assert_eq!(Rc::strong_count(&token), 1);
    }
}

sim_test! {
    async fn a_full_backlog_makes_connects_wait_not_fail() {
        // 300 connects before the server's accept task runs once: beyond the backlog they wait.
        let server = start_server(echo_lines, "mem://backlog").await.unwrap();
        let conns: Vec<_> = (0..300).map(|_| wasio::spawn(open_connection("mem://backlog"))).collect();
        let mut ok = 0;
        for c in conns {
            let (mut r, mut w) = c.await.unwrap().unwrap();
            w.write(b"hi\n").unwrap();
            assert_eq!(r.readline().await.unwrap(), b"hi\n");
            ok += 1;
        }
        assert_eq!(ok, 300);
        drop(server);
    }
}

sim_test! {
    async fn a_client_whose_server_stops_reading_blocks_in_drain_then_resumes() {
        const HOUR: Duration = Duration::from_secs(3600);
        let server = start_server(
            |mut r: StreamReader, mut w: StreamWriter| async move {
                wasio::sleep(HOUR).await; // not reading for an hour
                let all = r.read_to_end().await.unwrap();
                w.write(all.len().to_string().as_bytes()).unwrap();
            },
            "mem://slow-reader",
        )
        .await
        .unwrap();
        let (mut r, mut w) = open_connection(server.local_addr()).await.unwrap();
        let mut sent = 0usize;
        let mut blocked_at = None;
        while sent < 1_000_000 {
            w.write(&[b'z'; 4096]).unwrap();
            sent += 4096;
            let t0 = wasio::Instant::now();
            w.drain().await.unwrap();
            if blocked_at.is_none() && t0.elapsed() > Duration::ZERO {
                // The first drain that waited: the pipe (64 KiB) and the buffer (above 64 KiB) were
                // full, and it waited until the server began to read.
                blocked_at = Some((sent, t0.elapsed()));
            }
            assert!(w.write_buffer_size() <= 65536 + 4096);
        }
        let (at, waited) = blocked_at.unwrap();
        assert_eq!(at, 65536 + 65536 + 4096);
        assert_eq!(waited, HOUR);
        w.write_eof().unwrap();
        assert_eq!(r.read_to_end().await.unwrap(), sent.to_string().as_bytes());
    }
}
