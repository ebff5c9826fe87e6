//! In-crate tests of the p2 host pieces against real wasmtime sockets on 127.0.0.1 (and `[::1]`):
//! `cargo test --lib --target wasm32-wasip2`. The public-API suites live in tests/wasi_*.rs.

use std::future::poll_fn;
use std::io;
use std::time::Duration;

use super::tcp;
use crate::host::wasi::reactor;
use crate::stream::transport::{Connection, Listener, TransportRead, TransportWrite};
use crate::stream::{copy, memory, StreamReader, StreamWriter};
use crate::{run, sleep, spawn, timeout, yield_now};

async fn write_all(w: &mut dyn TransportWrite, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        let n = poll_fn(|cx| w.poll_write(cx, buf)).await?;
        buf = &buf[n..];
    }
    poll_fn(|cx| w.poll_flush(cx)).await
}

async fn read_to_end(r: &mut dyn TransportRead) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = vec![0; 4096];
    loop {
        let n = poll_fn(|cx| r.poll_read(cx, &mut buf)).await?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&buf[..n]);
    }
}

async fn accept(l: &mut dyn Listener) -> io::Result<Connection> {
    poll_fn(|cx| l.poll_accept(cx)).await
}

/// An echo server on `l` that serves `n` connections, each until end of stream, then half-closes.
fn serve_echo(mut l: tcp::TcpListener, n: usize) -> crate::Task<()> {
    spawn(async move {
        for _ in 0..n {
            let mut c = accept(&mut l).await.unwrap();
            spawn(async move {
                let data = read_to_end(&mut *c.read).await.unwrap();
                write_all(&mut *c.write, &data).await.unwrap();
                poll_fn(|cx| c.write.poll_write_eof(cx)).await.unwrap();
            });
        }
    })
}

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

