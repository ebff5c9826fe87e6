//! UDP on WASI preview 2, through the public `wasio::wasi::UdpSocket`, on 127.0.0.1 inside
//! wasmtime (`cargo test --target wasm32-wasip2 --test wasi_udp`). Compiles to nothing elsewhere.
#![cfg(all(target_os = "wasi", not(target_env = "p1")))]

use std::cell::RefCell;
use std::io::ErrorKind;
use std::rc::Rc;

use wasio::wasi::UdpSocket;
use wasio::{run, spawn, yield_now};

#[test]
fn datagrams_keep_boundaries_and_order() {
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let to = b.local_addr().to_string();
        for i in 0..10u8 {
            a.send_to(&vec![i; 100 + usize::from(i)], &to)
                .await
                .unwrap();
        }
        let mut buf = [0u8; 2048];
        for i in 0..10u8 {
            let (n, from) = b.recv_from(&mut buf).await.unwrap();
            assert_eq!(from, a.local_addr());
            assert_eq!(n, 100 + usize::from(i), "one datagram per receive");
            assert!(buf[..n].iter().all(|&x| x == i));
        }
    });
}

#[test]
fn a_busy_task_does_not_starve_a_waiting_receiver() {
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = Rc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let log = Rc::new(RefCell::new(Vec::new()));
        let (b2, log2) = (b.clone(), log.clone());
        let rx = spawn(async move {
            let mut buf = [0u8; 8];
            let n = b2.recv(&mut buf).await.unwrap();
            log2.borrow_mut().push("received");
            n
        });
        let log3 = log.clone();
        let spinner = spawn(async move {
            // Always ready: the loop never parks while it spins, so only the runner's
            // non-blocking I/O check can deliver the datagram.
            for _ in 0..100_000 {
                if !log3.borrow().is_empty() {
                    log3.borrow_mut().push("spinner saw it");
                    return;
                }
                yield_now().await;
            }
            log3.borrow_mut().push("spinner gave up");
        });
        yield_now().await; // the receiver is parked on its pollable now
        a.send_to(b"hi", &b.local_addr().to_string()).await.unwrap();
        spinner.await.unwrap();
        assert_eq!(rx.await.unwrap(), 2);
        assert_eq!(*log.borrow(), ["received", "spinner saw it"]);
    });
}

#[test]
fn send_without_connect_is_not_connected() {
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        assert_eq!(
            a.send(b"x").await.unwrap_err().kind(),
            ErrorKind::NotConnected
        );
        assert_eq!(a.peer_addr(), None);
        let err = UdpSocket::bind("not an address").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    });
}

#[test]
fn a_main_future_that_spins_does_not_starve_a_receiver_either() {
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = Rc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let got = Rc::new(RefCell::new(None));
        let (b2, got2) = (b.clone(), got.clone());
        let _rx = spawn(async move {
            let mut buf = [0u8; 8];
            *got2.borrow_mut() = Some(b2.recv(&mut buf).await.unwrap());
        });
        yield_now().await;
        a.send_to(b"spin", &b.local_addr().to_string())
            .await
            .unwrap();
        // `run`'s own future (not a task) spins: the runner must still check I/O between polls.
        let mut spins = 0;
        while got.borrow().is_none() && spins < 100_000 {
            spins += 1;
            yield_now().await;
        }
        assert_eq!(
            *got.borrow(),
            Some(4),
            "received while the main future spun"
        );
    });
}

/// A task waiting for a datagram waits on host I/O (`WaitReason::Io`: a `wasi:io` pollable).
#[test]
fn a_receiver_waiting_for_a_datagram_is_traced_as_io() {
    use wasio::trace::{EventKind, WaitReason};
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = Rc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let to = b.local_addr().to_string();
        type Waits = Vec<(wasio::TaskId, Option<WaitReason>)>;
        let reasons: Rc<RefCell<Waits>> = Rc::default();
        let sink = reasons.clone();
        wasio::trace::set_subscriber(move |e| {
            if let EventKind::PollEnd {
                task,
                ready: false,
                reason,
            } = e.kind
            {
                sink.borrow_mut().push((task, reason));
            }
        });
        let b2 = b.clone();
        let receiver = spawn(async move {
            let mut buf = [0u8; 16];
            b2.recv_from(&mut buf).await.unwrap().0
        });
        let id = receiver.id();
        yield_now().await; // the receiver runs and waits
        a.send_to(b"hello", &to).await.unwrap();
        assert_eq!(receiver.await.unwrap(), 5);
        wasio::trace::clear_subscriber();
        let mine: Vec<_> = reasons
            .borrow()
            .iter()
            .filter(|(t, _)| *t == id)
            .map(|(_, r)| *r)
            .collect();
        assert!(!mine.is_empty(), "the receiver never waited");
        assert!(mine.iter().all(|r| *r == Some(WaitReason::Io)), "{mine:?}");
    });
}