#[test]
fn echo_over_loopback_with_half_close() {
    run(async {
        let l = tcp::listen("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr();
        assert!(
            addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
            "{addr}"
        );
        let _server = serve_echo(l, 1);
        let mut c = tcp::connect(&addr).await.unwrap();
        assert_eq!(c.write.info().peer.as_deref(), Some(addr.as_str()));
        let data = pattern(300_000, 7);
        write_all(&mut *c.write, &data).await.unwrap();
        poll_fn(|cx| c.write.poll_write_eof(cx)).await.unwrap();
        let back = read_to_end(&mut *c.read).await.unwrap();
        assert_eq!(back.len(), data.len());
        assert!(back == data, "echoed bytes differ");
    });
}

#[test]
fn many_concurrent_connections() {
    run(async {
        let l = tcp::listen("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr();
        let _server = serve_echo(l, 100);
        let clients: Vec<_> = (0..100u8)
            .map(|i| {
                let addr = addr.clone();
                spawn(async move {
                    let mut c = tcp::connect(&addr).await.unwrap();
                    let data = pattern(10_000 + usize::from(i), i);
                    write_all(&mut *c.write, &data).await.unwrap();
                    poll_fn(|cx| c.write.poll_write_eof(cx)).await.unwrap();
                    read_to_end(&mut *c.read).await.unwrap() == data
                })
            })
            .collect();
        for c in clients {
            assert!(c.await.unwrap());
        }
    });
}

#[test]
fn ipv6_loopback() {
    run(async {
        let l = tcp::listen("[::1]:0").await.unwrap();
        let addr = l.local_addr();
        assert!(addr.starts_with("[::1]:"), "{addr}");
        let _server = serve_echo(l, 1);
        let mut c = tcp::connect(&addr).await.unwrap();
        write_all(&mut *c.write, b"six").await.unwrap();
        poll_fn(|cx| c.write.poll_write_eof(cx)).await.unwrap();
        assert_eq!(read_to_end(&mut *c.read).await.unwrap(), b"six");
    });
}

#[test]
fn localhost_resolves_through_ip_name_lookup() {
    run(async {
        let l = tcp::listen("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().rsplit_once(':').unwrap().1.to_string();
        let _server = serve_echo(l, 1);
        let mut c = tcp::connect(&format!("localhost:{port}")).await.unwrap();
        write_all(&mut *c.write, b"dns").await.unwrap();
        poll_fn(|cx| c.write.poll_write_eof(cx)).await.unwrap();
        assert_eq!(read_to_end(&mut *c.read).await.unwrap(), b"dns");
    });
}

#[test]
fn refused_connect_is_typed() {
    run(async {
        let mut l = tcp::listen("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr();
        l.close();
        drop(l);
        let err = tcp::connect(&addr).await.expect_err("nobody listens");
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused, "{err}");
    });
}

#[test]
fn unresolvable_name_is_typed() {
    run(async {
        let err = tcp::connect("no-such-host.invalid:80")
            .await
            .expect_err("must not resolve");
        assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
        assert!(err.to_string().contains("no-such-host.invalid"), "{err}");
    });
}

#[test]
fn bad_addresses_are_invalid_input() {
    run(async {
        for a in [
            "",
            "127.0.0.1",
            "host:port",
            "::1:80",
            "a b:80",
            "127.0.0.1:99999",
        ] {
            let err = tcp::connect(a).await.expect_err("bad address");
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{a:?}: {err}");
        }
    });
}

#[test]
fn busy_task_does_not_starve_io_or_timers() {
    run(async {
        let l = tcp::listen("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr();
        let _server = serve_echo(l, 1);
        let spinning = std::rc::Rc::new(std::cell::Cell::new(true));
        let s = spinning.clone();
        let spinner = spawn(async move {
            let mut turns = 0u64;
            while s.get() {
                yield_now().await;
                turns += 1;
            }
            turns
        });
        let io = async {
            let mut c = tcp::connect(&addr).await.unwrap();
            write_all(&mut *c.write, b"still heard").await.unwrap();
            poll_fn(|cx| c.write.poll_write_eof(cx)).await.unwrap();
            read_to_end(&mut *c.read).await.unwrap()
        };
        let got = timeout(Duration::from_secs(10), io)
            .await
            .expect("I/O starved by a busy task");
        assert_eq!(got, b"still heard");
        sleep(Duration::from_millis(1)).await; // the host clock fires too while the spinner spins
        spinning.set(false);
        assert!(spinner.await.unwrap() > 0);
    });
}

#[test]
fn pollables_are_registered_once_and_released() {
    run(async {
        let mut l = tcp::listen("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr();
        let server = spawn(async move {
            let mut c = accept(&mut l).await.unwrap();
            let mut b = [0u8; 1];
            // Ping-pong: every round, the server task waits on its input once more.
            while poll_fn(|cx| c.read.poll_read(cx, &mut b)).await.unwrap() == 1 {
                write_all(&mut *c.write, &b).await.unwrap();
            }
        });
        let mut c = tcp::connect(&addr).await.unwrap();
        let mut b = [0u8; 1];
        write_all(&mut *c.write, &[255]).await.unwrap();
        assert_eq!(poll_fn(|cx| c.read.poll_read(cx, &mut b)).await.unwrap(), 1);
        // The listener and the halves that have waited so far (a half registers at its first
        // wait: the two read halves wait in every round; the write halves never need to).
        let before = reactor::registered();
        assert!((2..=5).contains(&before), "{before} registered");
        for round in 0..50u8 {
            write_all(&mut *c.write, &[round]).await.unwrap();
            assert_eq!(poll_fn(|cx| c.read.poll_read(cx, &mut b)).await.unwrap(), 1);
            assert_eq!(b[0], round);
            assert_eq!(reactor::registered(), before, "no pollable made per await");
        }
        drop(c);
        server.await.unwrap();
        assert_eq!(
            reactor::registered(),
            0,
            "client's 2, server's 2 and the listener's 1 freed"
        );
        assert_eq!(reactor::waiting(), 0);
    });
}

#[test]
fn a_tcp_listeners_backoff_waits_on_a_host_clock_not_a_loop_timer() {
    run(async {
        let mut l = tcp::listen("127.0.0.1:0").await.unwrap();
        let start = crate::Instant::now();
        let wait = l.backoff();
        assert_eq!(
            reactor::registered(),
            2,
            "the listener's pollable and the clock's"
        );
        wait.await;
        assert!(start.elapsed() >= Duration::from_millis(100));
        assert_eq!(reactor::registered(), 1, "the clock's pollable is freed");
        assert_eq!(crate::testing::armed_timers(), 0);
    });
}

#[test]
fn udp_send_to_recv_from_and_connect() {
    use super::udp::UdpSocket;
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        assert_ne!(a.local_addr().port(), 0);
        // b waits first: the datagram arrives while its task is parked in the reactor.
        let b = std::rc::Rc::new(b);
        let b2 = b.clone();
        let rx = spawn(async move {
            let mut buf = [0u8; 4];
            let (n, from) = b2.recv_from(&mut buf).await.unwrap();
            (buf[..n].to_vec(), from)
        });
        yield_now().await; // the receiver runs and parks on its pollable
        assert_eq!(reactor::waiting(), 1);
        a.send_to(b"ping-long", &b.local_addr().to_string())
            .await
            .unwrap();
        let (data, from) = rx.await.unwrap();
        assert_eq!(
            (data.as_slice(), from),
            (&b"ping"[..], a.local_addr()),
            "truncated to the buffer"
        );
        assert_eq!(
            a.send(b"x").await.unwrap_err().kind(),
            io::ErrorKind::NotConnected
        );
        a.connect(&b.local_addr().to_string()).await.unwrap();
        a.send(b"pong").await.unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(b.recv(&mut buf).await.unwrap(), 4);
        assert_eq!(&buf[..4], b"pong");
    });
}

#[test]
fn park_with_an_enormous_timeout_neither_traps_nor_waits_when_io_is_ready() {
    let reg = reactor::Registration::new(wasi::clocks::monotonic_clock::subscribe_duration(0));
    let waker = std::task::Waker::noop();
    reg.arm(&std::task::Context::from_waker(waker));
    assert_eq!(reactor::waiting(), 1);
    reactor::park(Some(u64::MAX));
    assert_eq!(
        reactor::waiting(),
        0,
        "the ready pollable was reported and disarmed"
    );
}

/// The blocking wait is linked lazily (reactor.rs): an armed timer and a new registration must
/// each link it, or a loop with only a deadline or only a pollable ahead would spin instead of
/// waiting in the host.
#[test]
fn an_armed_timer_and_a_registration_each_link_the_blocking_wait() {
    reactor::forget_wait();
    run(sleep(Duration::from_millis(1)));
    assert!(
        reactor::wait_enabled(),
        "a sleep armed a timer without linking the wait"
    );
    reactor::forget_wait();
    let pollable = wasi::clocks::monotonic_clock::subscribe_duration(0);
    let registration = reactor::Registration::new(pollable);
    assert!(
        reactor::wait_enabled(),
        "a registration did not link the wait"
    );
    drop(registration);
}

#[test]
fn poll_io_checks_many_pollables_every_few_turns_not_every_turn() {
    use wasi::clocks::monotonic_clock::subscribe_duration;
    let cx = std::task::Context::from_waker(std::task::Waker::noop());
    assert_eq!(reactor::waiting(), 0);
    reactor::poll_io(); // nothing armed: restarts the count
    let idle: Vec<_> = (0..200)
        .map(|_| reactor::Registration::new(subscribe_duration(3_600_000_000_000)))
        .collect();
    idle.iter().for_each(|r| r.arm(&cx));
    let ready = reactor::Registration::new(subscribe_duration(0));
    ready.arm(&cx);
    assert_eq!(reactor::waiting(), 201);
    // 201 armed: one poll every 201 / 64 + 1 = 4 calls.
    for call in 1..=3 {
        reactor::poll_io();
        assert_eq!(reactor::waiting(), 201, "call {call} skipped the poll");
    }
    reactor::poll_io();
    assert_eq!(
        reactor::waiting(),
        200,
        "the fourth call polled and woke the ready one"
    );
    drop(idle);
    assert_eq!(reactor::waiting(), 0);
}

/// Accepts one connection on `l` and echoes it with `stream::copy` (both ends WASI streams: the
/// host splices), after answering a first line if `line_first`; then half-closes and closes.
/// The task returns how many bytes `copy` moved.
fn serve_copy(mut l: tcp::TcpListener, line_first: bool) -> crate::Task<u64> {
    spawn(async move {
        let c = accept(&mut l).await.unwrap();
        let (mut r, mut w) = (StreamReader::new(c.read), StreamWriter::new(c.write));
        if line_first {
            let line = r.readline().await.unwrap();
            w.write(&line).unwrap();
        }
        let n = copy(&mut r, &mut w).await.unwrap();
        w.write_eof().unwrap();
        w.close();
        w.wait_closed().await.unwrap();
        n
    })
}

/// Sends `data` and half-closes while reading everything back.
async fn round_trip(addr: &str, data: Vec<u8>) -> Vec<u8> {
    let c = tcp::connect(addr).await.unwrap();
    let (mut read, mut write) = (c.read, c.write);
    let sender = spawn(async move {
        write_all(&mut *write, &data).await.unwrap();
        poll_fn(|cx| write.poll_write_eof(cx)).await.unwrap();
        write
    });
    let back = read_to_end(&mut *read).await.unwrap();
    drop(sender.await.unwrap());
    back
}

#[test]
fn copy_echoes_a_megabyte_over_tcp_by_splicing() {
    run(async {
        let l = tcp::listen("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr();
        let server = serve_copy(l, false);
        let data = pattern(1 << 20, 5);
        let back = round_trip(&addr, data.clone()).await;
        assert!(back == data, "echoed bytes differ");
        assert_eq!(server.await.unwrap(), 1 << 20);
    });
}

#[test]
fn copy_over_tcp_sends_the_readers_buffered_bytes_first() {
    run(async {
        let l = tcp::listen("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr();
        let server = serve_copy(l, true);
        let mut data = b"first line\n".to_vec();
        data.extend(pattern(200_000, 9));
        let back = round_trip(&addr, data.clone()).await;
        assert!(back == data, "echoed bytes differ");
        assert_eq!(server.await.unwrap(), data.len() as u64 - 11);
    });
}

#[test]
fn tcp_splices_from_wasi_streams_and_nothing_else() {
    run(async {
        let mut l = tcp::listen("127.0.0.1:0").await.unwrap();
        let mut client = tcp::connect(&l.local_addr()).await.unwrap();
        let mut server = accept(&mut l).await.unwrap();
        let (mut mem, _peer) = memory::pair();
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(server
            .write
            .poll_splice(&mut cx, &mut *mem.read, 1024)
            .is_none());
        assert!(mem
            .write
            .poll_splice(&mut cx, &mut *server.read, 1024)
            .is_none());
        let nothing_yet = server.write.poll_splice(&mut cx, &mut *server.read, 1024);
        assert!(matches!(nothing_yet, Some(std::task::Poll::Pending)));
        write_all(&mut *client.write, b"spliced").await.unwrap();
        let moved = poll_fn(|cx| {
            server
                .write
                .poll_splice(cx, &mut *server.read, 1024)
                .unwrap()
        })
        .await
        .unwrap();
        assert_eq!(moved, 7);
        let mut b = [0u8; 16];
        let n = poll_fn(|cx| client.read.poll_read(cx, &mut b))
            .await
            .unwrap();
        assert_eq!(&b[..n], b"spliced");
        // The end of the input is the end of the splice.
        poll_fn(|cx| client.write.poll_write_eof(cx)).await.unwrap();
        let end = poll_fn(|cx| {
            server
                .write
                .poll_splice(cx, &mut *server.read, 1024)
                .unwrap()
        });
        assert_eq!(end.await.unwrap(), 0);
    });
}

#[test]
fn copy_over_tcp_stalls_while_the_peer_does_not_read_then_resumes() {
    run(async {
        let l = tcp::listen("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr();
        let server = serve_copy(l, false);
        let c = tcp::connect(&addr).await.unwrap();
        let (mut read, mut write) = (c.read, c.write);
        let chunk = pattern(64 * 1024, 1);
        let mut sent = 0;
        // Send, not reading, until the connection takes nothing for half a second.
        while let Ok(n) = timeout(
            Duration::from_millis(500),
            poll_fn(|cx| write.poll_write(cx, &chunk)),
        )
        .await
        {
            sent += n.unwrap();
            assert!(
                sent < 64 << 20,
                "{sent} bytes went out and it never stalled"
            );
        }
        // Read: everything comes back and the copy finishes.
        let reader = spawn(async move { read_to_end(&mut *read).await.unwrap() });
        poll_fn(|cx| write.poll_write_eof(cx)).await.unwrap();
        let back = reader.await.unwrap();
        assert_eq!(back.len(), sent);
        assert!(back.chunks(chunk.len()).all(|c| c == &chunk[..c.len()]));
        assert_eq!(server.await.unwrap(), sent as u64);
    });
}

#[test]
fn only_main_future_holds_only_with_nothing_else_on_the_loop() {
    use std::future::Future;
    use std::pin::pin;
    use std::task::Poll;
    assert!(!reactor::only_main_future(), "no loop runs");
    run(async {
        assert!(reactor::only_main_future());
        // A task alive; and the question asked from inside a task.
        let t = spawn(async { reactor::only_main_future() });
        assert!(!reactor::only_main_future(), "a task is alive");
        assert!(!t.await.unwrap(), "asked from a task");
        assert!(reactor::only_main_future(), "the task ended");
        // A timer armed by the main future itself.
        {
            let mut nap = pin!(sleep(Duration::from_secs(60)));
            poll_fn(|cx| {
                assert!(nap.as_mut().poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
            assert!(!reactor::only_main_future(), "a timer is armed");
        }
        assert!(reactor::only_main_future(), "the timer was dropped");
        // A pollable armed: something else may be waited for in `poll`.
        let mut l = tcp::listen("127.0.0.1:0").await.unwrap();
        poll_fn(|cx| {
            assert!(l.poll_accept(cx).is_pending());
            Poll::Ready(())
        })
        .await;
        assert!(!reactor::only_main_future(), "a pollable is armed");
        drop(l);
        assert!(reactor::only_main_future(), "the listener was dropped");
    });
}
